"""Crops of the printed cells behind a finding (pipeline.evidence): from the rendered page of a PDF,
from the page picture of a scan, drawn from the grid of a web page; in the oversight report and the API."""

from __future__ import annotations

import io
import re
from dataclasses import replace

import numpy as np
import pypdfium2 as pdfium
import pytest
from conftest import FORMATS, SYNTHETIC
from openpyxl import load_workbook
from PIL import Image

import pipeline
from pipeline import evidence
from pipeline.checks import DocView, Finding, views_from_rows
from pipeline.records import Record
from pipeline.report import write_report

PUBLISHED_ERRORS = SYNTHETIC / "city-luyuan-2024-t2021.pdf"  # its table 三 prints a 总计 of 2,408, parts 2,480
SCAN = FORMATS / "county-qingyu-2019-t2019-scan.pdf"
PICTURE = FORMATS / "dept-lanjiang-jyt-2022-t2021-scan.png"
WEB_PAGE = FORMATS / "province-lanjiang-office-2019-t2019.html"


@pytest.fixture(scope="module")
def published() -> pipeline.Report:
    return pipeline.parse(PUBLISHED_ERRORS)


def _view(report: pipeline.Report) -> DocView:
    rows = report.result.rows()
    return views_from_rows(rows["documents"], rows["sections"], report.result.records, rows.get("ocr_values", ()))[0]


def _pixels(image: Image.Image) -> np.ndarray:
    """Return the picture as decoded from its PNG, as the report carries it."""
    return np.asarray(Image.open(io.BytesIO(evidence.png_bytes(image))).convert("RGB")).astype(int)


def _red(pixels: np.ndarray) -> np.ndarray:
    return np.abs(pixels - np.array(evidence.OUTLINE)).sum(axis=2) < 60


def _runs(mask: np.ndarray, length: int) -> list[int]:
    """Return the first index of each group of adjacent lines of `mask` (columns) holding a run ≥ `length`."""
    hits = [x for x in range(mask.shape[1]) if _longest(mask[:, x]) >= length]
    return [x for i, x in enumerate(hits) if i == 0 or hits[i - 1] != x - 1]


def _longest(line: np.ndarray) -> int:
    best = run = 0
    for value in line:
        run = run + 1 if value else 0
        best = max(best, run)
    return best


def test_a_pdf_crop_outlines_the_named_cell_at_its_box_scaled(published: pipeline.Report) -> None:
    finding = next(f for f in map(evidence.as_finding, published.result.rows()["findings"])
                   if f.rule == "applications.row_total")
    view = _view(published)
    (cell,) = evidence.named_cells(view, finding.table, finding.row, finding.column)
    assert (cell.row, cell.column, cell.raw) == ("total", "total", "2,408")
    image = evidence.finding_crop(finding, view)
    assert image is not None
    assert image.width <= evidence.MAX_WIDTH
    assert image.height <= evidence.MAX_HEIGHT
    page = pdfium.PdfDocument(PUBLISHED_ERRORS)
    width, height = page[cell.page - 1].get_size()
    assert image.width * image.height < 0.2 * (width * evidence.SCALE) * (height * evidence.SCALE)  # a crop
    pixels = _pixels(image)
    red = _red(pixels)[:, : image.width - evidence.GUTTER]  # the outline; the gutter holds the value printed
    # The region shown (the cell, its row's figures and labels to its left, a margin), at SCALE px a point,
    # scaled down to fit the size limit.
    region = evidence._region(view, cell.page, [cell], width, height)
    fit = min(1.0, (evidence.MAX_WIDTH - evidence.GUTTER) / ((region.x1 - region.x0) * evidence.SCALE),
              (evidence.MAX_HEIGHT - evidence._CAPTION) / ((region.bottom - region.top) * evidence.SCALE))
    pixel = evidence.SCALE * fit
    cell_w, cell_h = (cell.x1 - cell.x0) * pixel, (cell.bottom - cell.top) * pixel
    left, right = _runs(red, round(cell_h * 0.9))
    assert left == pytest.approx((cell.x0 - region.x0) * pixel, abs=2)
    assert right - left == pytest.approx(cell_w - 2, abs=3)  # the two sides of the box, 3 px wide
    top, bottom = _runs(red.T, round(cell_w * 0.9))
    assert top - evidence._CAPTION == pytest.approx((cell.top - region.top) * pixel, abs=2)
    assert bottom - top == pytest.approx(cell_h - 2, abs=3)
    inside = pixels[top + 4: bottom - 1, left + 4: right - 1]
    assert (inside.sum(axis=2) < 200).sum() > 30  # the printed figure 2,408 is there, in black
    assert _red(pixels)[:, image.width - evidence.GUTTER:].sum() > 30  # and the value read beside it


def test_a_finding_naming_two_rows_outlines_both(published: pipeline.Report) -> None:
    finding = next(f for f in map(evidence.as_finding, published.result.rows()["findings"])
                   if f.rule == "applications.balance")
    view = _view(published)
    cells = evidence.named_cells(view, finding.table, finding.row, finding.column)
    assert sorted(c.row for c in cells) == ["carried_forward", "total"]
    image = evidence.finding_crop(finding, view)
    assert image is not None
    red = _red(_pixels(image))[:, : image.width - evidence.GUTTER]
    cell_w = (cells[0].x1 - cells[0].x0) * evidence.SCALE * 0.7  # at least: the crop is scaled down by < 0.3
    assert len(_runs(red.T, round(cell_w * 0.9))) == 3  # top, shared middle, bottom


def test_a_scan_crop_is_cut_from_its_page_picture() -> None:
    box = (300.0, 400.0, 340.0, 420.0)  # any box on page 3: the crop is the rendered scan around it
    record = Record("scan", "applications", None, "total", "total", 83, "83", 3, "ocr", *box)
    view = DocView({"doc_id": "scan", "source_path": str(SCAN)}, records=(record,))
    image = evidence.record_crop(record, view)
    page, points_per_pixel = evidence.page_picture(SCAN, 3)
    assert points_per_pixel == 1 / evidence.SCALE
    # The 4 × 4 px below the outline's top-left corner are the page picture's, unchanged.
    region = evidence._region(view, 3, [record], page.width / evidence.SCALE, page.height / evidence.SCALE)
    x, y = round((box[0] - region.x0) * evidence.SCALE), round((box[1] - region.top) * evidence.SCALE)
    crop = np.asarray(image.convert("L")).astype(int)
    source = np.asarray(page.convert("L")).astype(int)
    sx, sy = round(box[0] * evidence.SCALE), round(box[1] * evidence.SCALE)
    patch = crop[evidence._CAPTION + y - 20: evidence._CAPTION + y - 4, x - 20: x - 4]
    assert np.abs(patch - source[sy - 20: sy - 4, sx - 20: sx - 4]).max() <= 1
    assert source.std() > 5  # a page picture with ink and noise, not a blank render


def test_a_picture_file_crop_is_in_the_pictures_pixels() -> None:
    with Image.open(PICTURE) as picture:
        dpi = evidence.picture_dpi(picture)
        full = np.asarray(picture.convert("L")).astype(int)
    _, points_per_pixel = evidence.page_picture(PICTURE, 1)
    assert points_per_pixel == pytest.approx(72 / dpi)
    record = Record("pic", "applications", None, "total", "total", 1, "1", 1, "ocr", 200.0, 300.0, 240.0, 316.0)
    view = DocView({"doc_id": "pic", "source_path": str(PICTURE)}, records=(record,))
    image = evidence.record_crop(record, view)
    assert image.width <= evidence.MAX_WIDTH
    assert image.height <= evidence.MAX_HEIGHT
    region = evidence._region(view, 1, [record], full.shape[1] * points_per_pixel, full.shape[0] * points_per_pixel)
    left, top = round(region.x0 / points_per_pixel), round(region.top / points_per_pixel)
    assert image.width - evidence.GUTTER == pytest.approx((region.x1 - region.x0) / points_per_pixel, abs=1)
    crop = np.asarray(image.convert("L")).astype(int)[evidence._CAPTION: evidence._CAPTION + 10, :10]
    assert np.abs(crop - full[top: top + 10, left: left + 10]).max() <= 2  # the picture's own pixels


def test_a_web_page_gets_its_grid_drawn_with_the_named_cell_highlighted() -> None:
    report = pipeline.parse(WEB_PAGE)
    view = _view(report)
    record = next(r for r in view.records if r.table == "applications" and r.row == "granted"
                  and r.column == "total")
    assert record.method == "html"
    assert record.x0 is None
    assert record.grid_row is not None
    finding = Finding(view.doc_id, "demo", "error", record.table, record.row, record.column, None, None, "")
    image = evidence.finding_crop(finding, view)
    assert image is not None
    assert image.width <= evidence.MAX_WIDTH
    pixels = np.asarray(image.convert("RGB")).astype(int)
    yellow = np.abs(pixels - np.array((254, 243, 199))).sum(axis=2) < 12
    ys, xs = np.nonzero(yellow)
    _rows, columns = evidence.grid_axes(view.table_records("applications"))
    left = evidence._LABEL_WIDTH + columns.index("total") * evidence._COLUMN_WIDTH
    assert xs.min() == pytest.approx(left, abs=4)
    assert xs.max() < left + evidence._COLUMN_WIDTH
    assert ys.max() - ys.min() < evidence._ROW_HEIGHT  # one cell, not a row or a column
    assert _red(pixels)[ys.min() - 3: ys.max() + 3, left - 2: left + evidence._COLUMN_WIDTH + 2].sum() > 50
    assert f"= {record.raw}" in evidence.alt_text(finding, view)


def test_a_source_file_that_is_gone_is_said_and_the_cells_drawn(published: pipeline.Report) -> None:
    view = _view(published)
    moved = DocView({**view.document, "source_path": "/nowhere/city.pdf"}, view.sections, view.records)
    finding = Finding(view.doc_id, "applications.row_total", "error", "applications", "total", "total", 2480, 2408,
                      "")
    image = evidence.finding_crop(finding, moved)
    assert image is not None
    assert image.width <= evidence.MAX_WIDTH
    assert "source file not found" in evidence.alt_text(finding, moved)
    assert "source file not found" not in evidence.alt_text(finding, view)


def test_findings_without_cells_get_no_crop(published: pipeline.Report) -> None:
    view = _view(published)
    document_level = Finding(view.doc_id, "completeness.template", "warning", None, None, None, None, None, "")
    assert evidence.finding_crop(document_level, view) is None
    assert evidence.finding_img(document_level, view) == ""
    info = Finding(view.doc_id, "x", "info", "applications", "total", "total", None, None, "")
    assert evidence.finding_img(info, view) == ""  # only errors and warnings carry a crop in the report


def test_report_evidence_returns_a_notebook_picture(published: pipeline.Report) -> None:
    finding = published.findings[published.findings.rule == "applications.balance"].iloc[0]
    image = published.evidence(finding)
    assert isinstance(image, Image.Image)
    assert image._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    record = published.records[(published.records.row == "new_received")
                               & (published.records.column == "natural_person")].iloc[0]
    assert published.evidence(record).size == published.evidence(record.to_dict()).size
    assert published.evidence(replace(evidence.as_finding(finding), table=None, row=None, column=None)) is None


def test_the_oversight_report_embeds_a_crop_beside_each_error_and_warning(tmp_path, published) -> None:
    from click.testing import CliRunner

    from pipeline.cli import cli

    out = tmp_path / "out"
    assert CliRunner().invoke(cli, ["parse", str(PUBLISHED_ERRORS), str(WEB_PAGE), "-o", str(out)]).exit_code == 0
    page, workbook, data = write_report(out, out / "report.html")
    html = page.read_text(encoding="utf-8")
    views = {v.doc_id: v for v in data.views}
    shown = [f for f in data.findings if f.severity in ("error", "warning")
             and evidence.named_cells(views[f.doc_id], f.table, f.row, f.column)]
    assert len(shown) >= 4
    assert len(re.findall(r'<img class="evidence"[^>]*src="data:image/png;base64,', html)) == len(shown)
    assert "img-src data:" in html
    sheet = load_workbook(workbook)["Findings"]
    links = [c.hyperlink.target for row in sheet.iter_rows() for c in row
             if c.hyperlink and c.hyperlink.target and c.hyperlink.target.startswith("crops/")]
    assert len(links) == len(shown)
    assert all((out / link).is_file() for link in links)


@pytest.mark.parametrize("how", ["sideways-90", "sideways-180", "sideways-270"])
def test_a_page_showing_its_text_turned_gives_an_upright_crop(tmp_path, published: pipeline.Report, how) -> None:
    # The report whose pages /Rotate shows turned: the crop is cut from the page turned back upright,
    # the same picture as the upright report's, the same cell outlined.
    import robust_pages

    turned = tmp_path / f"{how}.pdf"
    robust_pages._turn(lambda _: how, PUBLISHED_ERRORS.with_suffix(""), turned)
    report = pipeline.parse(turned)
    crops = []
    for parsed in (published, report):
        finding = next(f for f in map(evidence.as_finding, parsed.result.rows()["findings"])
                       if f.rule == "applications.row_total")
        image = evidence.finding_crop(finding, _view(parsed))
        assert image is not None
        crops.append(_pixels(image))
    upright, got = crops
    assert got.shape == upright.shape
    assert np.abs(got - upright).mean() < 12  # the same print (a pixel's rounding apart)
    for axis in (0, 1):  # the outline's sides at the same places, to 2 px
        red = [_red(pixels)[:, : pixels.shape[1] - evidence.GUTTER] for pixels in crops]
        mask_a, mask_b = (red[0], red[1]) if axis == 0 else (red[0].T, red[1].T)
        assert _runs(mask_b, 20) == pytest.approx(_runs(mask_a, 20), abs=2)
