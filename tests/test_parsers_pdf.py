"""The PDF reader on the real corpus: page joins, cut labels, page numbers, layout boxes."""


import pytest
from conftest import CORPUS, SYNTHETIC, needs_corpus

from parsers.pdf import read_pdf
from pipeline.errors import UnreadableDocument
from pipeline.model import TableBlock, TextBlock

pytestmark = needs_corpus


def tables(doc):
    return [b.table for b in doc.blocks if isinstance(b, TableBlock)]


def cell_at(table, row, col):
    return next(c for c in table.cells if c.covers(row, col))


def test_table_three_over_a_page_break_is_one_table_with_the_cut_label_rejoined():
    doc = read_pdf(CORPUS / "huaian-city-2024.pdf")
    applications = tables(doc)[1]
    assert (applications.n_rows, applications.n_cols) == (28, 10)
    labels = [c.text for c in applications.cells if c.col == 1]
    assert "(四)无法提供" in labels
    assert "法提供" not in labels
    cut = next(c for c in applications.cells if c.text == "(四)无法提供")
    assert cut.row_span == 3
    assert cut.page == 4
    assert {c.page for c in applications.cells} == {4, 5}


def test_vertical_merged_cell_appears_once_with_its_span():
    doc = read_pdf(CORPUS / "huaian-hongze-2023.pdf")
    applications = tables(doc)[1]
    vertical = [c for c in applications.cells if c.col == 0 and c.text.startswith("三")]
    assert len(vertical) == 1
    assert vertical[0].row_span == 20  # 三、本年度办理结果 over both pages


def test_a_missing_bottom_border_does_not_lose_the_last_row():
    doc = read_pdf(CORPUS / "huaian-hongze-2023.pdf")
    applications = tables(doc)[1]
    needs_creation = next(c for c in applications.cells if c.text.startswith("2.没有现成信息"))
    assert cell_at(applications, needs_creation.row, 3).text == "3"
    assert not any(isinstance(b, TextBlock) and b.text.startswith("3 0 0 0") for b in doc.blocks)


def test_page_numbers_are_dropped_and_pages_recorded():
    doc = read_pdf(CORPUS / "huaian-hongze-2023.pdf")
    texts = [b.text.strip() for b in doc.blocks if isinstance(b, TextBlock)]
    assert not any(t in {"- 1 -", "- 2 -", "- 3 -", "- 4 -", "- 5 -"} for t in texts)
    assert doc.pages == 5
    first = next(b for b in doc.blocks if isinstance(b, TextBlock) and b.text.startswith("一、总体情况"))
    assert first.page == 1


def test_background_boxes_are_not_tables():
    # The report paints a white box behind every text line; those boxes are not table rules.
    doc = read_pdf(CORPUS / "huaian-hongze-2023.pdf")
    assert [(t.n_rows, t.n_cols) for t in tables(doc)] == [(14, 4), (26, 10), (4, 15)]


def test_sub_tables_continued_on_the_next_page_are_joined():
    doc = read_pdf(CORPUS / "huaian-city-2024.pdf")
    active = tables(doc)[0]
    labels = [c.text for c in active.cells if c.col == 0]
    assert labels[-1] == "行政事业性收费"
    assert "行政许可" in labels
    assert {c.page for c in active.cells} == {3, 4}


def test_a_truncated_pdf_is_refused(tmp_path):
    data = (CORPUS / "huaian-hongze-2023.pdf").read_bytes()
    bad = tmp_path / "truncated.pdf"
    bad.write_bytes(data[: len(data) // 3])
    with pytest.raises(UnreadableDocument):
        read_pdf(bad)


def test_not_a_pdf_is_refused(tmp_path):
    bad = tmp_path / "fake.pdf"
    bad.write_text("hello", encoding="utf-8")
    with pytest.raises(UnreadableDocument):
        read_pdf(bad)


@pytest.mark.parametrize("name", ["huaian-hongze-2023.pdf", "huaian-city-2024.pdf"])
def test_pages_read_by_pdfium_match_pdfplumber(name, monkeypatch):
    from parsers import pdfium_page

    routed = read_pdf(CORPUS / name)
    monkeypatch.setattr(pdfium_page, "read_page", lambda page, textpage=None, objects=None: None)  # every page through pdfplumber
    plumber = read_pdf(CORPUS / name)
    assert [(b.text, b.page) for b in routed.blocks if isinstance(b, TextBlock)] == [
        (b.text, b.page) for b in plumber.blocks if isinstance(b, TextBlock)]
    assert len(tables(routed)) == len(tables(plumber)) == 3
    for fast, slow in zip(tables(routed), tables(plumber), strict=True):
        assert (fast.n_rows, fast.n_cols) == (slow.n_rows, slow.n_cols)
        assert sorted((c.row, c.col, c.row_span, c.col_span, c.raw, c.page) for c in fast.cells) == sorted(
            (c.row, c.col, c.row_span, c.col_span, c.raw, c.page) for c in slow.cells)


def _cell_buckets(path):
    """Yield the characters of every text line and of every cell of a ruled table in the PDF, as the
    reader groups them."""
    import pypdfium2 as pdfium

    from parsers import pdf, pdfium_page, tablefinder
    from parsers.page_breaks import snap

    document = pdfium.PdfDocument(str(path))
    try:
        for page in document:
            data = pdfium_page.read_page(page)
            if data is None:
                continue
            line: list = []
            for ch in [*data.chars, {"text": "\n"}]:  # the text lines, as the reader cuts them
                if ch["text"] == "\n":
                    yield line
                    line = []
                else:
                    line.append(ch)
            chars = [ch for ch in data.chars if ch["text"] != "\n"]
            for _, boxes in tablefinder.find_tables(data, data.edges):
                xs = snap([b[0] for b in boxes] + [b[2] for b in boxes], pdf._SNAP)
                ys = snap([b[1] for b in boxes] + [b[3] for b in boxes], pdf._SNAP)
                yield from pdf._chars_by_cell(boxes, chars, xs, ys)
    finally:
        document.close()


@needs_corpus
def test_line_and_cell_text_is_what_pdfplumber_extracts_from_the_same_characters():
    from pdfplumber.utils import extract_text

    from parsers.chartext import chars_text

    paths = [*sorted(CORPUS.glob("*.pdf")), *sorted(SYNTHETIC.glob("*.pdf"))[::3]]
    buckets = [b for path in paths for b in _cell_buckets(path)]
    assert len(buckets) > 3000
    assert sum(len(b) > 1 for b in buckets) > 1000  # labels and figures of several characters, not only digits
    assert [chars_text(b) for b in buckets] == [extract_text(b).strip() for b in buckets]


def test_cell_text_breaks_words_and_lines_as_pdfplumber_does():
    from pdfplumber.utils import extract_text

    from parsers.chartext import chars_text

    def ch(text, x0, top, width=6.0):
        return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 10, "doctop": top,
                "upright": True, "size": 10, "width": width, "height": 10}

    cases = [
        [ch("1", 10, 5), ch("2", 16, 5.5), ch("3", 30, 5)],  # a gap wider than 3 pt: two words
        [ch("合", 10, 5), ch(" ", 16, 5), ch("计", 22, 5)],  # a printed space
        [ch("结", 10, 5), ch("转", 10, 20)],  # two lines
        [ch("B", 16, 5), ch("A", 10, 5.2)],  # characters listed out of order
        [ch("ﬁ", 10, 5), ch("x", 16, 5)],  # a ligature
    ]
    for chars in cases:
        assert chars_text(chars) == extract_text(chars).strip()
    assert [chars_text(c) for c in cases] == ["12 3", "合 计", "结\n转", "AB", "fix"]


def test_line_text_is_what_pdfplumber_extracts_over_random_lines():
    """One line's characters at random gaps (narrow, at the tolerance, wide), spaces among them, listed out
    of order, on tops up to the tolerance apart: the same text as pdfplumber's."""
    import random

    from pdfplumber.utils import extract_text

    from parsers.chartext import chars_text

    rng = random.Random(17)
    for _ in range(500):
        chars, x = [], 10.0
        for _ in range(rng.randint(2, 12)):
            width = rng.choice([3.0, 5.5, 6.0])
            top = 5.0 + rng.choice([0.0, 0.5, 1.5, 2.9999, 3.0])
            chars.append({"text": rng.choice("12,合计 \u3000"), "x0": x, "x1": x + width, "top": top,
                          "bottom": top + 10, "doctop": top, "upright": True, "size": 10, "width": width,
                          "height": 10})
            x += width + rng.choice([0.0, 1.0, 3.0, 3.01, 5.0])
        if rng.random() < 0.3:
            rng.shuffle(chars)
        assert chars_text(chars) == extract_text(chars).strip()


def _drawn_and_read(tmp_path, make, note: str) -> None:
    """Write the 2019 sample as `make` (a generator of fixtures/robust_searchable.py) writes it, parse it,
    and assert every cell as printed, status ok and a page warning holding `note`."""
    from conftest import read_every_cell

    from parsers import ocr_engine

    if not ocr_engine.available():
        pytest.skip("rapidocr is not installed")
    import robust_searchable

    source = SYNTHETIC / "county-qingyu-2019-t2019"
    pdf = tmp_path / "drawn.pdf"
    getattr(robust_searchable, make)(source, pdf)
    result, score = read_every_cell(pdf, source.with_suffix(".pdf.truth.json"))
    assert sum(score.total.values()) > 150
    assert result.document["status"] == "ok"
    assert any("read by OCR from the page as drawn" in w and note in w for w in result.parsed.warnings)


def test_a_pdf_whose_fonts_have_no_map_to_unicode_is_read_by_ocr_from_its_drawn_pages(tmp_path) -> None:
    # Fonts embedded without ToUnicode: pdfium's text is control characters, pdfplumber's "(cid:5)".
    _drawn_and_read(tmp_path, "_without_to_unicode", "control")


def test_a_pdf_whose_text_is_drawn_as_outlines_is_read_by_ocr_from_its_drawn_pages(tmp_path) -> None:
    # Ghostscript's pdfwrite with -dNoOutputFonts draws every glyph as a path: no text layer, no picture.
    import shutil

    if shutil.which("gs") is None:
        pytest.skip("Ghostscript (gs) is not installed")
    _drawn_and_read(tmp_path, "_outlines", "its text drawn as outlines")
