"""The project's own fixtures: every cell of every committed synthetic report against its truth.

The set (fixtures/synthetic, made by fixtures/generate.py) holds Word reports built with
python-docx and the PDFs LibreOffice made from them, for the 2019, 2021 and mixed templates.
fixtures/formats (fixtures/formats.py) holds the same reports as web pages, .mht, .doc, .wps,
borderless PDFs and scans; the scans are OCRed once, in the whole-instrument evaluation.
"""

import json

import pytest
from conftest import CORPUS, FORMATS, SYNTHETIC

from parsers.legacy import soffice_path
from parsers.pdf import read_pdf
from pipeline.measure.evaluate import compare, evaluate, find_reports, truth_path
from pipeline.model import TableBlock
from pipeline.run import parse_file

REPORTS = sorted(find_reports([SYNTHETIC]))
# Every derived format but the scans, whose OCR takes seconds a page (they are evaluated below).
DERIVED = [p for p in sorted(find_reports([FORMATS])) if "-scan." not in p.name]
# .doc and .wps are read through LibreOffice: where it is missing they cannot be read at all.
NEEDS_SOFFICE = (".doc", ".wps")
no_soffice = pytest.mark.skipif(soffice_path() is None, reason="LibreOffice is not installed (make deps installs it)")


def _derived_param(path):
    marks = [no_soffice] if path.suffix in NEEDS_SOFFICE else []
    return pytest.param(path, id=path.name, marks=marks)


def test_the_committed_set_covers_both_formats_and_all_templates():
    assert len(REPORTS) >= 40
    assert {p.suffix for p in REPORTS} == {".docx", ".pdf"}
    templates = {json.loads(truth_path(p).read_text(encoding="utf-8"))["template"] for p in REPORTS}
    assert templates == {"2019", "2021", "mixed"}


@pytest.mark.parametrize("report", REPORTS, ids=[p.name for p in REPORTS])
def test_every_cell_and_the_metadata_are_exact(report):
    truth = json.loads(truth_path(report).read_text(encoding="utf-8"))
    score = compare(parse_file(report), truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) > 0


def test_the_derived_set_covers_every_other_format():
    formats = {p.suffix for p in find_reports([FORMATS])}
    assert formats == {".html", ".mht", ".doc", ".wps", ".pdf", ".png"}


@pytest.mark.parametrize("report", [_derived_param(p) for p in DERIVED])
def test_every_cell_of_the_derived_formats_is_exact(report):
    truth = json.loads(truth_path(report).read_text(encoding="utf-8"))
    score = compare(parse_file(report), truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) > 0


@no_soffice
def test_evaluation_over_the_whole_instrument_has_no_miss():
    # The one place the test suite OCRs whole scanned reports (about 25 s): `make eval` does too.
    paths = [SYNTHETIC, FORMATS, CORPUS] if CORPUS.is_dir() else [SYNTHETIC, FORMATS]
    rows, misses = evaluate(find_reports(paths))
    assert misses == []
    assert all(r["sections"] == 6 for r in rows)
    assert {r["format"] for r in rows} >= {"pdf", "docx", "html", "mht", "doc", "wps", "image"}


def tables(path):
    return [b.table for b in read_pdf(path).blocks if isinstance(b, TableBlock)]


def test_header_and_body_drawn_with_different_rules_join_into_one_table():
    # Table 三's header ends page 2 with no rules between its label columns; the body fills page 3.
    applications = next(t for t in tables(SYNTHETIC / "town-qingyu-liuwan-2022-t2021.pdf") if t.n_cols == 10)
    assert applications.n_rows == 28
    assert {c.page for c in applications.cells} == {2, 3}


def test_a_data_row_cut_by_the_page_break_keeps_its_numbers():
    result = parse_file(SYNTHETIC / "dept-lanjiang-scjgj-2024-t2021.pdf")
    excessive = {r.column: r.raw for r in result.records if r.row == "not_processed.excessive"}
    assert excessive["natural_person"] == "1"
    assert excessive["total"] == "1"


def test_a_new_row_after_a_header_at_the_page_top_stays_a_row():
    result = parse_file(SYNTHETIC / "street-xiuzhou-dongxiu-2020-t2019.pdf")
    penalty = {r.column: r.raw for r in result.records if r.row == "administrative_penalty"}
    assert penalty == {"previous_year_items": "", "change": "", "decisions": ""}
