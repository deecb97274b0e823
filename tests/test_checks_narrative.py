"""Narrative rules: figures stated in prose against the tables, and years named in work statements."""

from __future__ import annotations

import pytest
import viewbuilders as vb

from pipeline.checks import check_document


def narrative(rows, rule="narrative.figures"):
    return [f for f in check_document(vb.view(rows)) if f.rule == rule]


@pytest.mark.parametrize(("text", "row", "stated"), [
    ("全年共受理政府信息公开申请 2 1 件，均按时答复。", "new_received", 21),
    ("本年度收到政府信息公开申请3,119件。", "new_received", 3119),
    ("答复3050件（含上年度结转申请34件，另有103件顺延到下年度答复）。", "total", 3050),
    ("答复12件（含上年度结转申请34件）。", "carried_over", 34),
    ("另有72件申请按照《条例》顺延到下年度答复。", "carried_forward", 72),
    ("结转下年度继续办理9件。", "carried_forward", 9),
    ("政府信息公开行政复议351件，其中结果维持72件。", "administrative_review", 351),
    ("政府信息公开行政诉讼46件。", "litigation_direct+litigation_after_review", 46),
    ("信息公开类行政复议5件，诉讼9件，均获维持。", "litigation_direct+litigation_after_review", 9),
])
def test_a_figure_the_table_does_not_print_is_a_warning(text, row, stated):
    [found] = [f for f in narrative(vb.with_text(vb.report(), "overview", text)) if f.row == row]
    assert (found.row, found.column, found.actual, found.severity) == (row, "total", stated, "warning")
    assert "prose states" in found.message
    assert "prints" in found.message


def test_lawsuits_are_the_two_litigation_rows_together():
    rows = vb.with_cell(vb.report(), "review_litigation", "litigation_after_review", "total", 2)
    rows = vb.with_cell(rows, "review_litigation", "litigation_after_review", "maintained", 2)
    rows = vb.with_text(rows, "overview", "被提起行政诉讼3件。")
    assert narrative(rows) == []


def test_a_blank_table_cell_leaves_the_prose_unchecked():
    rows = vb.with_cell(vb.report(), "applications", "new_received", "total", "")
    assert narrative(vb.with_text(rows, "overview", "受理政府信息公开申请99件。")) == []


def test_table_rows_printed_in_a_section_are_not_prose():
    rows = vb.with_text(vb.report(), "applications", "结转下年度继续办理\t7件\t0\t0")
    assert narrative(rows) == []


@pytest.mark.parametrize(("text", "years"), [
    ("2021年，我区认真贯彻落实条例。", [2021]),
    ("（一）主动公开情况。2022年，我区主动公开政府信息。", [2022]),
    ("一是2020年度制定了工作方案。", [2020]),
])
def test_a_work_statement_opening_with_another_year_is_noted(text, years):
    found = narrative(vb.with_text(vb.report(), "overview", text), "narrative.other_year")
    assert [f.actual for f in found] == years
    assert found[0].severity == "info"


@pytest.mark.parametrize("text", ["2023年，我区主动公开信息。", "2024年，我区将加强解读。", "截至2023年12月31日，已办结。",
                                  "依据2019年修订的条例。"])
def test_the_report_year_plans_and_dates_are_not_noted(text):
    assert narrative(vb.with_text(vb.report(), "overview", text), "narrative.other_year") == []
