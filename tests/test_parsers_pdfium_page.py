"""Tests for pdfium's page data (parsers.pdfium_page): pages read in the frame their text is upright in,
and the drawing of a page into pixels."""

from __future__ import annotations

import ctypes
import itertools
import shutil
from pathlib import Path

import numpy as np
import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import robust_pages
from conftest import CORPUS, FORMATS, SYNTHETIC, needs_corpus

from parsers import pdfium_page, raster

SCAN = FORMATS / "county-qingyu-2019-t2019-scan.pdf"
SOURCE = SYNTHETIC / "city-luyuan-2024-t2021"  # five pages: prose and the three ruled tables


def _pages(path: Path) -> list[pdfium_page.PageData]:
    document = pdfium.PdfDocument(str(path))
    try:
        read = [pdfium_page.read_page(document[index]) for index in range(len(document))]
    finally:
        document.close()
    assert all(data is not None for data in read)
    return read  # type: ignore[return-value]


def _turned(tmp_path: Path, how: str) -> Path:
    out = tmp_path / f"{how}.pdf"
    robust_pages._turn(lambda _: how, SOURCE, out)
    return out


def _glyphs(data: pdfium_page.PageData) -> list[tuple[str, float, float, float, float]]:
    # (Sorted, by place to a hundredth of a point: a page read in a frame is in reading order, pdfium's text
    # order may differ a little, and a turn leaves the last digits of a coordinate to chance.)
    return sorted((ch["text"], *(round(ch[k], 2) for k in ("x0", "top", "x1", "bottom")))
                  for ch in data.chars if ch["text"] != "\n")


def _rules(data: pdfium_page.PageData) -> list[tuple[str, float, float, float, float]]:
    return sorted((e["orientation"], *(round(e[k], 2) for k in ("x0", "top", "x1", "bottom"))) for e in data.edges)


def _close(a: list[tuple], b: list[tuple], tolerance: float = 0.011) -> bool:
    return len(a) == len(b) and all(x[0] == y[0] and all(abs(u - v) <= tolerance for u, v in zip(x[1:], y[1:],
                                                                                              strict=True))
                                    for x, y in zip(a, b, strict=True))


@needs_corpus
def test_every_glyph_stands_on_the_baseline_pdfium_gives_it() -> None:
    # The origin is asked only where a glyph's box changes both its bottom and top: each baseline kept from
    # the glyph before must be the glyph's own, on pages whose fonts reach past their descent and ascent.
    x, y = ctypes.c_double(), ctypes.c_double()
    glyphs = kept = 0
    for path in [*sorted(CORPUS.glob("*.pdf")), *sorted(SYNTHETIC.glob("*.pdf"))[:6]]:
        document = pdfium.PdfDocument(str(path))
        try:
            for page in document:
                textpage = page.get_textpage()
                text = textpage.get_text_range(0, textpage.count_chars())
                read = pdfium_page._glyphs(textpage.raw, text)
                for index, _, _, _, _, baseline in read:
                    if index >= 0:
                        pdfium_c.FPDFText_GetCharOrigin(textpage.raw, index, ctypes.byref(x), ctypes.byref(y))
                        assert baseline == y.value, (path.name, index)
                        glyphs += 1
                kept += sum(1 for a, b in itertools.pairwise(read) if a[0] >= 0 and b[0] >= 0 and a[4:] != b[4:]
                            and a[5] == b[5])
                textpage.close()
        finally:
            document.close()
    assert glyphs > 10_000
    assert kept > 500  # glyphs whose box changed beside their neighbour's on one baseline were among them


@pytest.mark.parametrize("how", ["shown-90", "shown-180", "shown-270", "offset"])
def test_a_page_turned_and_turned_back_by_its_rotate_reads_as_the_page_itself(tmp_path, how) -> None:
    plain = _pages(SOURCE.with_suffix(".pdf"))
    turned = _pages(_turned(tmp_path, how))
    for before, after in zip(plain, turned, strict=True):
        assert before.frame is None
        assert after.frame is not None
        assert after.frame.turn == 0
        assert (after.width, after.height) == pytest.approx((before.width, before.height))
        assert _close(_glyphs(after), _glyphs(before))  # every character, in the same place
        assert _close(_rules(after), _rules(before))
        assert any(ch["text"] == "\n" for ch in after.chars)


@pytest.mark.parametrize(("how", "turn"), [("sideways-90", 3), ("sideways-180", 2), ("sideways-270", 1)])
def test_a_page_showing_its_text_sideways_reads_upright_with_its_boxes_where_shown(tmp_path, how, turn) -> None:
    path = _turned(tmp_path, how)
    plain = _pages(SOURCE.with_suffix(".pdf"))
    turned = _pages(path)
    with pdfplumber.open(path) as shown:  # pdfplumber places characters on the page as shown
        for number, (before, after) in enumerate(zip(plain, turned, strict=True)):
            assert after.frame is not None
            assert after.frame.turn == turn
            assert _close(_glyphs(after), _glyphs(before))
            assert _close(_rules(after), _rules(before))
            page = shown.pages[number]
            assert after.frame.shown == pytest.approx((page.width, page.height))
            printed = [c for c in page.chars if c["text"].strip()]
            centres = np.array([((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2) for c in printed])
            ours = [ch for ch in after.chars if ch["text"].strip()]
            assert len(ours) == len(printed)
            # Each character's box carried back lies where pdfplumber shows that character (its nearest).
            for ch in ours:
                x0, top, x1, bottom = after.frame.shown_box(ch["x0"], ch["top"], ch["x1"], ch["bottom"])
                distance = np.hypot(centres[:, 0] - (x0 + x1) / 2, centres[:, 1] - (top + bottom) / 2)
                nearest = int(distance.argmin())
                assert printed[nearest]["text"] == ch["text"]
                assert distance[nearest] <= 0.3 * ch["size"]


def test_a_few_turned_labels_leave_a_page_unturned(tmp_path) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path = tmp_path / "labels.pdf"
    sheet = canvas.Canvas(str(path), pagesize=(595, 842))
    sheet.setFont("STSong-Light", 12)
    for line in range(20):
        sheet.drawString(72, 760 - 20 * line, "本机关全年共受理政府信息公开申请")
    sheet.saveState()
    sheet.translate(40, 300)
    sheet.rotate(90)
    sheet.drawString(0, 0, "行政复议")  # a label printed up the margin
    sheet.restoreState()
    sheet.save()
    (data,) = _pages(path)
    assert data.frame is None
    assert "".join(ch["text"] for ch in data.chars).count("本机关全年共受理政府信息公开申请") == 20


def test_a_red_stamp_is_drawn_red(tmp_path) -> None:
    from reportlab.pdfgen import canvas

    path = tmp_path / "stamp.pdf"
    sheet = canvas.Canvas(str(path), pagesize=(200, 100))
    sheet.setFillColorRGB(1, 0, 0)
    sheet.rect(50, 25, 100, 50, stroke=0, fill=1)
    sheet.save()
    document = pdfium.PdfDocument(str(path))
    try:
        pixels = pdfium_page.drawn(document[0], 1.0)
    finally:
        document.close()
    assert pixels.shape == (100, 200, 3)
    assert pixels[50, 100].tolist() == [255, 0, 0]  # red, in RGB order
    assert pixels[5, 5].tolist() == [255, 255, 255]


def test_a_page_is_drawn_into_the_pixels_pil_would_give() -> None:
    document = pdfium.PdfDocument(str(SCAN))
    try:
        page = document[0]
        width, height = page.get_size()
        for grayscale, scale in ((False, 150 / 72), (True, 200 / 72)):
            pixels = pdfium_page.drawn(page, scale, grayscale=grayscale)
            bitmap = page.render(scale=scale, grayscale=grayscale)
            try:
                expected = raster.to_gray(bitmap.to_pil()) if grayscale else raster.to_rgb(bitmap.to_pil())
            finally:
                bitmap.close()
            assert pixels.shape == expected.shape == ((round(height * scale), round(width * scale))
                                                      + (() if grayscale else (3,)))
            assert (pixels == expected).all()
            assert pixels.flags.owndata  # a copy: pdfium's buffer is gone
            assert pixels.min() < 100 < 250 <= pixels.max()  # print on paper, not a blank page
    finally:
        document.close()


@pytest.mark.parametrize("level", ["sideways-90", "mixed"])
def test_a_report_with_turned_pages_reads_every_cell_with_its_boxes_where_shown(tmp_path, level) -> None:
    import robust
    from conftest import read_every_cell

    from pipeline.measure.evaluate import truth_path
    from pipeline.model import TableBlock

    variant = next(v for v in robust.variants() if v.axis == "page.turn" and v.level == level)
    (document,) = robust.build(tmp_path, robust.DEFAULT_SYNTHETIC, robust.SAMPLE_SOURCES, [variant]).written
    result, score = read_every_cell(document, truth_path(document))
    assert result.document["status"] == "ok"
    assert sum(score.total.values()) > 150
    sideways = {1: "turned 90° clockwise"} if level == "sideways-90" else {2: "turned 90° clockwise", 5: "upside down"}
    pages = range(1, result.parsed.pages + 1) if level == "sideways-90" else sideways
    assert list(result.parsed.warnings) == [
        f"page {n} prints its text {sideways.get(n, sideways.get(1))} as shown; read turned upright" for n in pages]
    shown = pdfium.PdfDocument(str(document))
    try:
        sizes = [shown[index].get_size() for index in range(len(shown))]
    finally:
        shown.close()
    cells = [c for b in result.parsed.blocks if isinstance(b, TableBlock) for c in b.table.cells if c.box is not None]
    assert cells
    for cell in cells:  # every box on its page as shown (a sideways page is landscape)
        width, height = sizes[cell.page - 1]
        assert 0 <= cell.box.x0 < cell.box.x1 <= width
        assert 0 <= cell.box.top < cell.box.bottom <= height
    if level == "sideways-90":  # (the tables' pages are landscape as shown, their boxes too)
        assert any(cell.box.x1 > 600 for cell in cells)


def _wrapped(tmp_path: Path, name: str, transforms: list[tuple[float, ...]]) -> Path:
    """Write page 3 of the 2019 sample (its two ruled tables) wrapped whole in a form XObject, once per
    transform given (each wrapping the one before, moved by its matrix)."""
    path, pages = SYNTHETIC / "county-qingyu-2019-t2019.pdf", [2]
    for level, transform in enumerate(transforms):
        out = tmp_path / f"{name}-{level}.pdf"
        robust_pages.wrap_pages(path, out, transform, pages)
        path, pages = out, [0]
    return path


@pytest.mark.parametrize("transforms", [
    [(1, 0, 0, 1, 0, 0)],  # the page's content wrapped whole, as PDF printers and stamping tools save it
    [(1, 0, 0, 1, 30, -40)],  # moved
    [(0.8, 0, 0, 0.8, 40, 60)],  # shrunk onto the page
    [(1, 0, 0, 1, 0, 0), (0.9, 0, 0, 0.9, 20, 30)],  # a form inside a form
], ids=["wrapped", "moved", "shrunk", "nested"])
def test_rules_inside_form_xobjects_are_placed_with_the_forms_matrices(tmp_path, transforms) -> None:
    from parsers.pdf import read_pdf
    from pipeline.model import TableBlock

    path = _wrapped(tmp_path, "form", transforms)
    document = pdfium.PdfDocument(str(path))
    try:
        data = pdfium_page.read_page(document[0])
    finally:
        document.close()
    assert data is not None  # read by pdfium, not handed to pdfplumber
    with pdfplumber.open(path) as pdf:  # pdfplumber places every path with the matrices of its forms
        theirs = sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in pdf.pages[0].edges)
    ours = sorted((e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in data.edges)
    assert len(ours) == len(theirs) == 57
    assert _close(ours, theirs)

    def tables(pdf: Path) -> list[list[tuple]]:
        return [sorted((c.row, c.col, c.row_span, c.col_span, c.raw) for c in block.table.cells)
                for block in read_pdf(pdf).blocks if isinstance(block, TableBlock)]

    plain = pdfium.PdfDocument.new()
    source = pdfium.PdfDocument(str(SYNTHETIC / "county-qingyu-2019-t2019.pdf"))
    try:
        plain.import_pages(source, [2])
        plain.save(tmp_path / "plain.pdf")
    finally:
        plain.close()
        source.close()
    got = tables(path)
    assert [len(cells) for cells in got] == [188, 34]  # tables 二 and 三's last part, every cell
    assert got == tables(tmp_path / "plain.pdf")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed (make deps)")
def test_a_character_outside_ucs2_is_read_whole_by_pdfium(tmp_path, monkeypatch) -> None:
    # 𠮷 (U+20BB7) in a place name: pdfium gives it two indexes, its UTF-16 halves.
    import docx
    from robust_layouts import libreoffice_pdf

    from parsers.pdf import read_pdf
    from pipeline.model import TableBlock, TextBlock

    document = docx.Document()
    document.add_paragraph("本机关地址：𠮷祥路1号。全年共受理政府信息公开申请12件。")
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    for (row, col), text in {(0, 0): "项目", (0, 1): "数量", (1, 0): "𠮷祥路办事处", (1, 1): "12"}.items():
        table.cell(row, col).text = text
    document.save(tmp_path / "ext.docx")
    pdf = tmp_path / "ext.pdf"
    libreoffice_pdf(tmp_path / "ext.docx", pdf)
    pages = _pages(pdf)
    assert "".join(ch["text"] for ch in pages[0].chars).startswith("本机关地址：𠮷祥路1号。")

    def blocks(path: Path) -> list:
        return [(b.text,) if isinstance(b, TextBlock) else sorted((c.row, c.col, c.raw) for c in b.table.cells)
                for b in read_pdf(path).blocks if isinstance(b, TextBlock | TableBlock)]

    read = blocks(pdf)
    assert read == [("本机关地址：𠮷祥路1号。全年共受理政府信息公开申请12件。",),
                    [(0, 0, "项目"), (0, 1, "数量"), (1, 0, "𠮷祥路办事处"), (1, 1, "12")]]
    monkeypatch.setattr(pdfium_page, "read_page", lambda page, textpage=None, objects=None: None)
    assert blocks(pdf) == read  # pdfplumber's reading of the page, as before
