"""Every rule of the catalogue: silent on a consistent batch, firing on a batch perturbed for it.

The batch is two consecutive reports of one body built in code (tests/viewbuilders.py); each
perturbation changes the 2023 report only, so the rule must fire there.
"""

from __future__ import annotations

import copy

import pytest
import viewbuilders as vb

from pipeline.checks import RULES, Finding, check_document, run_checks, truth_keys
from pipeline.checks.registry import finding, rule

NOW = "hx2023"


def batch() -> dict:
    return vb.merged(vb.previous_year(), vb.report(NOW))


def _reordered(rows: dict) -> dict:
    out = copy.deepcopy(rows)
    mine = [s for s in out["sections"] if s["doc_id"] == NOW]
    overview = next(s for s in mine if s["section"] == "overview")
    mine.remove(overview)
    mine.insert(4, overview)
    out["sections"] = [s for s in out["sections"] if s["doc_id"] != NOW] + mine
    return out


def _carried_over_2(rows: dict) -> dict:
    out = vb.merged(vb.previous_year(), vb.report(NOW, tables={
        "active_disclosure": vb.active(), "applications": vb.applications(carried_over=2),
        "review_litigation": vb.review()}))
    return out


def _both(rows: dict, *changes: tuple) -> dict:
    for change in changes:
        rows = vb.with_cell(rows, *change, doc_id=NOW)
    return rows


PERTURBED = {
    "applications.balance": lambda r: _both(r, ("applications", "carried_forward", "natural_person", 2),
                                            ("applications", "carried_forward", "total", 2)),
    "applications.row_total": lambda r: vb.with_cell(r, "applications", "new_received", "total", 13, NOW),
    "applications.outcomes": lambda r: _both(r, ("applications", "granted", "natural_person", 6),
                                             ("applications", "granted", "total", 7)),
    "review_litigation.total": lambda r: vb.with_cell(r, "review_litigation", "administrative_review", "total", 0, NOW),
    "values.whole_number": lambda r: vb.with_cell(r, "active_disclosure", "administrative_licensing", "decisions",
                                                  "1.5", NOW),
    "values.split_cell": lambda r: vb.with_cell(r, "review_litigation", "litigation_direct", "total", 10, NOW),
    "completeness.section_missing": lambda r: vb.with_text(r, "problems_improvements", None, NOW),
    "completeness.section_order": _reordered,
    "completeness.section_empty": lambda r: vb.with_text(r, "problems_improvements", "无。", NOW),
    "completeness.table_missing": lambda r: vb.with_text(vb.without_table(r, "review_litigation"),
                                                         "review_litigation", "", NOW),
    "completeness.blank_cells": lambda r: vb.with_cell(r, "active_disclosure", "administrative_licensing",
                                                       "decisions", "—", NOW),
    "completeness.statistics_period": lambda r: vb.with_text(r, "preamble", "2023年政府信息公开工作年度报告。"
                                                             "联系电话：0917-82356789。", NOW),
    "completeness.contact": lambda r: vb.with_text(r, "preamble", "本报告中所列数据统计期限自2023年1月1日起至"
                                                   "2023年12月31日止。", NOW),
    "completeness.processing_fee": lambda r: vb.with_text(r, "other_matters", "无其他需要报告的事项。", NOW),
    "completeness.template": lambda r: vb.with_document(r, NOW, template="mixed"),
    "completeness.metadata": lambda r: vb.with_document(r, NOW, year=None),
    "cross_year.carried_over": _carried_over_2,
    "cross_year.in_force": lambda r: vb.with_cell(r, "active_disclosure", "regulations", "in_force", 12, NOW),
    "cross_year.repeated_prose": lambda r: vb.merged(vb.previous_year(), vb.report(NOW, sections=vb.prose(2023, 1))),
    "narrative.figures": lambda r: vb.with_text(r, "overview", "2023年，全区共受理政府信息公开申请21件。", NOW),
    "narrative.other_year": lambda r: vb.with_text(r, "overview", "2021年，我区认真贯彻落实条例。", NOW),
    "timeliness.late": lambda r: vb.with_text(r, "preamble", "发布日期：2024-03-05。本报告中所列数据统计期限自2023年1月1日"
                                              "起至2023年12月31日止。联系电话：0917-82356789。", NOW),
    "ocr.low_confidence": lambda r: vb.scanned(r, NOW, {("applications", "new_received", "total"): 0.7}),
    "ocr.blank_cells": lambda r: vb.scanned(vb.with_cell(r, "review_litigation", "litigation_direct", "other", None,
                                                         NOW), NOW),
}


def test_every_rule_has_a_perturbation():
    assert set(PERTURBED) == set(RULES)


def test_the_consistent_batch_has_no_finding():
    assert run_checks(vb.views(batch())) == []


@pytest.mark.parametrize("rule_id", sorted(PERTURBED))
def test_the_rule_fires_on_its_perturbation(rule_id):
    findings = run_checks(vb.views(PERTURBED[rule_id](batch())))
    mine = [f for f in findings if f.rule == rule_id]
    assert mine, f"{rule_id} did not fire; got {[f.rule for f in findings]}"
    assert {f.doc_id for f in mine} == {NOW}
    assert {f.severity for f in mine} == {RULES[rule_id].severity}
    assert all(f.message and not f.message.startswith("check failed") for f in findings)


@pytest.mark.parametrize(("rule_id", "keys"), [
    ("applications.balance", ["applications.balance:natural_person", "applications.balance:total"]),
    ("applications.row_total", ["applications.row_total:new_received"]),
    ("applications.outcomes", ["applications.outcomes:natural_person", "applications.outcomes:total"]),
    ("review_litigation.total", ["review_litigation.total:administrative_review"]),
    ("cross_year.carried_over", ["cross_year.carried_over:natural_person", "cross_year.carried_over:total"]),
    ("values.whole_number", ["values.whole_number:administrative_licensing.decisions"]),
])
def test_error_rules_name_the_place_as_truth_files_do(rule_id, keys):
    findings = run_checks(vb.views(PERTURBED[rule_id](batch())))
    assert [k for k in truth_keys(findings) if k.startswith(rule_id + ":")] == keys


def test_review_message_names_the_cell_its_sum_and_page():
    rows = vb.with_cell(vb.report(), "review_litigation", "administrative_review", "total", 0)
    [found] = [f for f in check_document(vb.view(rows)) if f.rule == "review_litigation.total"]
    assert found.message == "行政复议 总计 printed 0, parts sum to 5 (p.4)"
    assert (found.table, found.row, found.column, found.expected, found.actual, found.page) == (
        "review_litigation", "administrative_review", "total", 5, 0, 4)


def test_balance_message_names_both_sides():
    rows = vb.with_cell(vb.report(), "applications", "carried_forward", "legal_service_org", 1)
    found = [f for f in check_document(vb.view(rows)) if f.rule == "applications.balance"]
    assert [f.column for f in found] == ["legal_service_org"]
    assert found[0].message.startswith("法律服务机构: （七）总计 + 四、结转下年度继续办理 = 1, but ")
    assert "(p.3)" in found[0].message


def test_a_blank_cell_makes_the_sum_not_assessable_not_an_error():
    rows = vb.with_cell(vb.report(), "review_litigation", "administrative_review", "corrected", None)
    rows = vb.with_cell(rows, "review_litigation", "administrative_review", "total", 0)
    found = [f for f in check_document(vb.view(rows)) if f.rule == "review_litigation.total"]
    assert [f.severity for f in found] == ["info"]
    assert "not assessable in 1 of 3 rows" in found[0].message
    assert truth_keys(found) == []


def test_outcomes_use_the_other_sub_rows_when_they_are_printed():
    tables = {"applications": vb.applications()}
    other = tables["applications"].pop("other")
    tables["applications"]["other.no_correction"] = other
    tables["applications"]["other.misc"] = vb.app_row(0)
    rows = vb.report(tables=tables)
    assert [f.rule for f in check_document(vb.view(rows)) if f.severity == "error"] == []
    # the single （六） row printed beside its sub-rows is not counted twice
    tables["applications"]["other"] = other
    assert [f.rule for f in check_document(vb.view(vb.report(tables=tables))) if f.severity == "error"] == []


@pytest.mark.parametrize(("column", "raw"), [("amount_10k_yuan", "96171.6"), ("amount_10k_yuan", "-3"),
                                              ("change", "-12"), ("procurement_amount", "251000.5")])
def test_amounts_and_changes_may_be_fractional_or_negative(column, raw):
    tables = {"active_disclosure": {"administrative_fees": {column: raw}}}
    assert [f for f in check_document(vb.view(vb.report(tables=tables))) if f.rule == "values.whole_number"] == []


def test_a_negative_count_is_an_error():
    rows = vb.with_cell(vb.report(), "applications", "not_processed.duplicate", "other_org", "-1")
    found = [f for f in check_document(vb.view(rows)) if f.rule == "values.whole_number"]
    assert [(f.row, f.column, f.actual) for f in found] == [("not_processed.duplicate", "other_org", -1)]


def test_split_cell_points_at_both_cells():
    rows = vb.with_cell(vb.report(), "review_litigation", "litigation_direct", "total", 10)
    [found] = [f for f in check_document(vb.view(rows)) if f.rule == "values.split_cell"]
    assert (found.row, found.column, found.expected) == ("litigation_direct", "maintained+corrected", 10)
    assert "'1' and" in found.message
    assert "'0'" in found.message


def test_split_cell_stays_silent_when_no_pair_mends_the_sum():
    rows = vb.with_cell(vb.report(), "review_litigation", "litigation_direct", "total", 7)
    assert [f for f in check_document(vb.view(rows)) if f.rule == "values.split_cell"] == []


def test_truth_keys_read_findings_and_rows_alike():
    rows = vb.with_cell(vb.report(), "review_litigation", "administrative_review", "total", 0)
    findings = check_document(vb.view(rows))
    assert truth_keys(findings) == truth_keys([f.as_row() for f in findings]) == [
        "review_litigation.total:administrative_review"]


def test_findings_rows_keep_the_contract_columns_then_needs_review():
    rows = vb.with_cell(vb.report(), "review_litigation", "administrative_review", "total", 0)
    row = check_document(vb.view(rows))[0].as_row()
    assert list(row) == ["doc_id", "rule", "severity", "table", "row", "column", "expected", "actual", "message",
                         "needs_review"]
    assert row["needs_review"] is False


def test_failed_documents_are_not_checked():
    rows = vb.with_document(vb.with_text(vb.report(), "overview", None), status="failed")
    assert check_document(vb.view(rows)) == []


def test_a_rule_that_breaks_becomes_a_warning_not_an_exception(monkeypatch):
    @rule("test.broken", "error", "a rule with a bug")
    def broken(view):
        yield finding("test.broken", view.doc_id, "never")
        raise ZeroDivisionError("boom")

    try:
        found = [f for f in check_document(vb.view(vb.report())) if f.rule == "test.broken"]
    finally:
        RULES.pop("test.broken")
    assert [(f.severity, f.message) for f in found] == [("warning", "check failed: ZeroDivisionError: boom")]


def test_a_rule_id_is_registered_once():
    with pytest.raises(ValueError, match="registered twice"):
        rule("applications.balance", "error", "again")(lambda view: iter(()))


def test_finding_carries_its_page_outside_the_row():
    found = Finding("d", "applications.balance", "error", "applications", None, "total", 1.0, 2.0, "m", page=3)
    assert "page" not in found.as_row()
    assert found.where == "total"


def test_split_cell_ignores_cells_stacked_in_a_column():
    # 部分公开 "2" over 不予公开 "1" read as 21 would mend the 自然人 column, as a transposed digit would
    rows = vb.with_cell(vb.report(), "applications", "total", "natural_person", 28)
    rows = vb.with_cell(rows, "applications", "total", "total", 30)
    findings = check_document(vb.view(rows))
    assert "applications.outcomes:natural_person" in truth_keys(findings)
    assert [f for f in findings if f.rule == "values.split_cell"] == []
