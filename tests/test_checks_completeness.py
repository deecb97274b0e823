"""Completeness rules: sections, tables, blank cells, preamble facts, fee statement, template."""

from __future__ import annotations

import pytest
import viewbuilders as vb

from pipeline.checks import check_document, coverage_rows


def rules_fired(rows) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in check_document(vb.view(rows)):
        out.setdefault(f.rule, []).append(f)
    return out


def test_every_missing_section_is_named():
    rows = vb.with_text(vb.with_text(vb.report(), "overview", None), "other_matters", None)
    found = rules_fired(rows)["completeness.section_missing"]
    assert [(f.table, f.row, f.severity) for f in found] == [("sections", "overview", "warning"),
                                                               ("sections", "other_matters", "warning")]
    assert "一、总体情况" in found[0].message


@pytest.mark.parametrize("text", ["无", "无。", "暂无。", "（文字描述）", "  "])
def test_section_five_needs_real_content(text):
    found = rules_fired(vb.with_text(vb.report(), "problems_improvements", text))
    assert [f.row for f in found["completeness.section_empty"]] == ["problems_improvements"]


def test_section_six_may_say_there_is_nothing_else():
    rows = vb.with_text(vb.report(2020, year=2020), "other_matters", "无。")
    assert "completeness.section_empty" not in rules_fired(rows)


def test_a_table_printed_without_data_rows_is_present():
    rows = vb.without_table(vb.report(), "review_litigation")  # the section still prints the header
    assert "completeness.table_missing" not in rules_fired(rows)


def test_blank_cells_are_counted_per_table():
    rows = vb.with_cell(vb.report(), "applications", "other", "other_org", "/")
    rows = vb.with_cell(rows, "applications", "other", "legal_service_org", "")
    [found] = rules_fired(rows)["completeness.blank_cells"]
    assert (found.table, found.actual, found.severity) == ("applications", 2, "info")
    assert "2 of 70 printed cells are blank" in found.message


@pytest.mark.parametrize("preamble", [
    "统计期限自2023年1月1日起至2023年12月31日止。电子邮箱：hxqgk@xiuzhou.gov.example",
    "本报告所列数据统计时间为2023年1月1日至12月31日。地址：泓溪大道28号",
    "数据自2023年1月1日至2023年12月31日。联系电话 0917-82356789",
])
def test_period_and_contact_in_their_usual_wordings(preamble):
    found = rules_fired(vb.with_text(vb.report(), "preamble", preamble))
    assert "completeness.statistics_period" not in found
    assert "completeness.contact" not in found


def test_the_fee_statement_is_required_from_2021_only():
    no_fee = "无其他需要报告的事项。"
    assert "completeness.processing_fee" in rules_fired(vb.with_text(vb.report(year=2021), "other_matters", no_fee))
    assert "completeness.processing_fee" not in rules_fired(vb.with_text(vb.report(year=2020, template="2019"),
                                                                         "other_matters", no_fee))


@pytest.mark.parametrize(("year", "template", "fires"), [
    (2019, "2019", False), (2020, "2019", False), (2020, "2021", True), (2021, "2021", False),
    (2023, "mixed", True), (2024, "2019", True), (2018, "2019", False),
])
def test_the_template_expected_for_the_year(year, template, fires):
    found = rules_fired(vb.report(year=year, template=template))
    assert ("completeness.template" in found) is fires


def test_coverage_counts_sections_tables_cells_and_findings():
    rows = vb.with_cell(vb.report(), "review_litigation", "administrative_review", "total", 0)
    rows = vb.with_cell(rows, "applications", "other", "other_org", "—")
    rows = vb.with_text(rows, "other_matters", None)
    view = vb.view(rows)
    [row] = coverage_rows([view], check_document(view))
    # errors: 行政复议 总计; warnings: section 六 missing, prose 行政复议 5件 against 总计 0;
    # infos: the blank cell, and the two sums it leaves not assessable
    assert row == {"doc_id": "hx2023", "sections_present": 5, "tables_present": 3, "cells_total": 93,
                   "cells_filled": 92, "cells_blank": 1, "errors": 1, "warnings": 2, "infos": 3}
