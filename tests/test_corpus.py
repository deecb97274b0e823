"""Every cell of every truth file in ../shared/corpus, checked cell by cell."""

import json

import pytest
from conftest import CORPUS, needs_corpus

from pipeline.measure.evaluate import compare, truth_path
from pipeline.run import parse_file
from pipeline.spec import SECTION_KEYS, TABLE_KEYS

pytestmark = needs_corpus

REPORTS = ["huaian-city-2024.pdf", "huaian-hongze-2023.pdf", "shanghai-office-2019.html",
           "shuangyashan-baoshan-hongqi-2020.txt"]


@pytest.fixture(scope="module", params=REPORTS)
def parsed(request):
    path = CORPUS / request.param
    return parse_file(path), json.loads(truth_path(path).read_text(encoding="utf-8"))


def test_every_truth_cell_is_exact(parsed):
    result, truth = parsed
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) > 0


def test_cell_values_one_by_one(parsed):
    result, truth = parsed
    got = {(r.table, r.row, r.column): r for r in result.records}
    lenient = result.document["format"] == "txt"
    for table in TABLE_KEYS:
        for row, columns in (truth.get(table) or {}).items():
            for column, value in columns.items():
                if column == "item":
                    assert got[(table, row, next(c for c in columns if c != "item"))].item == value
                    continue
                record = got.get((table, row, column))
                if record is None:
                    assert lenient, (table, row, column)
                    assert value is None, (table, row, column)
                elif value is None:
                    assert record.value is None, (table, row, column, record.raw)
                else:
                    assert record.value == pytest.approx(value), (table, row, column, record.raw)


def test_metadata_matches_the_truth(parsed):
    result, truth = parsed
    doc = result.document
    assert (doc["agency"], doc["year"], doc["template"]) == (truth["agency"], truth["year"], truth["template"])
    printed = [v for t in TABLE_KEYS for cols in (truth[t] or {}).values() for k, v in cols.items() if k != "item"]
    if all(v is None for v in printed):
        # Every cell blank: nothing supports the tables, so the report is never taken as good.
        assert doc["status"] == "needs_review"
        assert doc["error"].startswith("every one of the ")
    else:
        assert doc["status"] == "ok"
        assert doc["error"] is None


def test_six_sections_in_order(parsed):
    result, _ = parsed
    assert [s.section for s in result.sections] == list(SECTION_KEYS)
    assert all(s.text.strip() for s in result.sections)


def test_records_carry_their_page_in_pdfs():
    result = parse_file(CORPUS / "huaian-city-2024.pdf")
    pages = {(r.row, r.column): r.page for r in result.records if r.table == "applications"}
    assert pages[("new_received", "natural_person")] == 4
    assert pages[("unavailable.needs_creation", "natural_person")] == 5
    assert {r.page for r in result.records if r.table == "review_litigation"} == {5}


def test_published_errors_are_kept_as_printed():
    result = parse_file(CORPUS / "huaian-hongze-2023.pdf")
    review = {(r.row, r.column): r.value for r in result.records if r.table == "review_litigation"}
    assert review[("administrative_review", "maintained")] == 10
    assert review[("administrative_review", "total")] == 0


def test_text_dump_yields_its_sections_and_blank_tables():
    result = parse_file(CORPUS / "shuangyashan-baoshan-hongqi-2020.txt")
    by_table = {t: [r for r in result.records if r.table == t] for t in TABLE_KEYS}
    assert len(by_table["applications"]) == 23 * 7
    assert len(by_table["active_disclosure"]) == 22
    assert all(r.value is None and r.raw == "" for r in result.records)
    assert by_table["review_litigation"] == []  # its data row is not printed
    assert result.tables.present("review_litigation")
    heading = next(s.heading for s in result.sections if s.section == "applications")
    assert heading == "三、收到和处理政府信息公开申请情况"


def test_blank_template_yields_sections_and_three_blank_tables():
    result = parse_file(CORPUS / "template-2021-blank.docx")
    assert [s.section for s in result.sections] == list(SECTION_KEYS)
    counts = {t: sum(1 for r in result.records if r.table == t) for t in TABLE_KEYS}
    assert counts == {"active_disclosure": 10, "applications": 25 * 7, "review_litigation": 15}
    assert all(r.value is None for r in result.records)
    assert result.document["template"] == "2021"
    assert result.document["agency"] is None
    assert result.document["year"] is None
