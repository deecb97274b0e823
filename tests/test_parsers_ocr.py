"""Tests for the OCR path: straightening, ruled grids on pictures, the engine's fixes, scanned pages.

Pictures for the geometry are drawn here, so every rule and span is known. OCR itself runs on
one page of the scanned fixture (about 3 s); the full scanned documents are evaluated once, in
tests/test_synthetic.py.
"""

from __future__ import annotations

import json

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import FORMATS, scanned_page
from PIL import Image, ImageDraw

from parsers import detect_format, ocr, ocr_cells, ocr_engine, raster, ruling
from parsers.ocr_fixes import fix_box
from parsers.page_breaks import PageBlocks, join_continued_tables
from pipeline.errors import UnreadableDocument
from pipeline.model import Document, TableBlock
from pipeline.run import parse_document, parse_file

SCAN = FORMATS / "county-qingyu-2019-t2019-scan.pdf"


def _grid_picture() -> Image.Image:
    """A 4 x 3 ruled table with a header cell over two columns and a label over two rows."""
    picture = Image.new("L", (700, 400), 255)
    draw = ImageDraw.Draw(picture)
    xs, ys = [100, 300, 450, 600], [100, 150, 200, 250, 300]
    for y in ys:
        draw.line((xs[0], y, xs[-1], y) if y != 200 else (xs[1], y, xs[-1], y), fill=0, width=1)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]) if x != 450 else (x, ys[1], x, ys[-1]), fill=0, width=1)
    return picture


def _layout(table: ruling.RasterTable) -> list[tuple[int, int, int, int]]:
    return sorted((c.row, c.col, c.row_span, c.col_span) for c in table.cells)


def test_merged_cells_come_from_the_rules_that_are_missing() -> None:
    [table] = ruling.find_tables(np.asarray(_grid_picture()))
    assert [round(x) for x in table.xs] == [100, 300, 450, 600]
    assert [round(y) for y in table.ys] == [100, 150, 200, 250, 300]
    assert _layout(table) == [
        (0, 0, 1, 1), (0, 1, 1, 2),  # the header over two columns: no rule at x=450 in row 0
        (1, 0, 2, 1), (1, 1, 1, 1), (1, 2, 1, 1),  # the label over two rows: no rule at y=200 under it
        (2, 1, 1, 1), (2, 2, 1, 1),
        (3, 0, 1, 1), (3, 1, 1, 1), (3, 2, 1, 1),
    ]


def test_a_turned_scan_is_straightened_before_its_rules_are_found() -> None:
    turned = np.asarray(_grid_picture().rotate(0.7, resample=Image.Resampling.BICUBIC, fillcolor=255))
    assert raster.skew_angle(turned) == pytest.approx(0.7, abs=0.05)
    straight, angle = raster.deskew(turned)
    [table] = ruling.find_tables(straight)
    assert angle == pytest.approx(0.7, abs=0.05)
    assert _layout(table) == _layout(ruling.find_tables(np.asarray(_grid_picture()))[0])


def test_strokes_of_text_and_dashes_are_not_rules() -> None:
    picture = Image.new("L", (600, 200), 255)
    draw = ImageDraw.Draw(picture)
    for x in range(50, 550, 30):  # a row of short dashes and bars, like "—" and "1" in text
        draw.line((x, 100, x + 20, 100), fill=0, width=2)
        draw.line((x + 10, 60, x + 10, 85), fill=0, width=2)
    assert ruling.find_tables(np.asarray(picture)) == []


def test_a_long_picture_is_cut_into_its_pages_at_the_margins() -> None:
    page = np.asarray(_grid_picture())
    gap = np.full((300, page.shape[1]), 255, dtype=np.uint8)
    # The blank run from the first table's last rule (row 300) to the second's first (row 800) is cut midway.
    assert raster.pages(np.vstack([page, gap, page])) == [(0, 550), (550, 1100)]


def test_lone_specks_of_dust_are_removed_and_rules_kept() -> None:
    picture = np.asarray(_grid_picture()).copy()
    picture[20, 20] = picture[380, 650] = 0
    clean = raster.despeckle(picture)
    assert clean[20, 20] == clean[380, 650] == 255
    assert (clean[100, 100:600] == 0).all()


def _glyph_box(draw_glyph) -> tuple[ocr_engine.TextBox, np.ndarray]:
    picture = Image.new("L", (20, 30), 255)
    draw_glyph(ImageDraw.Draw(picture))
    return ocr_engine.TextBox("1", 0.9, 0, 0, 19, 29), np.asarray(picture)


def test_a_slash_read_as_one_is_put_right_by_its_slant() -> None:
    box, slash = _glyph_box(lambda d: d.line((14, 4, 6, 26), fill=0, width=2))
    assert fix_box(box, slash).text == "/"
    box, one = _glyph_box(lambda d: (d.line((10, 4, 10, 26), fill=0, width=2), d.line((6, 26, 14, 26), fill=0)))
    assert fix_box(box, one).text == "1"
    sure = ocr_engine.TextBox("1", 1.0, 0, 0, 19, 29)
    assert fix_box(sure, slash).text == "1"  # a 1 read with full confidence is never changed


def test_a_rule_caught_beside_a_one_does_not_make_it_lean() -> None:
    # A copier's 1 with a piece of the row's rule under its box: the stroke stands upright.
    _box, one = _glyph_box(lambda d: (d.line((10, 6, 10, 19), fill=0, width=2), d.line((0, 25, 8, 25), fill=0, width=2)))
    assert fix_box(ocr_engine.TextBox("1", 0.99, 0, 0, 19, 29), one).text == "1"


@pytest.mark.parametrize("read", ["1", "7", "/"])
def test_one_glyph_read_on_a_flat_stroke_is_the_dash(read: str) -> None:
    picture = np.full((26, 24), 255, dtype=np.uint8)
    picture[13:15, 3:21] = 0  # a dash on a copier's black-and-white print
    assert fix_box(ocr_engine.TextBox(read, 0.99, 0, 0, 23, 25), picture).text == "—"
    upright = np.full((26, 24), 255, dtype=np.uint8)
    upright[4:22, 11:13] = 0
    assert fix_box(ocr_engine.TextBox("1", 1.0, 0, 0, 23, 25), upright).text == "1"


def test_a_blurred_figure_over_a_rule_its_box_caught_is_no_dash() -> None:
    # A blurred scan: the "0" is gray through and through (lighter than ink), and the row's rule under
    # its box, darker, misses a pixel of the box's width. The rule is not the print: the 0 stays.
    picture = np.full((27, 23), 255, dtype=np.uint8)
    picture[9:17, 8:15] = 170  # the gray oval of a blurred 0
    picture[9:17, 10:13] = 255
    picture[24, 1:] = 90  # the rule, nearly across the box
    picture[25, :] = 90
    assert fix_box(ocr_engine.TextBox("0", 0.99, 0, 0, 22, 26), picture).text == "0"


@pytest.mark.parametrize(("read", "fixed"), [("0.", "0"), (".12", "12"), ("7730.28", "7730.28"), ("1,234", "1,234")])
def test_dust_beside_a_figure_is_not_part_of_it(read: str, fixed: str) -> None:
    box = ocr_engine.TextBox(read, 0.99, 0, 0, 10, 10)
    assert fix_box(box, np.full((12, 12), 255, dtype=np.uint8)).text == fixed


@pytest.mark.parametrize("read", ["一", "-", "_", "一一", "—", "\uff0d"])
def test_a_lone_stroke_in_a_cell_is_the_dash_placeholder(read: str) -> None:
    box = ocr_engine.TextBox(read, 0.9, 0, 0, 20, 4)
    assert fix_box(box, np.full((12, 24), 255, dtype=np.uint8)).text == "—"


@pytest.mark.parametrize("read", ["I", "l", "|"])
def test_a_lone_upright_stroke_in_a_cell_is_the_figure_one(read: str) -> None:
    box = ocr_engine.TextBox(read, 1.0, 0, 0, 6, 20)
    assert fix_box(box, np.full((24, 12), 255, dtype=np.uint8)).text == "1"


@pytest.mark.parametrize(("read", "fixed"), [("O", "0"), ("1O", "10"), ("S", "5"), ("2,4OS", "2,405"), ("其他", "其他"),
                                             ("OS系统", "OS系统")])
def test_latin_letters_read_for_figures_are_the_figures(read: str, fixed: str) -> None:
    box = ocr_engine.TextBox(read, 0.8, 0, 0, 30, 20)
    assert fix_box(box, np.full((24, 40), 255, dtype=np.uint8)).text == fixed


@pytest.mark.parametrize(("first", "second", "confidence"), [
    (("-6", 0.778), ("6", 1.0), 0.778),  # a blurred minus lost in the print alone: two numbers, in doubt
    (("2n", 0.61), ("11", 0.99), 0.99),  # a stamp's stroke across "11": the print alone is a number, sure
    (("1,280", 0.85), ("1280", 0.97), 0.97),  # the same number
])
def test_a_cell_read_again_keeps_the_doubt_of_two_different_numbers(
        first: tuple[str, float], second: tuple[str, float], confidence: float) -> None:
    kept = ocr._second_reading(ocr_engine.TextBox(*first, 10, 10, 30, 28), ocr_engine.TextBox(*second, 11, 10, 30, 28))
    assert (kept.text, kept.confidence, kept.x0) == (second[0], confidence, 11)


def test_pictures_are_detected_by_their_bytes(tmp_path) -> None:
    png = tmp_path / "page.jpg"
    _grid_picture().save(png, "PNG")  # a PNG under a .jpg name
    assert detect_format(png) == "image"
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"not a picture at all")
    with pytest.raises(UnreadableDocument, match="not a PNG file"):
        detect_format(fake)


needs_engine = pytest.mark.skipif(not ocr_engine.available(), reason="rapidocr is not installed")


@pytest.fixture(scope="module")
def page_three() -> PageBlocks:
    """The OCR reading of page 3 of the scanned report (table 四), read once for the tests below."""
    if not ocr_engine.available():
        pytest.skip("rapidocr is not installed")
    page: PageBlocks = scanned_page(SCAN, 3)
    return page


def test_one_scanned_page_reads_table_four_cell_by_cell(page_three: PageBlocks) -> None:
    page = page_three
    assert page.warnings[0].startswith("page 3 read by OCR (turned ")
    review = next(b.table for b in page.blocks if isinstance(b, TableBlock) and b.table.n_cols == 15)
    data = sorted(review.row_cells(review.n_rows - 1), key=lambda c: c.col)
    truth = json.loads((FORMATS / f"{SCAN.name}.truth.json").read_text(encoding="utf-8"))["review_litigation"]
    expected = [truth[group][column] for group in ("administrative_review", "litigation_direct", "litigation_after_review")
                for column in ("maintained", "corrected", "other", "pending", "total")]
    assert [float(c.text) for c in data] == expected
    assert all(c.page == 3 and 0.5 <= c.ocr_confidence <= 1.0 for c in data)
    lines = [b for b in page.blocks if not isinstance(b, TableBlock)]
    assert lines
    assert all(b.ocr_confidence is not None for b in lines)


def test_every_value_read_by_ocr_has_its_confidence_in_the_output(page_three: PageBlocks) -> None:
    document = Document(source_path=str(SCAN), format="pdf", blocks=tuple(page_three.blocks), pages=1)
    result = parse_document(document, {"doc_id": "scan", "sha256": "0" * 64, "source_path": str(SCAN)})
    review = [r for r in result.records if r.table == "review_litigation"]
    assert len(review) == 15
    confidence = {(r["table"], r["row"], r["column"]): r["confidence"] for r in result.extras["ocr_values"]}
    # Exactly the records read from the scan, under the records' keys, each with the page it was read on.
    assert set(confidence) == {(r.table, r.row, r.column) for r in result.records}
    assert all(0.5 <= confidence[(r.table, r.row, r.column)] <= 1.0 for r in review)
    assert {r["page"] for r in result.extras["ocr_values"]} == {3}
    low = {(f["row"], f["column"]) for f in result.findings if f["rule"] == "ocr.low_confidence"}
    assert low == {(r.row, r.column) for r in review if confidence[(r.table, r.row, r.column)] < 0.9}


@needs_engine
def test_a_blank_picture_has_no_table_and_still_needs_ocr(tmp_path) -> None:
    blank = tmp_path / "blank.png"
    Image.new("L", (1240, 1750), 255).save(blank)
    result = parse_file(blank)
    assert result.document["format"] == "image"
    assert result.document["status"] == "needs_ocr"  # nothing readable was found on it
    assert result.records == []
    assert result.parsed.warnings == ("page 1 has no text layer; OCR found no text on it",)


def test_without_the_engine_a_scan_stays_needs_ocr(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing() -> None:
        raise ocr_engine.OcrUnavailable("OCR is not available (rapidocr is not installed)")

    monkeypatch.setattr(ocr_engine, "_engine", missing)
    result = parse_file(SCAN)
    assert result.document["status"] == "needs_ocr"
    assert result.document["pages"] == 4
    assert result.parsed.warnings[0] == (
        "page 1 has no text layer and was not read: OCR is not available (rapidocr is not installed)")


def test_ocr_confidence_survives_the_join_of_a_continued_table() -> None:
    from pipeline.model import Cell, Table

    def part(rows: list[tuple[str, str]], confidence: float, page: int) -> PageBlocks:
        cells = tuple(Cell(raw=text, text=text, row=r, col=c, page=page, ocr_confidence=confidence)
                      for r, row in enumerate(rows) for c, text in enumerate(row))
        table = Table(cells=cells, n_rows=len(rows), n_cols=2, page=page)
        return PageBlocks([TableBlock(table)], {0: [100.0, 300.0, 400.0]})

    joined = join_continued_tables([part([("信息内容", "本年制发件数"), ("规章", "3")], 0.9, 1),
                                         part([("行政规范性文件", "12")], 0.7, 2)])
    [block] = joined
    assert [(c.text, c.page, c.ocr_confidence) for c in block.table.row_cells(2)] == [
        ("行政规范性文件", 2, 0.7), ("12", 2, 0.7)]


def test_an_engine_failure_is_one_failed_row_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object, **__: object) -> list[ocr_engine.TextBox]:
        raise RuntimeError("onnxruntime: invalid input")

    for name in ("recognize", "detect", "read_lines"):  # whichever the page calls first
        monkeypatch.setattr(ocr_engine, name, broken)
    result = parse_file(SCAN)
    assert result.document["status"] == "failed"
    assert result.document["error"] == "OCR failed on page 1 (RuntimeError: onnxruntime: invalid input)"


@needs_engine
def test_a_pdf_with_text_pages_and_scanned_pages_is_read_page_by_page(tmp_path) -> None:
    # Pages 1-2 of the born-digital report, then pages 3-4 of its scan: one report, two kinds of page.
    from conftest import SYNTHETIC

    from pipeline.measure.evaluate import compare

    digital = pdfium.PdfDocument(str(SYNTHETIC / "county-qingyu-2019-t2019.pdf"))
    scanned = pdfium.PdfDocument(str(SCAN))
    mixed = pdfium.PdfDocument.new()
    try:
        mixed.import_pages(digital, [0, 1])
        mixed.import_pages(scanned, [2, 3])
        mixed.save(tmp_path / "mixed.pdf")
    finally:
        for document in (mixed, digital, scanned):
            document.close()
    result = parse_file(tmp_path / "mixed.pdf")
    assert result.document["status"] == "ok"
    assert [w.split(" (")[0] for w in result.parsed.warnings] == ["page 3 read by OCR", "page 4 read by OCR"]
    truth = json.loads((SYNTHETIC / "county-qingyu-2019-t2019.pdf.truth.json").read_text(encoding="utf-8"))
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) == 198
    # Provenance: the values printed on page 2 are text, those on page 3 were read by OCR.
    read_by_ocr = {(r["table"], r["row"], r["column"]) for r in result.extras["ocr_values"]}
    assert {r.page for r in result.records if (r.table, r.row, r.column) in read_by_ocr} == {3}
    assert {r.page for r in result.records if (r.table, r.row, r.column) not in read_by_ocr} == {2}


def test_a_picture_of_absurd_size_is_refused_with_the_reason(tmp_path) -> None:
    huge = tmp_path / "huge.png"
    Image.new("1", (20000, 10000), 1).save(huge)  # 200 million pixels, a few hundred bytes on disk
    result = parse_file(huge)
    assert result.document["status"] == "failed"
    assert result.document["error"].startswith("not a readable picture (DecompressionBombError: ")


def test_a_point_finds_its_cell_and_a_point_on_a_rule_the_first_cell_listed() -> None:
    [table] = ruling.find_tables(np.asarray(_grid_picture()))
    xs, ys = table.xs, table.ys
    header = table.cell_at((xs[1] + xs[2]) / 2, (ys[0] + ys[1]) / 2)  # inside the header over two columns
    assert (header.row, header.col, header.col_span) == (0, 1, 2)
    label = table.cell_at((xs[0] + xs[1]) / 2, ys[2])  # on the missing rule inside the label over two rows
    assert (label.row, label.col, label.row_span) == (1, 0, 2)
    corner = table.cell_at(xs[1], ys[1])  # where four cells meet: the first in reading order
    assert (corner.row, corner.col) == (0, 0)
    assert table.cell_at(xs[0] - 1, ys[1]) is None
    assert table.cell_at(xs[1], ys[-1] + 1) is None


def test_a_picture_file_says_its_resolution_or_is_taken_as_one_page_wide() -> None:
    page = Image.new("L", (1654, 2339), 255)  # A4 at 200 dpi
    page.info["dpi"] = (200, 200)
    assert ocr._picture_dpi(page) == 200
    page.info["dpi"] = (72, 72)  # the default many tools write, whatever the scan's resolution
    assert ocr._picture_dpi(page) == pytest.approx(200, abs=1)
    del page.info["dpi"]
    assert ocr._picture_dpi(page) == pytest.approx(200, abs=1)


@pytest.mark.parametrize(("declared", "why"), [(200 * 2.54, "pixels per centimetre read as per inch"),
                                               (100, "an A2 page"), (200, "its own"), (72, "Pillow's default")])
def test_a_scan_is_read_at_the_density_of_its_print_whatever_it_declares(declared: float, why: str) -> None:
    """An A4 report page at 200 dpi, declared as 3.3 inches wide, as 16.5, rightly, and at 72 dpi."""
    document = pdfium.PdfDocument(str(SCAN))
    try:
        pixels = np.asarray(document[1].render(scale=200 / 72).to_pil().convert("L"))
    finally:
        document.close()
    assert ocr._print_dpi(pixels, declared) == pytest.approx(200, rel=0.02), why


@needs_engine
def test_a_lone_dash_in_a_cell_is_read_as_the_dash() -> None:
    picture = Image.new("L", (300, 240), 255)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((100, 100, 170, 134), outline=0)
    draw.rectangle((126, 117, 143, 118), fill=0)
    page = np.asarray(picture)
    (box,) = ocr_cells.read(page, ocr_cells.pieces(page, (100, 100, 170, 134)) or [])
    assert box is not None
    assert fix_box(box, page).text == "—"


@needs_engine
def test_a_degraded_scan_is_read_cell_by_cell(tmp_path) -> None:
    """100 dpi, turned 2° (each page the other way), colour on yellowish paper, a shadow along the
    edge, a red seal over table 三, JPEG 45 and grain: every cell right, nothing read that is not printed."""
    import robust_scans
    from conftest import SYNTHETIC

    from pipeline.measure.evaluate import compare

    source = SYNTHETIC / "city-xiuzhou-2022-t2021"
    scan = robust_scans.Scan(dpi=100, rotation=2.0, jpeg=45, rgb=True, seal=True, uneven="band", noise=6.0)
    out = tmp_path / "degraded.pdf"
    robust_scans.make_scan(scan, source, out)
    result = parse_file(out)
    truth = json.loads(source.with_suffix(".pdf.truth.json").read_text(encoding="utf-8"))
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) == 200
    assert result.document["status"] == "ok"
    assert all(w.startswith(f"page {i} read by OCR (turned ") for i, w in enumerate(result.parsed.warnings, 1))
    angles = [float(w.split("turned ")[1].split("°")[0]) for w in result.parsed.warnings]
    assert all(1.6 <= abs(a) <= 2.1 for a in angles)  # each page straightened by the angle it was turned


def test_the_detector_is_given_only_the_print_outside_the_statistics_tables() -> None:
    # A page: a line of prose above a 3-column grid, a line below it, grain on the blank paper.
    picture = Image.new("L", (1000, 1200), 255)
    draw = ImageDraw.Draw(picture)
    draw.rectangle((150, 200, 800, 220), fill=0)  # a line of prose
    xs, ys = [100, 400, 650, 900], [300, 350, 400, 450]
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=2)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=2)
    draw.rectangle((150, 600, 500, 620), fill=0)  # a line below the table
    rng = np.random.default_rng(7)
    page = np.asarray(picture).copy()
    for x, y in zip(rng.integers(0, 1000, 300), rng.integers(700, 1200, 300), strict=True):
        page[y : y + 2, x : x + 2] = 0  # grain: blots of four pixels
    grids = [table for table in ruling.find_tables(page) if len(table.xs) > 2]
    assert len(grids) == 1
    margin = ocr._MARGIN
    assert ocr._text_regions(page, grids) == [(150 - margin, 200 - margin, 801 + margin, 221 + margin),
                                              (150 - margin, 600 - margin, 501 + margin, 621 + margin)]


def _last_page_prose() -> np.ndarray:
    """The prose of the scanned fixture's last page (five lines, a heading among them), prepared to be read."""
    document = pdfium.PdfDocument(str(SCAN))
    try:
        page = document[3]
        pixels, dpi = ocr._rendered(page, ocr._picture_resolution(page) or 150.0)
    finally:
        document.close()
    text = raster.prepare(pixels, dpi).text
    [(x0, top, x1, bottom)] = ocr._text_regions(text, [])
    return text[top:bottom, x0:x1]


@needs_engine
def test_lines_of_prose_are_found_from_their_print_where_the_detector_finds_them() -> None:
    region = _last_page_prose()
    found = ocr._print_lines(region)
    detected = sorted(ocr._bounds(quad) for quad in ocr._detect(region))
    assert found is not None
    assert len(found) == len(detected) == 5
    for ours, its in zip(sorted(found, key=lambda b: b[1]), sorted(detected, key=lambda b: b[1]), strict=True):
        # The same line: most of the same rows, most of the same columns (the detector's bounds are rough).
        rows = min(ours[3], its[3]) - max(ours[1], its[1])
        columns = min(ours[2], its[2]) - max(ours[0], its[0])
        assert rows >= 0.8 * (ours[3] - ours[1]), (ours, its)
        assert columns >= 0.9 * (ours[2] - ours[0]), (ours, its)
    lines = [text for text, _ in ocr_engine.read_lines([ocr._line_crop(region, box) for box in found],
                                                        words=ocr_engine.PROSE)]
    assert lines[2:] == ["六、其他需要报告的事项", "全年共承办人大代表建议40件、政协委员提案20件，均已按期办结，办理复文",
                         "全文依法公开。"]


def _lines_of_print(*rows: tuple[int, int, int, int]) -> np.ndarray:
    picture = Image.new("L", (900, 400), 255)
    draw = ImageDraw.Draw(picture)
    for box in rows:
        draw.rectangle(box, fill=0)
    return np.asarray(picture)


def test_print_that_is_not_plain_lines_of_type_is_left_to_the_detector() -> None:
    above, below, beside = ocr._LINE_REACH
    # Three lines of type 20 px high, the last one in two parts far apart, a rule under the first.
    lines = [(50, 40, 700, 59), (50, 130, 600, 149), (50, 190, 300, 209), (500, 190, 800, 209)]
    plain = _lines_of_print(*lines, (50, 82, 700, 84))
    # Each line's print, a pixel of its gray edge, and the reach of a detector's line around it.
    assert ocr._print_lines(plain) == [(x0 - 1 - beside, top - 1 - above, x1 + 2 + beside, bottom + 2 + below)
                                       for x0, top, x1, bottom in lines]
    # A faint glyph (gray, as blur leaves a thin stroke) between two parts far apart joins them into one line.
    faint = _lines_of_print((50, 40, 300, 59), (380, 40, 600, 59)).copy()
    faint[40:60, 315:366] = 150
    assert ocr._print_lines(faint) == [(50 - 1 - beside, 40 - 1 - above, 601 + 1 + beside, 60 + 1 + below)]
    two_run_together = _lines_of_print((50, 40, 700, 59), (50, 100, 700, 135), (50, 160, 700, 179))
    taller_than_a_line = _lines_of_print((50, 40, 700, 59), (50, 100, 700, 150))
    down_the_page = _lines_of_print(*[(100, top, 119, top + 19) for top in range(40, 360, 30)])
    cut_by_the_edge = _lines_of_print((50, 0, 700, 12), (50, 60, 700, 79))  # a table's last row over its edge
    unplain = (two_run_together, taller_than_a_line, down_the_page, cut_by_the_edge)
    assert [ocr._print_lines(p) for p in unplain] == [None] * 4


@needs_engine
def test_a_line_running_down_a_page_is_not_read_glyph_by_glyph() -> None:
    # One line of the last page alone, the page turned a quarter: too little print to tell that the page
    # lies sideways, and the detector's to find; its characters are never read one by one as lines.
    region = _last_page_prose()
    found = ocr._print_lines(region)
    assert found is not None
    _, top, _, bottom = (round(v) for v in found[3])
    page = np.full((1754, 1242), 255, dtype=np.uint8)
    page[800 : 800 + bottom - top, 100 : 100 + region.shape[1]] = region[top:bottom]
    upright = ocr.read_pixels(page, 150, 1).blocks
    assert [block.text for block in upright] == ["全年共承办人大代表建议40件、政协委员提案20件，均已按期办结，办理复文"]
    turned = np.ascontiguousarray(np.rot90(page, -1))
    assert all(len(block.text) > 1 for block in ocr.read_pixels(turned, 150, 1).blocks)


@needs_engine
def test_a_cell_whose_print_makes_no_line_of_type_is_left_to_the_detector() -> None:
    # Type taller than a line (44 px at 150 dpi) in one cell, a figure of usual size in the other.
    from PIL import ImageFont

    picture = Image.new("L", (700, 300), 255)
    draw = ImageDraw.Draw(picture)
    xs, ys = [100, 350, 600], [100, 190]
    for y in ys:
        draw.line((xs[0], y, xs[-1], y), fill=0, width=2)
    for x in xs:
        draw.line((x, ys[0], x, ys[-1]), fill=0, width=2)
    draw.text((180, 120), "38", font=ImageFont.load_default(size=60), fill=0)
    draw.text((460, 133), "7", font=ImageFont.load_default(size=26), fill=0)
    page = np.asarray(picture)
    [grid] = ruling.find_tables(page)
    assert [ocr_cells.pieces(page, cell.box) is None for cell in grid.cells] == [True, False]
    [by_cell] = ocr._read_grids(page, [grid])
    assert [[box.text for box in by_cell[cell]] for cell in grid.cells] == [["38"], ["7"]]


def test_the_engine_sessions_plan_no_memory_patterns_use_one_thread_and_only_recognizers_keep_an_arena() -> None:
    # Pages and lines of every size: a plan per shape, and blocks larger than what is alive at
    # once, set the peak of a process that OCRs (787 MB against 601 MB over the benchmark's scans).
    # An arena keeps the largest activations ever allocated: the detector's (a whole part of a page)
    # would stay for good; the recognizers' (one line) are small, and reused for every line.
    engine = ocr_engine._engine()
    sessions = [(engine.text_det.session.session, False), (engine.text_rec.session.session, True)]
    quick = ocr_engine._quick()
    if quick is not None:
        sessions.append((quick.session.session.session, True))
    for session, arena in sessions:
        options = session.get_session_options()
        assert (options.enable_mem_pattern, options.enable_cpu_mem_arena, options.intra_op_num_threads) == (False, arena, 1)
    assert cv2.getNumThreads() == 1  # OpenCV too works on the one core the process reads on
    from rapidocr.inference_engine.onnxruntime.main import OrtInferSession

    # Sessions made outside the engine are as onnxruntime makes them.
    assert OrtInferSession._init_sess_opts(engine.cfg.Det.engine_cfg).enable_mem_pattern is True
