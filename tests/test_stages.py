"""The stage profile: each stage's own CPU per page, adding up to parse_file, beside the floor."""

from __future__ import annotations

from collections import defaultdict

import pytest
from conftest import SYNTHETIC

import parsers.pdf
from pipeline.measure import stages

SAMPLE = str(SYNTHETIC / "city-luyuan-2024-t2021.pdf")  # five pages, ruled tables, all read by pdfium


@pytest.fixture(scope="module")
def profiled() -> tuple[int, dict[str, float], float]:
    return stages.profile([SAMPLE], repeat=1)


def test_every_page_is_counted_and_the_stages_add_up_to_parse_file(profiled):
    pages, spent, floor = profiled
    assert pages == 5
    table = dict(stages.rows(pages, spent, floor))
    reading = [table[row] for row, _, _ in stages.READING] + [table["other reading"]]
    assert table["reading, all"] == pytest.approx(sum(reading))
    after = [ms for row, ms in table.items() if row.startswith("after reading: ")]
    assert [row.removeprefix("after reading: ") for row in table if row.startswith("after reading: ")] == [
        "segmentation", "table recognition", "metadata", "records", "checks", "analytics"]
    # Each stage's own time: nothing is counted twice, so the rows make up parse_file exactly.
    assert table["reading, all"] + table["hashing the file"] + sum(after) + table["other"] == pytest.approx(
        table["parse_file"])
    assert table["parse_file above the floor"] == pytest.approx(table["parse_file"] - table["floor: pypdfium2 alone"])


def test_the_stages_this_report_runs_are_timed_and_those_it_does_not_are_not(profiled):
    pages, spent, floor = profiled
    table = dict(stages.rows(pages, spent, floor))
    for row in ("pdfium: page load", "characters into pdfplumber's shapes", "ruled tables: search",
                "ruled tables: cells", "text lines", "floor: pypdfium2 alone"):
        assert table[row] > 0, row
    assert table["pages read by pdfplumber"] == 0  # pdfium describes every page of this sample


def test_the_reader_is_itself_again_after_the_run():
    original = parsers.pdf._table_from_cells
    spent: defaultdict[str, float] = defaultdict(float)
    with stages.timed(spent):
        assert parsers.pdf._table_from_cells is not original
        parsers.pdf.read_pdf(SAMPLE)
    assert parsers.pdf._table_from_cells is original
    assert spent["ruled tables: cells"] > 0


def test_a_stage_gone_from_the_reader_is_named(monkeypatch):
    monkeypatch.setattr(stages, "READING", [("vanished", "parsers.pdf", "_no_such_step")])
    with pytest.raises(AttributeError, match=r"parsers\.pdf\._no_such_step is gone"), stages.timed(defaultdict(float)):
        pass


def test_a_stage_gone_halfway_leaves_the_stages_before_it_unwrapped(monkeypatch):
    original = parsers.pdf._table_from_cells
    monkeypatch.setattr(stages, "READING", [("ruled tables: cells", "parsers.pdf", "_table_from_cells"),
                                            ("vanished", "parsers.pdf", "_no_such_step")])
    with pytest.raises(AttributeError), stages.timed(defaultdict(float)):
        pass
    assert parsers.pdf._table_from_cells is original
