"""The oversight report: HTML content, escaping of document text, the workbook, and the CLI commands."""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape

import openpyxl
import pandas as pd
import pytest
import viewbuilders as vb
from click.testing import CliRunner

from pipeline.checks import RULES
from pipeline.cli import cli
from pipeline.output.write import to_arrow, write_tables
from pipeline.report import build, html, write_report

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
                                      "message", "needs_review", "fingerprint"]
    assert findings.fingerprint.notna().all()
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


# --- what the report's users need: reasons, names, order, a usable workbook ------------------------

ZIP_REFUSALS = ("../escape.pdf", "inner/nested.zip")


@pytest.fixture(scope="module")
def mixed_output(tmp_path_factory):
    """A parse of a good report, an empty file and a .zip whose members are refused, then reported."""
    import zipfile

    from conftest import SYNTHETIC

    folder = tmp_path_factory.mktemp("mixed")
    inputs = folder / "in"
    inputs.mkdir()
    (inputs / "empty.pdf").write_bytes(b"")
    with zipfile.ZipFile(inputs / "bundle.zip", "w") as archive:
        for name in ZIP_REFUSALS:
            archive.writestr(name, b"%PDF-1.4 not really")
    good = SYNTHETIC / "city-luyuan-2024-t2021.docx"  # three error findings
    out = folder / "out"
    run = CliRunner().invoke(cli, ["parse", str(inputs / "empty.pdf"), str(inputs / "bundle.zip"), str(good),
                                   "-o", str(out)])
    assert run.exit_code == 1, run.output
    page, workbook, data = write_report(out, out / "report.html")
    return page.read_text(encoding="utf-8"), openpyxl.load_workbook(workbook), data


def test_each_failed_report_shows_its_reason_under_its_own_name(mixed_output):
    page, book, data = mixed_output
    problems = page.split('id="problems-table"', 1)[1].split("</table>", 1)[0]
    failed = [v for v in data.views if v.document["status"] == "failed"]
    assert len(failed) == 3
    for view in failed:
        assert view.document["error"]
        assert escape(view.document["error"]) in problems
    names = sorted(data.label(v) for v in failed)
    assert names == sorted(["empty.pdf", *(f"bundle.zip!{name}" for name in ZIP_REFUSALS)])
    reports = book["Reports"]
    header = [c.value for c in reports[1]]
    rows = {r[header.index("File")]: r for r in reports.iter_rows(min_row=2, values_only=True)}
    assert "unsafe path in zip archive" in rows["bundle.zip!../escape.pdf"][header.index("Reason")]
    assert "nested archive not expanded" in rows["bundle.zip!inner/nested.zip"][header.index("Reason")]
    assert rows["empty.pdf"][header.index("Reason")] == next(v.document["error"] for v in failed
                                                           if v.document["source_path"].endswith("empty.pdf"))


def test_reports_are_listed_most_urgent_first(mixed_output):
    page, book, data = mixed_output
    documents = page.split('id="documents-table"', 1)[1].split("</table>", 1)[0]
    urgencies = re.findall(r'<tr id="doc-[0-9a-f]{16}" class="u-(\w+)"', documents)
    assert urgencies == ["failed"] * 3 + ["errors"]
    statuses = [r[6] for r in book["Reports"].iter_rows(min_row=2, values_only=True)]
    assert statuses == ["failed"] * 3 + [data.views[-1].document["status"]]
    matrix = [r[0] for r in book["Coverage"].iter_rows(min_row=2, values_only=True)]
    assert matrix[-1] == data.label(data.views[-1])  # the report read comes after the three not read


def test_matrix_cells_link_to_their_findings(mixed_output):
    page, book, _ = mixed_output
    ids = set(re.findall(r'<tr id="(f-[0-9a-f]{16})"', page))
    links = re.findall(r'<td class="state error"[^>]*><a href="#(f-[0-9a-f]{16})">', page)
    assert links
    assert set(links) <= ids
    findings = book["Findings"]
    linked = [c for row in book["Coverage"].iter_rows(min_row=2) for c in row if c.hyperlink]
    assert linked
    for cell in linked:
        sheet, target = cell.hyperlink.location.split("!")
        assert sheet == "'Findings'"
        row = int(target[1:])
        assert findings.cell(row, 8).value == book["Coverage"].cell(1, cell.column).value  # the rule of the column


def test_every_sheet_has_a_filter_a_frozen_header_and_numbers_as_numbers(mixed_output):
    _, book, _ = mixed_output
    for sheet in book.worksheets:
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        assert sheet.freeze_panes in ("A2", "B2", "C2"), sheet.title
        assert all(c.font.bold for c in sheet[1]), sheet.title
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    assert not re.fullmatch(r"-?\d+(\.\d+)?", cell.value), (sheet.title, cell.coordinate, cell.value)
    findings = book["Findings"]
    header = [c.value for c in findings[1]]
    rows = list(findings.iter_rows(min_row=2, values_only=True))
    errors = [r for r in rows if r[header.index("Severity")] == "error"]
    assert all(isinstance(r[header.index(k)], (int, float)) for r in errors for k in ("Expected", "Actual"))
    assert {"Agency", "Region", "body_id", "Decision", "Fingerprint"} <= set(header)
    summary = dict(book["Summary"].iter_rows(min_row=2, values_only=True))
    assert summary["Reports 报告"] == 4
    assert summary["Failed or unread 未能读取"] == 3


def test_columns_are_as_wide_as_their_chinese_text(mixed_output):
    from pipeline.report.xlsx import MAX_WIDTH, display_width

    _, book, _ = mixed_output
    sheet = book["Findings"]
    header = [c.value for c in sheet[1]]
    column = header.index("Cell") + 1
    longest = max(display_width(str(c.value)) for c in sheet[openpyxl.utils.get_column_letter(column)][1:])
    assert display_width("表三 收到") == 9
    width = sheet.column_dimensions[openpyxl.utils.get_column_letter(column)].width
    assert width >= min(longest, MAX_WIDTH)
