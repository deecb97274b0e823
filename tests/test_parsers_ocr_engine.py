"""Tests for the OCR engine: the two recognizers and how a line of words is shared between them.

The policy of `_read_words` (what the exact recognizer reads again) is checked with recognizers
whose readings are set here, so that every case is known; the models themselves read a page of
the scanned fixture, against the born-digital report it was printed from.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

import numpy as np
import pytest
from conftest import FORMATS, SYNTHETIC, scanned_page

from parsers import ocr_engine
from parsers.pdf import read_pdf
from pipeline.model import TextBlock
from pipeline.textnorm import squeeze

SCAN = FORMATS / "county-qingyu-2019-t2019-scan.pdf"
PRINTED = SYNTHETIC / "county-qingyu-2019-t2019.pdf"  # the report the scan was printed from

needs_engine = pytest.mark.skipif(not ocr_engine.available(), reason="rapidocr is not installed")


class _Readings:
    """Recognizers with set readings: the quick one by the line's width, the exact one in the order it
    is asked (the parts of lines around figures first, then whole lines); every width it is given is kept."""

    def __init__(self, quick: dict[int, tuple[str, float, list[float]]], exact: list[tuple[str, float]]) -> None:
        self.quick, self.exact = quick, list(exact)
        self.asked: list[int] = []

    def placed(self, _recognizer: object, line: np.ndarray) -> tuple[str, float, list[tuple[int, float, float]]]:
        text, score, xs = self.quick[line.shape[1]]
        shown = [k for k, char in enumerate(text) if not char.isspace()]
        return text, score, [(k, x, score) for k, x in zip(shown, xs, strict=True)]

    def read_exact(self, images: list[np.ndarray]) -> list[tuple[str, float]]:
        self.asked.extend(image.shape[1] for image in images)
        return [self.exact.pop(0) for _ in images]


def _centres(text: str) -> list[float]:
    """The centres of a line's characters at the recognizer's height: a Chinese character 48 pixels
    wide, a digit or a sign 24."""
    xs, x = [], 0.0
    for char in text:
        width = 48 if "\u4e00" <= char <= "\u9fff" or char in "，（）" else 24
        xs.append(x + width / 2)
        x += width
    return xs


def _line(width: int) -> np.ndarray:
    """A blank line picture at the recognizer's height."""
    return np.full((48, width), 255, dtype=np.uint8)


def _installed(monkeypatch: pytest.MonkeyPatch, readings: _Readings) -> None:
    monkeypatch.setattr(ocr_engine, "_quick", lambda: object())
    monkeypatch.setattr(ocr_engine, "_placed_chars", readings.placed)
    monkeypatch.setattr(ocr_engine, "_read_exact", readings.read_exact)


def test_a_figure_in_prose_is_read_again_by_the_exact_recognizer(monkeypatch: pytest.MonkeyPatch) -> None:
    # The quick model lost a digit of "11" (it did on a blurred scan, at 0.99 confidence); the part of the
    # line around each figure, three quarters of a line's height either side, is read exactly.
    text = "被申请行政复议1件，被提起行政诉讼7件"
    readings = _Readings({1000: (text, 0.99, _centres(text))}, [("议11件", 0.97), ("讼7件", 0.98)])
    _installed(monkeypatch, readings)
    [(read, confidence)] = ocr_engine._read_words([_line(1000)])
    assert read == "被申请行政复议11件，被提起行政诉讼7件"
    assert confidence == 0.97  # the lowest of its readings
    assert readings.asked == [72, 72]  # the two parts: the rest of the line stays as the quick model read it


def test_a_stray_point_the_quick_model_reads_beside_a_figure_goes_with_the_exact_reading(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "主动公开政府信息.940条"
    readings = _Readings({900: (text, 0.97, _centres(text))}, [("息940条", 0.99)])
    _installed(monkeypatch, readings)
    assert ocr_engine._read_words([_line(900)]) == [("主动公开政府信息940条", 0.97)]


def test_a_line_whose_figures_the_exact_reading_does_not_match_is_read_again_whole(
        monkeypatch: pytest.MonkeyPatch) -> None:
    text = "全年共收到申请2件"
    readings = _Readings({800: (text, 0.95, _centres(text))},
                         [("请2 1件", 0.99), ("全年共收到申请21件", 0.99)])  # two figures where it read one
    _installed(monkeypatch, readings)
    assert ocr_engine._read_words([_line(800)]) == [("全年共收到申请21件", 0.99)]
    assert readings.asked[-1] == 800


def test_an_unsure_line_is_read_again_and_a_sure_one_without_figures_is_not(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = {600: "全年未收取信息处理费", 500: "（三）不予公开", 400: "1.属于国家秘密"}
    readings = _Readings({600: (lines[600], 0.80, _centres(lines[600])), 500: (lines[500], 0.99, _centres(lines[500])),
                          400: (lines[400], 0.99, _centres(lines[400]))}, [("全年末收取信息处理费", 0.93)])
    _installed(monkeypatch, readings)
    read = ocr_engine._read_words([_line(600), _line(500), _line(400)])
    assert read == [("全年末收取信息处理费", 0.93), ("（三）不予公开", 0.99), ("1.属于国家秘密", 0.99)]
    assert readings.asked == [600]  # an item's number ("1.") is no figure: nothing else was read again


def test_a_label_is_read_again_where_a_line_of_prose_would_not_be(monkeypatch: pytest.MonkeyPatch) -> None:
    # Read "7.国于行政执法案卷" at 0.944 on a blurred scan: kept, the label would no longer name its row.
    label = "7.国于行政执法案卷"
    for sure, expected in ((ocr_engine.PROSE, (label, 0.944)), (ocr_engine.LABELS, ("7.属于行政执法案卷", 0.987))):
        readings = _Readings({400: (label, 0.944, _centres(label))}, [("7.属于行政执法案卷", 0.987)])
        _installed(monkeypatch, readings)
        assert ocr_engine._read_words([_line(400)], sure) == [expected]


def test_figure_windows_join_close_figures_and_cover_a_line_whose_figures_cannot_be_placed() -> None:
    text = "2023年12月共收到申请21件"
    placed = [(k, x, 1.0) for k, x in enumerate(_centres(text))]
    windows = ocr_engine._figure_windows(text, placed, 1000)
    # "2023" and "12" stand one character apart: one part; "21" another.
    assert [[text[a:b] for a, b in runs] for _, _, runs in windows] == [["2023", "12"], ["21"]]
    assert windows[0][:2] == (0, 216)
    assert windows[1][:2] == (456, 552)
    # An item's number is no figure; a decimal that opens a line like one is.
    assert ocr_engine._figure_windows("1.属于国家秘密", placed, 1000) == []
    assert [runs for _, _, runs in ocr_engine._figure_windows("1.5万元已拨付", placed, 1000)] == [[(0, 3)]]
    # Without the places of its characters a line is read again whole.
    assert ocr_engine._figure_windows("共21件", placed[:1], 200) == [(0, 200, [(1, 3)])]
    # A figure placed past the end of a line narrower than the recognizer reads (its padding): read whole.
    # (On a photographed page a cell's "3", 29 pixels wide at the recognizer's height, was placed at 66.)
    assert ocr_engine._figure_windows("3", [(0, 66.2, 0.99)], 29) == [(0, 29, [(0, 1)])]


@needs_engine
def test_the_quick_recognizer_reads_simplified_chinese_only() -> None:
    quick = ocr_engine._quick()
    assert quick is not None
    assert quick.cfg.model_path.endswith("tiny/rec/rec.onnx")
    characters = quick.postprocess_op.character
    allowed = dict(zip(characters, quick.session.allowed, strict=True))
    assert len(characters) == 6906  # 6,904 in its dictionary, the blank and the space
    assert allowed["内"] == allowed["们"] == allowed["7"] == allowed["，"] == allowed["blank"] == 1.0
    assert allowed["內"] == allowed["們"] == 0.0  # traditional forms, outside GB 2312


@needs_engine
def test_prose_read_from_a_scan_prints_the_report_s_figures_exactly() -> None:
    def text_of(blocks: object) -> str:
        return squeeze("".join(b.text for b in blocks if isinstance(b, TextBlock)))  # type: ignore[attr-defined]

    scanned = scanned_page(SCAN, 1)
    printed = text_of(b for b in read_pdf(PRINTED).blocks if b.page == 1)
    read = text_of(scanned.blocks)
    figures = re.compile(r"\d+")
    assert figures.findall(read) == figures.findall(printed)
    errors = sum(max(i2 - i1, j2 - j1) for op, i1, i2, j1, j2
                 in SequenceMatcher(None, read, printed, autojunk=False).get_opcodes() if op != "equal")
    assert len(printed) > 300
    assert errors <= 3
