"""Tests for tables continued over a page break as other producers print them (parsers.page_breaks, parsers.pdf).

The documents are made here from a synthetic report, by the robustness set's own generators:
a web page printed by headless Chromium with 1 px collapsed borders (table 三 continues on a page
without its header, the row-spanning label 三、本年度办理结果 cut by the break and run out below
the last rule), a 三线表 drawn by reportlab on Letter pages, and a table without rules exported by
LibreOffice. Every cell is checked against the report's truth.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import robust_layouts
import robust_producers
from conftest import SYNTHETIC

from parsers.page_breaks import PageBlocks, join_continued_tables
from parsers.pdf import read_pdf
from pipeline.measure.evaluate import compare
from pipeline.model import Cell, Table, TableBlock
from pipeline.run import parse_file

CUT_LABEL = SYNTHETIC / "city-luyuan-2024-t2021"  # table 三 breaks inside 三、本年度办理结果 in Chromium's print
CONTINUED = SYNTHETIC / "city-xiuzhou-2022-t2021"  # table 三 runs over two pages in every layout


def _every_cell_right(pdf: Path, source: Path) -> None:
    truth = json.loads(source.with_suffix(".docx.truth.json").read_text(encoding="utf-8"))
    result = parse_file(pdf)
    score = compare(result, truth)
    assert sum(score.total.values()) >= 190
    assert score.misses == []
    assert result.document["status"] == "ok"


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_chromium_print_continued_without_header_and_label_cut_is_read_whole(tmp_path: Path) -> None:
    pdf = tmp_path / "chromium-ruled.pdf"
    robust_producers._chromium("ruled", CUT_LABEL, pdf)
    tables = [b.table for b in read_pdf(pdf).blocks if isinstance(b, TableBlock)]
    applications = next(t for t in tables if any("本年新收" in c.text for c in t.cells))
    # One table over the break, its group label rejoined from three pieces on two pages.
    assert applications.method == "grid"
    assert applications.n_rows == 28
    assert any(c.text == "三、本年度办理结果" and c.row_span == 22 for c in applications.cells)
    assert {c.page for c in applications.cells} == {2, 3}
    _every_cell_right(pdf, CUT_LABEL)


def test_three_line_table_drawn_by_reportlab_is_read_cell_by_cell(tmp_path: Path) -> None:
    pdf = tmp_path / "three-line.pdf"
    robust_layouts._reportlab("three-line", CONTINUED, pdf)
    _every_cell_right(pdf, CONTINUED)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_table_without_rules_exported_by_libreoffice_is_read_cell_by_cell(tmp_path: Path) -> None:
    pdf = tmp_path / "none.pdf"
    robust_layouts._libreoffice("none", CONTINUED, pdf)
    tables = [b.table for b in read_pdf(pdf).blocks if isinstance(b, TableBlock)]
    assert tables
    assert all(t.method == "positions" for t in tables)
    _every_cell_right(pdf, CONTINUED)


def _positions(rows: list[list[tuple[int, str]]], n_cols: int, page: int) -> Table:
    cells = tuple(Cell(raw=text, text=text, row=r, col=c, page=page)
                  for r, row in enumerate(rows) for c, text in row)
    return Table(cells=cells, n_rows=len(rows), n_cols=n_cols, page=page, method="positions")


def test_rule_less_continuation_fits_figures_and_keeps_both_parts_label_columns() -> None:
    # Page 1: group label column at 50, row labels at 110, three figure columns; page 2 starts
    # inside group （三）: no group label column, a sub-label column at 160 the first part lacked,
    # and its figures a few points off the first part's (set by the figures of each page).
    first = _positions([[(0, "三、本年度办理结果"), (1, "（一）予以公开"), (2, "5"), (3, "1"), (4, "6")],
                        [(1, "（三）不予公开"), (2, "2"), (3, "0"), (4, "2")]], 5, page=1)
    rest = _positions([[(0, "2.其他法律行政法规禁止公开"), (1, "1"), (2, "0"), (3, "1")],
                       [(0, "3.其他"), (1, "7"), (2, "4"), (3, "11")]], 4, page=2)
    pages = [PageBlocks(blocks=[TableBlock(first)], xs={0: [50.0, 110.0, 300.0, 360.0, 420.0, 480.0]}),
             PageBlocks(blocks=[TableBlock(rest)], xs={0: [160.0, 303.0, 357.0, 423.0, 478.0]})]
    (joined,) = join_continued_tables(pages)
    table = joined.table
    assert table.n_cols == 6  # group, row label, sub-label, three figures
    grid = {(c.row, c.col): c.text for c in table.cells}
    assert [grid.get((2, col)) for col in range(6)] == [None, None, "2.其他法律行政法规禁止公开", "1", "0", "1"]
    assert [grid.get((3, col)) for col in range(2, 6)] == ["3.其他", "7", "4", "11"]
    assert [grid.get((0, col)) for col in (3, 4, 5)] == ["5", "1", "6"]


def test_rule_less_continuation_with_other_figure_columns_stays_apart() -> None:
    first = _positions([[(0, "规章"), (1, "4"), (2, "0"), (3, "74")]], 4, page=1)
    rest = _positions([[(0, "行政许可"), (1, "213162")]], 2, page=2)
    pages = [PageBlocks(blocks=[TableBlock(first)], xs={0: [50.0, 150.0, 250.0, 350.0, 450.0]}),
             PageBlocks(blocks=[TableBlock(rest)], xs={0: [120.0, 200.0, 450.0]})]
    assert len(join_continued_tables(pages)) == 2


def test_the_rest_of_a_row_label_atop_the_next_page_joins_its_row() -> None:
    # "行政规" / "范性文件": the label of the last row cut by the break, its rest alone atop the next
    # page's rule-less part, which goes on with another part of table 二 in other columns.
    first = _positions([[(0, "信息内容"), (1, "本年制发件数"), (2, "现行有效件数")],
                        [(0, "规章"), (1, "4"), (2, "74")], [(0, "行政规"), (1, "23"), (2, "101")]], 3, page=2)
    rest = _positions([[(0, "范性文件")], [(0, "第二十条第(五)项")], [(0, "信息内容"), (1, "本年处理决定数量")],
                       [(0, "行政许可"), (1, "213162")]], 2, page=3)
    pages = [PageBlocks(blocks=[TableBlock(first)], xs={0: [50.0, 140.0, 217.0, 357.0]}),
             PageBlocks(blocks=[TableBlock(rest)], xs={0: [50.0, 268.0, 319.0]})]
    before, after = (b.table for b in join_continued_tables(pages))
    assert [c.text for c in before.cells if c.row == 2] == ["行政规范性文件", "23", "101"]
    assert after.n_rows == 3
    assert [c.text for c in after.cells if c.row == 0] == ["第二十条第(五)项"]


def test_a_label_atop_the_next_page_that_makes_no_row_label_stays_there() -> None:
    first = _positions([[(0, "行政处罚"), (1, "629610")], [(0, "行政强制"), (1, "40245")]], 2, page=2)
    rest = _positions([[(0, "第二十条第(八)项")], [(0, "行政事业性收费"), (1, "74690.08")]], 2, page=3)
    pages = [PageBlocks(blocks=[TableBlock(first)], xs={0: [50.0, 268.0, 319.0]}),
             PageBlocks(blocks=[TableBlock(rest)], xs={0: [50.0, 268.0, 319.0]})]
    joined = [b.table for b in join_continued_tables(pages)]
    assert any(c.text == "行政强制" for t in joined for c in t.cells)
    assert any(c.text == "第二十条第(八)项" for t in joined for c in t.cells)


def test_rests_of_a_group_label_and_a_row_label_atop_the_next_page_join_their_labels() -> None:
    # "（三）不" / "予公开" beside "1.属于国" / "家秘密": both labels of the last row cut by the break, their
    # rests the next page's first row, each under its own label's column (the parts' label columns differ).
    first = _positions([[(0, "（二）部分公开"), (2, "2"), (3, "2")],
                        [(0, "（三）不"), (1, "1.属于国"), (2, "—"), (3, "—")]], 4, page=4)
    rest = _positions([[(0, "予公开"), (1, "家秘密")],
                       [(1, "2.其他法律行政法规禁止公开"), (2, "—"), (3, "—")]], 4, page=5)
    pages = [PageBlocks(blocks=[TableBlock(first)], xs={0: [115.0, 168.0, 240.0, 300.0, 360.0]}),
             PageBlocks(blocks=[TableBlock(rest)], xs={0: [121.0, 169.0, 241.0, 301.0, 359.0]})]
    [joined] = (b.table for b in join_continued_tables(pages))
    labels = {c.raw: c.row for c in joined.cells if c.raw not in ("—", "2")}
    assert labels["（三）不予公开"] == labels["1.属于国家秘密"] == 1
    assert labels["2.其他法律行政法规禁止公开"] == 2
    assert joined.n_rows == 3


def test_a_rule_less_part_with_the_same_outline_keeps_the_columns_of_its_figures() -> None:
    # The last row of table 三 alone atop the next page, its label area ending elsewhere than the first
    # part's (its figures set it): that end is no rule, and the figures stay under their columns.
    first = _positions([[(0, "三、本年度办理结果"), (1, "（七）总计"), (3, "3129"), (4, "3396")]], 5, page=8)
    rest = _positions([[(0, "四、结转下年度继续办理"), (1, "49"), (2, "58")]], 3, page=9)
    pages = [PageBlocks(blocks=[TableBlock(first)], xs={0: [72.0, 107.0, 142.0, 179.0, 224.0, 273.0]}),
             PageBlocks(blocks=[TableBlock(rest)], xs={0: [72.0, 186.8, 224.0, 273.0]})]
    [joined] = (b.table for b in join_continued_tables(pages))
    assert joined.n_cols == 5
    assert sorted((c.col, c.col_span, c.raw) for c in joined.cells if c.row == 1) == [
        (0, 3, "四、结转下年度继续办理"), (3, 1, "49"), (4, 1, "58")]


def test_placed_is_replace_over_every_field() -> None:
    """The join's written-out move of a cell keeps every other field, as dataclasses.replace does."""
    from dataclasses import fields, replace

    from parsers.page_breaks import _placed
    from pipeline.model import Box, GridRef

    cell = Cell(raw="1,2", text="1,2", row=3, col=4, row_span=2, col_span=3, page=5, ocr_confidence=0.5,
                box=Box(1.0, 2.0, 3.0, 4.0), grid_ref=GridRef(1, 2, 3))
    # A field added to Cell must be added to _placed too.
    assert [f.name for f in fields(Cell)] == ["raw", "text", "row", "col", "row_span", "col_span", "page",
                                             "ocr_confidence", "box", "grid_ref"]
    moved = _placed(cell, 7, 1, 2)
    assert moved == replace(cell, row=7, col=1, col_span=2)
    assert all(getattr(moved, f.name) == getattr(replace(cell, row=7, col=1, col_span=2), f.name) for f in fields(Cell))
