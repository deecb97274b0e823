"""Which readings need review: real parses, re-read as if their tables had been reconstructed."""

from __future__ import annotations

import dataclasses
import json

import pytest
from conftest import CORPUS, FORMATS, SYNTHETIC, needs_corpus

from pipeline.checks import check_document, run_checks, truth_keys, views_from_rows
from pipeline.checks.evidence import assess, verdict
from pipeline.run import parse_file


@pytest.fixture(scope="module")
def hongze():
    """The 2023 report of 洪泽区: a ruled PDF whose table 四 publishes two real errors."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (a clone outside the team); CI always has it")
    return parse_file(CORPUS / "huaian-hongze-2023.pdf")


def _view(result, method=None, drop=(), confidence=None):
    """Return the DocView of a parse, its records' method replaced and some cells dropped."""
    records = [dataclasses.replace(r, method=method or r.method) for r in result.records
               if (r.table, r.row, r.column) not in drop and (r.table, r.row) not in drop]
    ocr = [{"doc_id": r.doc_id, "table": r.table, "row": r.row, "column": r.column,
            "confidence": (confidence or {}).get((r.table, r.row, r.column), 0.99)}
           for r in records] if method == "ocr" else []
    return views_from_rows([dict(result.document, status="ok")], [], records, ocr)[0]


@needs_corpus
def test_a_ruled_grid_with_published_errors_stays_ok(hongze):
    assert hongze.document["status"] == "ok"
    assert hongze.document["error"] is None
    errors = [f for f in hongze.findings if f["severity"] == "error"]
    assert truth_keys(errors) == sorted(json.loads((CORPUS / "huaian-hongze-2023.pdf.truth.json").read_text())[
        "expected_errors"])
    assert not any(f["needs_review"] for f in hongze.findings)
    assert {r.method for r in hongze.records} == {"grid"}


@needs_corpus
def test_the_same_cells_read_by_ocr_need_review(hongze):
    view = _view(hongze, method="ocr")
    judged = verdict(view, check_document(view))
    assert judged.needs_review
    assert judged.doubtful == {"review_litigation"}
    assert judged.error == ("review_litigation (表四 行政复议、行政诉讼, read as ocr): its printed cells break "
                            "review_litigation.total")


@needs_corpus
def test_findings_on_a_doubtful_table_are_marked_and_the_others_not(hongze):
    view = _view(hongze, method="ocr")
    rows = {"documents": [dict(view.document, status="needs_review")], "sections": [],
            "records": [dataclasses.asdict(r) for r in view.records]}
    findings = run_checks(views_from_rows(rows["documents"], [], rows["records"]))
    marked = {(f.rule, f.table) for f in findings if f.needs_review}
    assert ("review_litigation.total", "review_litigation") in marked
    assert all(f.needs_review == (f.table in ("active_disclosure", "applications", "review_litigation"))
               for f in findings)


@needs_corpus
def test_a_row_lost_from_a_ruled_grid_needs_review(hongze):
    view = _view(hongze, drop=[("applications", "denied.state_secret")])
    (doubt,) = assess(view, check_document(view))
    assert (doubt.table, doubt.method) == ("applications", "grid")
    assert doubt.reasons == ("1 rows of the template missing (denied.state_secret)",)


@needs_corpus
def test_cells_missing_from_a_printed_row_need_review(hongze):
    drop = [("applications", "granted", "total"), ("applications", "granted", "other_org")]
    view = _view(hongze, method="positions", drop=drop)
    doubts = {d.table: d for d in assess(view, check_document(view))}
    assert "2 cells of printed rows missing (granted.other_org, granted.total)" in doubts["applications"].reasons


@needs_corpus
def test_low_ocr_confidence_needs_review(hongze):
    low = {("active_disclosure", "regulations", "issued"): 0.5, ("active_disclosure", "regulations", "in_force"): 0.8}
    view = _view(hongze, method="ocr", confidence=low)
    doubts = {d.table: d for d in assess(view, check_document(view))}
    assert doubts["active_disclosure"].reasons == ("2 values read by OCR with confidence below 0.9",)


@needs_corpus
@pytest.mark.parametrize("method", ["positions", "grid"])
def test_digits_that_make_no_number_need_review(hongze, method):
    # A figure cut by a page break: "2,28" is no number, and no blank. In a table rebuilt from text
    # positions, and in a ruled grid too (a LibreOffice export whose cell wrapped "2,334" over a page
    # break printed "2,33" on one page and "4" in the next page's first row).
    view = _view(hongze, method=method)
    garbled = [dataclasses.replace(r, value=None, raw="2,28") if (r.row, r.column) == ("granted", "total") else r
               for r in view.records]
    view = views_from_rows([view.document], [], garbled)[0]
    doubts = {d.table: d for d in assess(view, check_document(view))}
    assert doubts["applications"].reasons == ("1 cells print digits that read as no number (granted.total)",)
    assert doubts["applications"].method == method


def test_a_report_with_every_cell_blank_is_never_ok():
    candidates = [p for p in sorted(SYNTHETIC.glob("*.docx"))
                  if "all-blank" in json.loads(p.with_name(p.name + ".truth.json").read_text())["variants"]]
    assert candidates, "the synthetic set has an all-blank report"
    result = parse_file(candidates[0])
    assert result.document["status"] == "needs_review"
    assert result.document["error"].startswith("every one of the ")
    assert result.records
    assert all(r.value is None for r in result.records)


def test_a_scan_that_breaks_rules_needs_review_and_its_errors_are_marked():
    scan = FORMATS / "dept-lanjiang-jyt-2022-t2021-scan.png"
    truth = json.loads(scan.with_name(scan.name + ".truth.json").read_text())
    result = parse_file(scan)
    assert result.document["status"] == "needs_review"
    assert result.document["error"] == ("applications (表三 依申请公开, read as ocr): its printed cells break "
                                        "applications.balance, applications.row_total")
    errors = [f for f in result.findings if f["severity"] == "error"]
    assert truth_keys(errors) == sorted(truth["expected_errors"])
    assert all(f["needs_review"] for f in errors)


def test_a_2019_row_of_table_two_without_its_change_is_no_2021_row():
    # 行政处罚 printed with 上一年项目数量 and 处理决定数量 but no 本年增/减 (a heading OCR read 本年增/減):
    # the row prints a column only 2019's table has, so it is a 2019 row missing a cell.
    result = parse_file(SYNTHETIC / "county-qingyu-2019-t2019.pdf")
    view = _view(result, method="ocr", drop=[("active_disclosure", "administrative_penalty", "change")])
    doubts = {d.table: d for d in assess(view, check_document(view))}
    assert doubts["active_disclosure"].reasons == ("1 cells of printed rows missing (administrative_penalty.change)",)
