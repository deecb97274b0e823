"""Tests for parsers.searchable and parsers.pictures: searchable PDFs and tables printed as pictures.

The documents are made here from a synthetic report by the robustness set's own generators
(fixtures/robust_searchable.py): page pictures with the exact text layer in render mode 3, the
same with a garbage layer, and a PDF text page with table 三 as an image. Every cell is checked
against the report's truth.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import robust_searchable
from conftest import SYNTHETIC

from parsers import searchable
from parsers.pdf import read_pdf
from pipeline.measure.evaluate import compare
from pipeline.model import TableBlock
from pipeline.run import parse_file

SOURCE = SYNTHETIC / "city-xiuzhou-2022-t2021"  # table 三 runs over pages 3-4 of 5


def _truth(kind: str = "pdf") -> dict:
    return json.loads(SOURCE.with_suffix(f".{kind}.truth.json").read_text(encoding="utf-8"))


def _every_cell_right(path: Path, kind: str = "pdf") -> None:
    result = parse_file(path)
    score = compare(result, _truth(kind))
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) >= 190
    assert result.document["status"] == "ok"


@pytest.fixture(scope="module")
def exact_layer(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("searchable") / "exact-layer.pdf"
    robust_searchable._exact(SOURCE, out)
    return out


# --- is the text hidden? ----------------------------------------------------------------------


def test_a_born_digital_page_has_no_hidden_layer() -> None:
    document = pdfium.PdfDocument(str(SOURCE.with_suffix(".pdf")))
    try:
        assert not any(searchable.hidden_layer(document[i]) for i in range(len(document)))
    finally:
        document.close()


def test_text_in_render_mode_3_over_a_page_picture_is_a_hidden_layer(exact_layer: Path) -> None:
    document = pdfium.PdfDocument(str(exact_layer))
    try:
        assert all(searchable.hidden_layer(document[i]) for i in range(len(document)))
    finally:
        document.close()


# --- is the layer text? -------------------------------------------------------------------------


def _chars(text: str) -> list[dict]:
    return [{"text": ch} for ch in text]


def test_a_chinese_layer_with_figures_is_text() -> None:
    assert searchable.layer_problem(_chars("一、本年新收政府信息公开申请数量 3039 163 5 8 79 16 3310 ×")) is None


@pytest.mark.parametrize(("layer", "why"), [
    ("政府信息公开".encode("gbk").decode("latin-1") * 3, "mojibake"),  # GBK bytes read as Latin-1
    ("".join(chr(0xE000 + i) for i in range(40)), "private-use"),
    ("\x01\x02\x03\x04\x05" * 8, "control"),
    ("QXWERTYUIOPASDFGHJKLZXCVBNM 3039 163", "Chinese"),  # glyph codes of a font without ToUnicode
])
def test_a_layer_of_mojibake_private_use_control_or_latin_codes_is_garbage(layer: str, why: str) -> None:
    problem = searchable.layer_problem(_chars(layer))
    assert problem is not None
    assert why in problem


# --- searchable PDFs ----------------------------------------------------------------------------


def test_an_exact_layer_is_read_with_the_rules_of_the_picture_every_cell_right(exact_layer: Path) -> None:
    document = read_pdf(exact_layer)
    tables = [b.table for b in document.blocks if isinstance(b, TableBlock)]
    assert tables
    assert {t.method for t in tables} == {"positions"}
    assert all(c.ocr_confidence is None for t in tables for c in t.cells)  # characters from the layer
    assert all("read from the layer" in w for w in document.warnings)
    _every_cell_right(exact_layer)


def test_a_layer_under_an_opaque_page_picture_is_read_like_an_invisible_one(tmp_path: Path, exact_layer: Path) -> None:
    out = tmp_path / "under-image.pdf"
    robust_searchable._under_image(SOURCE, out)
    under, exact = read_pdf(out), read_pdf(exact_layer)
    assert all("read from the layer" in w for w in under.warnings)
    assert under.blocks == exact.blocks  # the same characters, the same picture: the same document


def test_a_turned_page_picture_is_straightened_and_its_layer_moved_with_it(tmp_path: Path) -> None:
    out = tmp_path / "skewed-layer.pdf"
    robust_searchable._skewed(SOURCE, out)
    document = read_pdf(out)
    assert all("read from the layer" in w and "straightened by" in w for w in document.warnings)
    assert {b.table.method for b in document.blocks if isinstance(b, TableBlock)} == {"positions"}
    _every_cell_right(out)


def test_a_garbage_layer_is_left_and_the_page_picture_read_by_ocr(tmp_path: Path) -> None:
    out = tmp_path / "garbage-layer.pdf"
    robust_searchable._garbage(SOURCE, out)
    result = parse_file(out)
    warnings = result.parsed.warnings
    assert sum("text layer that was not used" in w for w in warnings) == 5  # every page, each for its reason
    assert any("mojibake" in w for w in warnings)
    assert any("letters are Chinese" in w for w in warnings)
    tables = [b.table for b in result.parsed.blocks if isinstance(b, TableBlock)]
    assert tables
    assert {t.method for t in tables} == {"ocr"}
    assert all(c.ocr_confidence is not None for t in tables for c in t.cells)
    score = compare(result, _truth())
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) >= 190


# --- a picture of a table on a PDF text page --------------------------------------------------------


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_a_table_pictured_on_a_pdf_text_page_is_read_in_its_place(tmp_path: Path) -> None:
    out = tmp_path / "pdf-image.pdf"
    robust_searchable.reportlab_page_with_picture(SOURCE, out)
    document = read_pdf(out)
    kinds = [b.table.method if isinstance(b, TableBlock) else b.text for b in document.blocks]
    assert kinds == ["三、收到和处理政府信息公开申请情况", "本年度收到和处理政府信息公开申请情况如下表：", "ocr",
                     "四、政府信息公开行政复议、行政诉讼情况"]  # the picture's table in its place
    at = kinds.index("ocr")
    table = document.blocks[at].table
    assert table.page == 1
    assert all(c.page == 1 and c.ocr_confidence is not None for c in table.cells)
    score = compare(parse_file(out), _truth("docx"))  # a page of part 三 alone: its table is all there is
    assert [m for m in score.misses if m.what == "applications"] == []
    assert score.exact["applications"] == score.total["applications"] == 175  # 25 rows × 7 columns


def test_a_page_of_text_with_signs_and_ideographic_spaces_is_not_garbled() -> None:
    assert searchable.garbled("第二十条第（一）项\u3000·×÷° 3,039 — 万元") is None
    assert searchable.garbled("\x01\x04\x05\x06\x07\x08\t\x08\n") == "7 of 7 characters are private-use, control or mojibake"
