"""The review page of one report (govreport review): every value read on its cell box, coloured by how it
was read, section headings framed, the findings with their crops; opened in headless Chromium."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import FORMATS, SYNTHETIC
from test_report_browser import driver  # noqa: F401  (the headless Chromium of the browser tests)

from pipeline import evidence, review
from pipeline.checks import run_checks, views_from_rows
from pipeline.cli import cli

PUBLISHED_ERRORS = SYNTHETIC / "city-luyuan-2024-t2021.pdf"
WEB_PAGE = FORMATS / "province-lanjiang-office-2019-t2019.html"


@pytest.fixture(scope="module")
def parsed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("review-output")
    run = CliRunner().invoke(cli, ["parse", str(PUBLISHED_ERRORS), str(WEB_PAGE), "-o", str(out)])
    assert run.exit_code == 0, run.output
    return out


@pytest.fixture(scope="module")
def pdf_review(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("review-pdf")
    run = CliRunner().invoke(cli, ["review", str(PUBLISHED_ERRORS), "-o", str(target)])
    assert run.exit_code == 0, run.output
    return target / "index.html"


def _expected(rows) -> tuple[list, list]:
    """Return the records with a box and the findings that carry a crop."""
    view = views_from_rows(rows["documents"], rows["sections"], rows["records"], rows.get("ocr_values", ()))[0]
    cropped = [f for f in run_checks([view]) if f.severity in evidence.SHOWN_SEVERITIES
               and evidence.named_cells(view, f.table, f.row, f.column)]
    return [r for r in view.records if r.x0 is not None], cropped


def test_every_value_read_is_on_its_cell_box(pdf_review: Path) -> None:
    html = pdf_review.read_text(encoding="utf-8")
    rows = review.rows_of_file(PUBLISHED_ERRORS)
    boxed, cropped = _expected(rows)
    marks = re.findall(r'<rect class="cell" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" '
                       r'fill="(#\w+)"[^>]*/>(?:<rect class="flag"[^>]*/>)?<text class="value"[^>]*>([^<]*)</text>',
                       html)
    shown = {(round(float(x), 1), round(float(y), 1)): unescape(text) for x, y, _, _, _, text in marks}
    assert len(boxed) == 200
    for record in boxed:  # every value at its record's box, as read
        assert shown[(round(record.x0, 1), round(record.top, 1))] in (record.raw, "∅")
    assert {colour for *_, colour, _ in marks} == {review.METHOD_COLOURS["grid"]}
    headings = [s for s in rows["sections"] if s["heading_x0"] is not None]
    assert len(headings) >= 6
    assert html.count('<rect class="heading"') == len(headings)
    assert len(re.findall(r'<img class="crop" src="assets/crop-\d+\.png"', html)) == len(cropped) >= 4
    flagged = {(r.table, r.row, r.column) for f in cropped for r in evidence.named_cells(
        views_from_rows(rows["documents"], (), rows["records"])[0], f.table, f.row, f.column)}
    assert html.count('<rect class="flag"') == len(flagged)
    pictures = sorted(p.name for p in (pdf_review.parent / "assets").glob("page-*.jpg"))
    assert pictures == sorted({f"page-{r.page}.jpg" for r in boxed} | {f"page-{s['page_start']}.jpg"
                                                                       for s in headings})


def test_a_report_of_an_output_folder_by_doc_id_or_file_name(parsed: Path, tmp_path: Path) -> None:
    rows = review.rows_in_folder(parsed, PUBLISHED_ERRORS.name)
    doc_id = rows["documents"][0]["doc_id"]
    run = CliRunner().invoke(cli, ["review", doc_id[:8], "--from", str(parsed), "-o", str(tmp_path)])
    assert run.exit_code == 0, run.output
    html = (tmp_path / "index.html").read_text(encoding="utf-8")
    assert html.count('<text class="value"') == len(_expected(rows)[0])
    missing = CliRunner().invoke(cli, ["review", "0000nope", "--from", str(parsed), "-o", str(tmp_path)])
    assert missing.exit_code == 1
    assert "no report" in missing.output


def test_a_web_page_is_reviewed_as_its_grid(parsed: Path, tmp_path: Path) -> None:
    rows = review.rows_in_folder(parsed, WEB_PAGE.name)
    index = review.write_review(rows, tmp_path)
    html = index.read_text(encoding="utf-8")
    assert "<svg" not in html  # no page geometry: no page picture
    cells = re.findall(r'<td class="num" style="box-shadow:inset 0 -3px 0 (#\w+)[^"]*" title="([^"]*)">([^<]*)</td>',
                       html)
    records = rows["records"]
    assert len(cells) == len(records)
    by_key = {f"{r['table']}.{r['row']}.{r['column']}": r for r in records}
    for colour, title, raw in cells:
        record = by_key[unescape(title).split(" · ")[0]]
        assert unescape(raw) == record["raw"]
        assert f"grid {record['grid_table']}:{record['grid_row']},{record['grid_col']}" in unescape(title)
        assert colour == review.METHOD_COLOURS["html"]


def test_a_source_file_that_is_gone_is_said(parsed: Path, tmp_path: Path) -> None:
    rows = review.rows_in_folder(parsed, PUBLISHED_ERRORS.name)
    rows["documents"] = [{**rows["documents"][0], "source_path": "/nowhere/report.pdf"}]
    html = review.write_review(rows, tmp_path).read_text(encoding="utf-8")
    assert "source file is not found" in html
    assert html.count('<td class="num"') == len(rows["records"])  # the tables drawn from the records


def test_the_review_page_loads_every_picture_in_chromium(driver, pdf_review: Path) -> None:  # noqa: F811
    driver.get(pdf_review.as_uri())
    images = driver.find_elements("css selector", "img")
    assert images
    loaded = driver.execute_script(
        "return Array.from(document.images).map(i => i.complete && i.naturalWidth > 0)")
    assert all(loaded), loaded
    crops = driver.find_elements("css selector", ".finding img.crop")
    rows = review.rows_of_file(PUBLISHED_ERRORS)
    assert len(crops) == len(_expected(rows)[1])
    overlay = driver.find_elements("css selector", ".sheet svg text.value")
    assert len(overlay) == 200
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert not errors, errors


def test_ocr_values_are_coloured_by_their_confidence(parsed: Path, tmp_path: Path) -> None:
    rows = review.rows_in_folder(parsed, PUBLISHED_ERRORS.name)
    low, sure = (r for r in rows["records"][:2])
    rows["records"] = [{**r, "method": "ocr"} if r in (low, sure) else r for r in rows["records"]]
    rows["ocr_values"] = [{"doc_id": r["doc_id"], "table": r["table"], "item": r["item"], "row": r["row"],
                           "column": r["column"], "page": r["page"], "confidence": c} for r, c in ((low, 0.5), (sure, 0.97))]
    html = review.write_review(rows, tmp_path).read_text(encoding="utf-8")
    marks = re.findall(r'<rect class="(cell(?: low)?)" x="([\d.]+)" y="([\d.]+)"[^>]*fill="(#\w+)"', html)
    by_box = {(float(x), float(y)): (kind, colour) for kind, x, y, colour in marks}
    assert by_box[(round(low["x0"], 1), round(low["top"], 1))] == ("cell low", review.LOW_COLOUR)
    assert by_box[(round(sure["x0"], 1), round(sure["top"], 1))] == ("cell", review.METHOD_COLOURS["ocr"])
    assert "OCR confidence 0.50" in html


def test_the_oversight_report_links_each_report_that_is_not_ok_to_its_review_page(tmp_path):
    from pipeline.cli import cli
    from pipeline.report import write_report

    out = tmp_path / "out"
    published_error = SYNTHETIC / "city-luyuan-2024-t2021.docx"  # errors printed in table 三
    clean = SYNTHETIC / "city-xiuzhou-2021-t2021.pdf"
    run = CliRunner().invoke(cli, ["parse", str(published_error), str(clean), "-o", str(out)])
    assert run.exit_code in (0, 1), run.output
    page, _, data = write_report(out, tmp_path / "site" / "report.html", reviews=True)
    by_file = {Path(v.document["source_path"]).name: v.doc_id for v in data.views}
    links = re.findall(r'href="(review/[0-9a-f]+/index\.html)"', page.read_text(encoding="utf-8"))
    assert links == [f"review/{by_file[published_error.name]}/index.html"]  # the clean report needs none
    review = (page.parent / links[0]).read_text(encoding="utf-8")
    assert "applications.balance" in review
