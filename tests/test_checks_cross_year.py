"""Rules across a batch: two consecutive years of one body, built in code."""

from __future__ import annotations

import viewbuilders as vb

from pipeline.checks import check_batch, truth_keys
from pipeline.checks.cross_year import body_groups, paired_documents, previous_reports


def later(carried_over: float = 1, **kwargs) -> dict:
    tables = {"active_disclosure": vb.active(), "applications": vb.applications(carried_over=carried_over),
              "review_litigation": vb.review()}
    return vb.report("hx2023", 2023, tables=tables, **kwargs)


def test_carried_over_equals_last_years_carried_forward():
    assert check_batch(vb.views(vb.merged(vb.previous_year(), later()))) == []


def test_carried_over_differing_from_last_year_is_an_error_per_column():
    findings = check_batch(vb.views(vb.merged(vb.previous_year(), later(carried_over=3))))
    assert truth_keys(findings) == ["cross_year.carried_over:natural_person", "cross_year.carried_over:total"]
    first = next(f for f in findings if f.rule == "cross_year.carried_over")
    assert (first.doc_id, first.expected, first.actual, first.page) == ("hx2023", 1, 3, 3)
    assert "the 2022 report's 结转下年度继续办理" in first.message


def test_only_consecutive_years_of_the_same_body_are_compared():
    two_years_before = vb.previous_year()
    two_years_before["documents"][0]["year"] = 2021
    other_body = vb.previous_year(agency="岫州市生态环境局")
    for earlier in (two_years_before, other_body):
        assert check_batch(vb.views(vb.merged(earlier, later(carried_over=3)))) == []


def test_the_same_body_is_recognised_across_spacing_and_full_width_forms():
    spaced = vb.previous_year(agency="岫州市 泓溪区人民政府")
    assert truth_keys(check_batch(vb.views(vb.merged(spaced, later(carried_over=3))))) != []


def test_a_report_in_two_formats_is_compared_once():
    batch = vb.merged(vb.previous_year("hx2022d", fmt="docx"), vb.previous_year("hx2022p", fmt="pdf"),
                      later(carried_over=3, fmt="docx"))
    views = vb.views(batch)
    assert previous_reports(views)["hx2023"].doc_id == "hx2022d"
    assert truth_keys(check_batch(views)) == ["cross_year.carried_over:natural_person", "cross_year.carried_over:total"]


def test_in_force_follows_last_year_plus_issued_minus_repealed():
    earlier = vb.previous_year()
    now = vb.with_cell(later(), "active_disclosure", "normative_documents", "in_force", 70)
    [found] = check_batch(vb.views(vb.merged(earlier, now)))
    assert (found.rule, found.row, found.expected, found.actual, found.severity) == (
        "cross_year.in_force", "normative_documents", 66, 70, "warning")


def test_a_2019_template_year_leaves_in_force_unassessed():
    earlier = vb.report("hx2022", 2022, tables={"active_disclosure": {
        "regulations": {"new_made": 1, "new_published": 1, "total_published": 9}}}, sections=vb.prose(2022, 1))
    assert [f for f in check_batch(vb.views(vb.merged(earlier, later()))) if f.rule == "cross_year.in_force"] == []


def test_repeated_prose_is_reported_with_its_share():
    earlier = vb.report("hx2022", 2022, sections=vb.prose(2022))
    [found] = [f for f in check_batch(vb.views(vb.merged(earlier, later()))) if f.rule == "cross_year.repeated_prose"]
    assert found.actual == 100.0
    assert found.message.startswith("100% of the prose")
    assert "2022 report" in found.message


def test_failed_reports_take_no_part():
    earlier = vb.with_document(vb.previous_year(), status="failed")
    assert check_batch(vb.views(vb.merged(earlier, later(carried_over=3)))) == []


def test_the_documents_rows_alone_tell_which_reports_are_compared():
    rows = vb.merged(vb.previous_year(), later(), vb.report("other2023", 2023, agency="岫州市青屿县人民政府"),
                     vb.report("hx2020", 2020))
    only_documents = vb.views({"documents": rows["documents"], "sections": [], "records": []})
    assert paired_documents(only_documents) == {"hx2022", "hx2023"}


def test_paired_reports_are_grouped_without_splitting_a_body():
    rows = vb.merged(vb.previous_year(), later(), vb.report("hx2024", 2024),
                     vb.report("qy2022", 2022, agency="岫州市青屿县人民政府"),
                     vb.report("qy2023", 2023, agency="岫州市青屿县人民政府"),
                     vb.report("lone2023", 2023, agency="岚江省教育厅"))
    views = vb.views({"documents": rows["documents"], "sections": [], "records": []})
    assert body_groups(views, 1) == [{"hx2022", "hx2023", "hx2024"}, {"qy2022", "qy2023"}]
    assert body_groups(views, 5) == [{"hx2022", "hx2023", "hx2024", "qy2022", "qy2023"}]
