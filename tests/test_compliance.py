"""Compliance coverage: a roster of bodies over years against written output, as `govreport coverage` reads it."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.compliance import parse_years, to_act
from pipeline.metadata import describe, title_of
from pipeline.output.write import to_arrow, write_tables

# (doc_id, title as printed, preamble, closing lines, file): one body printed three ways over three years.
REPORTS = [
    ("hz2022", "洪泽区人民政府2022年政府信息公开工作年度报告", "联系电话：0517-87222589。", ["2023年1月20日"], "hz2022.pdf"),
    ("hz2023", "淮安市洪泽区人民政府2023年政府信息公开工作年度报告", "发布日期：2024-01-25", [], "hz2023.html"),
    ("hz2024", "江苏省淮安市洪泽区人民政府办公室2024年政府信息公开工作年度报告", "", [], "hz2024.pdf"),
    ("pt2023", "平潭综合实验区2023年度政府信息公开工作年度报告", "", [], "pt2023.html"),
]
ROSTER = """name,adcode,level,parent
洪泽区人民政府,,,
平潭综合实验区管委会,,,
教育局,,,淮安市人民政府
岫州市人民政府,,,
宝山区人民政府,,,
"""


def write_output(folder):
    """Write the output tables of REPORTS (metadata as the parser makes it), a roster and a manifest to `folder`."""
    rows: dict[str, list] = {"documents": [], "metadata": [], "coverage": [], "sections": [], "records": []}
    for doc_id, title, preamble, closing, name in REPORTS:
        meta = describe(title_of([title]), f"{title}\n{preamble}", closing)
        rows["metadata"].append({"doc_id": doc_id, **meta})
        rows["documents"].append({"doc_id": doc_id, "source_path": f"reports/{name}", "agency": meta["agency"],
                                  "year": meta["year"], "status": "ok", "body_id": meta["body_id"]})
        rows["coverage"].append({"doc_id": doc_id, "sections_present": 6, "tables_present": 3, "errors": 0,
                                 "warnings": 1})
    write_tables(folder, {name: to_arrow(name, table_rows) for name, table_rows in rows.items()}, ("parquet",))
    (folder / "roster.csv").write_text(ROSTER, encoding="utf-8")
    (folder / "manifest.csv").write_text("file,published\npt2023.html,2024-03-08\n", encoding="utf-8")
    return folder


def run_coverage(folder):
    """Run `govreport coverage` on a folder of write_output over 2022–2024."""
    return CliRunner().invoke(cli, ["coverage", str(folder), "--roster", str(folder / "roster.csv"), "--years",
                                    "2022-2024", "--manifest", str(folder / "manifest.csv")])


@pytest.fixture
def out(tmp_path):
    return write_output(tmp_path)


def test_coverage_rows_for_a_roster_over_three_years(out):
    run = run_coverage(out)
    assert run.exit_code == 1, run.output  # two roster names could not be matched
    table = pq.read_table(out / "compliance.parquet").to_pylist()
    got = [(r["roster_name"], r["year"], r["state"], r["doc_id"], r["published_date"], r["date_source"], r["on_time"])
           for r in table]
    assert got == [
        ("洪泽区人民政府", 2022, "published", "hz2022", "2023-01-20", "document", True),
        ("洪泽区人民政府", 2023, "published", "hz2023", "2024-01-25", "web_page", True),
        ("洪泽区人民政府", 2024, "published", "hz2024", None, None, None),
        ("平潭综合实验区管委会", 2022, "missing", None, None, None, None),
        ("平潭综合实验区管委会", 2023, "published", "pt2023", "2024-03-08", "manifest", False),
        ("平潭综合实验区管委会", 2024, "missing", None, None, None, None),
        ("教育局", 2022, "missing", None, None, None, None),
        ("教育局", 2023, "missing", None, None, None, None),
        ("教育局", 2024, "missing", None, None, None, None),
        ("岫州市人民政府", 2022, "unknown", None, None, None, None),
        ("岫州市人民政府", 2023, "unknown", None, None, None, None),
        ("岫州市人民政府", 2024, "unknown", None, None, None, None),
        ("宝山区人民政府", 2022, "ambiguous", None, None, None, None),
        ("宝山区人民政府", 2023, "ambiguous", None, None, None, None),
        ("宝山区人民政府", 2024, "ambiguous", None, None, None, None),
    ]
    hongze = table[0]
    assert (hongze["body_id"], hongze["adcode"], hongze["level"]) == ("320813-fe623fb2", "320813", "county")
    assert (table[6]["body_name"], table[6]["level"]) == ("江苏省淮安市教育局", "department")
    assert (table[0]["sections_present"], table[0]["warnings"], table[0]["needs_review"]) == (6, 1, False)
    assert "roster: unknown: 岫州市人民政府" in run.output
    assert "roster: ambiguous: 宝山区人民政府 fits" in run.output
    assert "上海市宝山区 (310113)" in run.output
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["name"] for r in package["resources"]] == ["compliance"]
    assert [(r["roster_name"], r["year"]) for r in to_act(table)] == [
        ("教育局", 2022), ("教育局", 2023), ("教育局", 2024), ("平潭综合实验区管委会", 2022),
        ("平潭综合实验区管委会", 2023), ("平潭综合实验区管委会", 2024)]


def test_the_compliance_table_validates_as_a_data_package(out):
    frictionless = pytest.importorskip("frictionless")
    (out / "roster.csv").write_text("name\n洪泽区人民政府\n", encoding="utf-8")
    run = CliRunner().invoke(cli, ["coverage", str(out), "--roster", str(out / "roster.csv")])
    assert run.exit_code == 0, run.output
    report = frictionless.validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_years_read_as_a_range_or_one_year():
    assert parse_years("2019-2021") == [2019, 2020, 2021]
    assert parse_years("2023") == [2023]


def test_the_oversight_report_shows_the_heat_table_and_the_reports_to_act_on(out):
    from openpyxl import load_workbook

    run_coverage(out)
    run = CliRunner().invoke(cli, ["report", str(out), "-o", str(out / "report.html")])
    assert run.exit_code == 0, run.output
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('class="coverage-published"') == 3
    assert page.count('class="coverage-late"') == 1
    assert page.count('class="coverage-missing"') == 5
    assert "<li>江苏省淮安市教育局 2022: missing</li>" in page
    assert "<li>福建省福州市平潭综合实验区 2023: late, published 2024-03-08</li>" in page
    sheet = load_workbook(out / "report.xlsx")["Compliance coverage"]
    rows = [tuple(c.value for c in row) for row in sheet.iter_rows()]
    assert rows[0] == ("Body", 2022, 2023, 2024)
    assert ("江苏省淮安市洪泽区人民政府", "published", "published", "published") in rows
    assert ("福建省福州市平潭综合实验区", "missing", "late", "missing") in rows
    assert ("福建省福州市平潭综合实验区", 2023, "late", "2024-03-08") in rows


def test_a_roster_derived_from_the_gazetteer_every_county_of_a_city(out):
    run = CliRunner().invoke(cli, ["coverage", str(out), "--governments-under", "淮安市", "--years", "2023",
                                   "-o", str(out / "huaian.parquet")])
    assert run.exit_code == 0, run.output
    rows = pq.read_table(out / "huaian.parquet").to_pylist()
    assert [(r["adcode"], r["state"]) for r in rows] == [
        ("320803", "missing"), ("320804", "missing"), ("320812", "missing"), ("320813", "published"),
        ("320826", "missing"), ("320830", "missing"), ("320831", "missing")]
    assert rows[3]["roster_name"] == "江苏省淮安市洪泽区人民政府"
    assert (out / "huaian.csv").is_file()
    package = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    assert [r["path"] for r in package["resources"]] == ["huaian.csv"]


def test_no_roster_at_all_is_an_error(out):
    run = CliRunner().invoke(cli, ["coverage", str(out)])
    assert run.exit_code == 1
    assert "--roster" in run.output
