"""The oversight report: HTML content, escaping of document text, the workbook, and the CLI commands."""

from __future__ import annotations

import base64
import hashlib
import re

import openpyxl
import pandas as pd
import pytest
import viewbuilders as vb
from click.testing import CliRunner

from pipeline.checks import RULES
from pipeline.cli import cli
from pipeline.report import build, html, write_report
from pipeline.write import to_arrow, write_tables

HOSTILE = "<script>alert(1)</script>"


def hostile_batch() -> dict:
    """Return two reports whose agency, heading and cells carry markup, one with a published error."""
    clean = vb.with_cell(vb.report("ok2023"), "review_litigation", "administrative_review", "total", 0)
    rows = vb.report("evil2023", agency=HOSTILE + "人民政府")
    rows = vb.with_text(rows, "problems_improvements", "无")
    for section in rows["sections"]:
        if section["section"] == "problems_improvements":
            section["heading"] = "五、<img src=x onerror=alert(2)>"
    rows = vb.with_cell(rows, "active_disclosure", "administrative_licensing", "decisions", "-3")
    rows["records"][0]["raw"] = "=HYPERLINK(\"http://example.invalid\")"
    return vb.merged(clean, rows)


@pytest.fixture
def out_dir(tmp_path):
    rows = hostile_batch()
    tables = {name: to_arrow(name, rows[name]) for name in ("documents", "sections", "records")}
    write_tables(tmp_path, tables)
    return tmp_path


def test_document_text_is_escaped_everywhere():
    page = html.render(build(hostile_batch(), "<out>"))
    assert HOSTILE not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;人民政府" in page
    assert "五、&lt;img src=x onerror=alert(2)&gt;" in page
    assert page.count("<script") == 1


def test_the_page_loads_nothing_from_outside():
    page = html.render(build(vb.merged(vb.previous_year(), vb.report()), "out"))
    # Links stay inside the page (#anchors); pictures, where there are any, are data: URIs.
    assert not re.search(r"""href\s*=\s*"(?!#)|src\s*=\s*"(?!data:)|@import|url\(""", page)
    assert "//" not in re.sub(r'xmlns="http://www\.w3\.org/2000/svg"', "", page.split("<script>")[0])


def test_the_content_security_policy_allows_only_the_shipped_script():
    page = html.render(build(hostile_batch(), "out"))
    digest = base64.b64encode(hashlib.sha256(html.SCRIPT.encode()).digest()).decode()
    assert f"script-src &#x27;sha256-{digest}&#x27;" in page
    assert "default-src &#x27;none&#x27;" in page


def test_the_matrix_has_one_cell_per_report_and_check():
    data = build(hostile_batch(), "out")
    page = html.render(data)
    assert page.count('class="state ') == len(data.views) * len(RULES)
    ok = data.view("ok2023")
    assert data.state(ok, RULES["review_litigation.total"])[0] == "error"
    assert data.state(ok, RULES["applications.balance"])[0] == "pass"
    assert data.state(ok, RULES["cross_year.carried_over"])[0] == "n/a"  # no 2022 report in the batch


def test_every_finding_is_a_row_with_cell_and_page():
    data = build(hostile_batch(), "out")
    page = html.render(data)
    assert len(re.findall(r'<tr id="f-[0-9a-f]{16}" data-severity=', page)) == len(data.findings)
    row = re.search(r'<tr id="f-[0-9a-f]{16}" data-severity="error" data-doc="ok2023".*?</tr>', page).group(0)
    assert "表四 行政复议、行政诉讼 · 行政复议 总计" in row
    assert '<td class="num" data-sort="4">4</td>' in row  # the page of the cell


def test_charts_are_inline_svg_with_one_bar_per_report():
    page = html.render(build(hostile_batch(), "out"))
    assert page.count("<svg") == 4
    assert page.count("Applications received by body") >= 1
    assert "&lt;script&gt;alert(1)&lt;/script&gt;人民政府 2023" in page


def test_write_report_writes_the_page_and_the_workbook(out_dir):
    page, workbook, data = write_report(out_dir, out_dir / "site" / "report.html")
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert workbook == out_dir / "site" / "report.xlsx"
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == ["Summary", "Coverage", "Findings", "Reports", "Applications", "Review"]
    findings = book["Findings"]
    assert findings.max_row == len(data.findings) + 1
    assert findings.auto_filter.ref
    coverage = book["Coverage"]
    assert [c.value for c in coverage[1]][2:] == [r.id for r in data.rules]


def test_workbook_text_never_becomes_a_formula(out_dir):
    rows = hostile_batch()
    rows["documents"][1]["agency"] = "=1+1"
    tables = {name: to_arrow(name, rows[name]) for name in ("documents", "sections", "records")}
    write_tables(out_dir, tables)
    _, workbook, _ = write_report(out_dir, out_dir / "report.html")
    cells = [c for sheet in openpyxl.load_workbook(workbook) for row in sheet.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells
    assert {c.data_type for c in cells} == {"s"}


def test_cli_rules_lists_every_rule():
    run = CliRunner().invoke(cli, ["rules"])
    assert run.exit_code == 0
    listed = [line.split()[0] for line in run.output.splitlines()]
    assert sorted(listed) == sorted(RULES)
    for line in run.output.splitlines():
        rule_id, severity = line.split()[:2]
        assert severity == RULES[rule_id].severity


def test_cli_check_rewrites_findings_and_coverage(out_dir):
    run = CliRunner().invoke(cli, ["check", str(out_dir)])
    assert run.exit_code == 0, run.output
    assert "2 document(s) checked: 2 error(s) in 2 document(s)" in run.output
    findings = pd.read_parquet(out_dir / "findings.parquet")
    assert list(findings.columns) == ["doc_id", "rule", "severity", "table", "row", "column", "expected", "actual",
                                      "message", "needs_review"]
    assert sorted(findings[findings.severity == "error"].rule) == ["review_litigation.total", "values.whole_number"]
    coverage = pd.read_csv(out_dir / "coverage.csv", encoding="utf-8-sig").set_index("doc_id")
    assert coverage.loc["ok2023", "errors"] == 1
    assert not list(out_dir.glob(".*.tmp"))


def test_cli_check_needs_parsed_output(tmp_path):
    run = CliRunner().invoke(cli, ["check", str(tmp_path)])
    assert run.exit_code == 1
    assert "documents.parquet not found" in run.output


def test_cli_report_writes_html_and_xlsx(out_dir, tmp_path):
    target = tmp_path / "oversight.html"
    run = CliRunner().invoke(cli, ["report", str(out_dir), "-o", str(target)])
    assert run.exit_code == 0, run.output
    assert target.is_file()
    assert target.with_suffix(".xlsx").is_file()
    assert "2 report(s)" in run.output


def test_a_report_in_two_formats_is_told_apart_by_its_format():
    data = build(vb.merged(vb.report("d", fmt="docx"), vb.report("p", fmt="pdf")), "out")
    assert sorted(data.label(v) for v in data.views) == ["岫州市泓溪区人民政府 2023 · docx",
                                                         "岫州市泓溪区人民政府 2023 · pdf"]
