"""The measuring instrument must fail when a cell is wrong, missing or invented."""

from dataclasses import replace

from pipeline.measure.evaluate import compare
from pipeline.records import Record
from pipeline.run import ParseResult

TRUTH = {"applications": {"new_received": {"natural_person": 3, "total": None}}, "template": "2021"}


def result(records, fmt="pdf", template="2021"):
    doc = {"source_path": "x.pdf", "format": fmt, "template": template, "status": "ok"}
    return ParseResult(doc, records=records)


def rec(column, value, raw):
    return Record("d", "applications", None, "new_received", column, value, raw, 1)


def test_exact_cells_pass():
    score = compare(result([rec("natural_person", 3.0, "3"), rec("total", None, "")]), TRUTH)
    assert score.misses == []
    assert score.exact["applications"] == 2


def test_a_wrong_value_a_missing_blank_and_an_extra_cell_all_count():
    records = [rec("natural_person", 4.0, "4"), rec("other_org", 0.0, "0")]
    score = compare(result(records), TRUTH)
    keys = sorted(m.key for m in score.misses)
    assert keys == ["new_received.natural_person", "new_received.other_org", "new_received.total"]


def test_text_dumps_may_omit_blank_cells_but_not_numbers():
    assert compare(result([rec("natural_person", 3.0, "3")], fmt="txt"), TRUTH).misses == []
    assert len(compare(result([], fmt="txt"), TRUTH).misses) == 1


def test_a_wrong_template_is_a_miss():
    score = compare(result([rec("natural_person", 3.0, "3"), rec("total", None, "")], template="mixed"), TRUTH)
    assert [(m.what, m.expected, m.got) for m in score.misses] == [("template", "2021", "mixed")]


def test_zero_is_not_blank():
    zero = replace(rec("total", 0.0, "0"))
    score = compare(result([rec("natural_person", 3.0, "3"), zero]), TRUTH)
    assert [m.key for m in score.misses] == ["new_received.total"]
