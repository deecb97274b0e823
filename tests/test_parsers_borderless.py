"""Tests for parsers.pdf_borderless: tables printed without rules, rebuilt from text positions.

Small tables are laid out here character by character, so every position is known; the
fixtures are generated reports whose tables had every rule removed before LibreOffice made the
PDF (fixtures/formats/*-borderless.pdf).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
import robust_producers
from conftest import FORMATS, SYNTHETIC

from parsers.pdf import read_pdf
from parsers.pdf_borderless import PageLines, find_tables, foot_lines
from parsers.pdfium_page import read_page
from pipeline.measure.evaluate import compare
from pipeline.model import Table, TableBlock
from pipeline.run import parse_file

CONTINUED = FORMATS / "town-qingyu-liuwan-2022-t2021-borderless.pdf"
TEMPLATE_2019 = FORMATS / "county-qingyu-2019-t2019-borderless.pdf"
SIZE = 9.0


def _chars(text: str, x: float, baseline: float, size: float = SIZE) -> list[dict[str, Any]]:
    """Lay `text` out from `x` on a baseline, one em per character (Chinese type)."""
    return [{"text": ch, "x0": x + i * size, "x1": x + (i + 1) * size, "top": baseline - size,
             "bottom": baseline, "size": size} for i, ch in enumerate(text)]


def _centred(text: str, centre: float, baseline: float) -> list[dict[str, Any]]:
    return _chars(text, centre - len(text) * SIZE / 2, baseline)


def _layout(table: Table) -> list[tuple[int, int, int, int, str]]:
    return sorted((c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells)


def test_rows_and_columns_come_from_labels_and_aligned_figures() -> None:
    chars = [*_chars("二、主动公开政府信息情况", 72, 80, size=12)]
    chars += _chars("信息内容", 80, 110) + _centred("本年制发件数", 250, 110) + _centred("现行有效件数", 350, 110)
    chars += _chars("规章", 80, 122) + _centred("3", 250, 122) + _centred("12", 350, 122)
    chars += _chars("行政规范性文件", 80, 134) + _centred("—", 250, 134) + _centred("40", 350, 134)
    chars += _chars("全年共受理申请5件，办结5件，其中予以公开3件。", 72, 170, size=12)
    [(bbox, table, xs)] = find_tables(chars, page=2)
    assert _layout(table) == [
        (0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "本年制发件数"), (0, 2, 1, 1, "现行有效件数"),
        (1, 0, 1, 1, "规章"), (1, 1, 1, 1, "3"), (1, 2, 1, 1, "12"),
        (2, 0, 1, 1, "行政规范性文件"), (2, 1, 1, 1, "—"), (2, 2, 1, 1, "40"),
    ]
    assert table.page == 2
    assert {c.page for c in table.cells} == {2}
    assert bbox[1] == 101
    assert bbox[3] == 134
    # The label area ends before the first figures (at 245.5), at least half a column before them.
    assert xs[0] == 80
    assert xs[2:] == [300.0, 400.0]
    assert 200.0 <= xs[1] < 245.5


def test_a_label_wrapped_over_two_lines_is_one_cell_of_its_row() -> None:
    chars = _chars("信息内容", 80, 110) + _centred("自然人", 300, 110) + _centred("总计", 360, 110)
    chars += _chars("2.其他法律行政法规禁止公", 80, 122)
    chars += _centred("1", 300, 127) + _centred("1", 360, 127)  # figures centred between the label's lines
    chars += _chars("开", 80, 133)
    chars += _chars("3.危及安全稳定", 80, 145) + _centred("0", 300, 145) + _centred("0", 360, 145)
    [(_, table, _)] = find_tables(chars, page=1)
    assert _layout(table) == [
        (0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "自然人"), (0, 2, 1, 1, "总计"),
        (1, 0, 1, 1, "2.其他法律行政法规禁止公 开"), (1, 1, 1, 1, "1"), (1, 2, 1, 1, "1"),
        (2, 0, 1, 1, "3.危及安全稳定"), (2, 1, 1, 1, "0"), (2, 2, 1, 1, "0"),
    ]


def test_prose_with_figures_is_not_a_table() -> None:
    chars = []
    for i, line in enumerate(["全年共受理政府信息公开申请 82 件，其中自然人申请 76 件，法人或",
                              "其他组织申请 6 件；上年结转 1 件。截至 12 月 31 日，已办结 83 件。"]):
        chars += _chars(line, 72, 100 + 20 * i, size=12)
    assert find_tables(chars, page=1) == []


def test_a_page_of_prose_is_told_from_one_that_may_hold_a_table_before_its_lines_are_built() -> None:
    prose = []  # (set solid: one em a character, no gap a fragment break)
    for i, line in enumerate(["全年共受理政府信息公开申请82件，其中自然人申请76件，法人或",
                              "其他组织申请6件；上年结转1件。截至12月31日，已办结83件。"]):
        prose += _chars(line, 72, 100 + 20 * i, size=12)
    page_number = _centred("3", 300, 800)  # alone on the last line: no row of a table
    assert not PageLines([*prose, *page_number]).may_hold_table()
    # A row's figures apart from its label; a lone figure between the two lines of its label.
    row = _chars("规章", 80, 300) + _centred("3", 250, 300)
    assert PageLines([*prose, *row]).may_hold_table()
    wrapped = _chars("行政事业", 80, 300) + _centred("80090.76", 300, 309.7) + _centred("性收费", 98, 300 + PITCH)
    assert PageLines([*prose, *wrapped, *page_number]).may_hold_table()


def test_a_page_said_to_hold_no_table_holds_none() -> None:
    # Every page of the samples and of the reports printed without rules: where the look says no table,
    # the search finds none; the pages of tables printed without rules are searched.
    said_no = searched = 0
    for path in [*sorted(SYNTHETIC.glob("*.pdf")), CONTINUED, TEMPLATE_2019]:
        document = pdfium.PdfDocument(str(path))
        try:
            for index in range(len(document)):
                data = read_page(document[index])
                assert data is not None
                chars = [ch for ch in data.chars if ch["text"] != "\n"]
                lines = PageLines(chars)
                if lines.may_hold_table():
                    searched += path in (CONTINUED, TEMPLATE_2019) and bool(find_tables(chars, index + 1, read=lines))
                else:
                    said_no += 1
                    assert find_tables(chars, index + 1) == [], f"{path.name} page {index + 1}"
        finally:
            document.close()
    assert said_no > 40
    assert searched >= 4


def _tables(path) -> list[Table]:
    return [b.table for b in read_pdf(path).blocks if isinstance(b, TableBlock)]


def test_table_three_continues_over_the_page_break_as_one_table() -> None:
    applications = next(t for t in _tables(CONTINUED) if t.n_cols == 10)
    assert {c.page for c in applications.cells} == {2, 3}
    labels = {c.text.replace(" ", ""): (c.row_span, c.col_span) for c in applications.cells if c.col < 3}
    assert labels["(三)不予公开"] == (8, 1)  # the group label spans its eight numbered rows
    assert labels["(六)其他处理"] == (3, 1)
    assert labels["一、本年新收政府信息公开申请数量"] == (1, 3)
    truth = json.loads((FORMATS / f"{CONTINUED.name}.truth.json").read_text(encoding="utf-8"))["applications"]
    row = next(r for r in range(applications.n_rows)
               if any("补正后申请内容仍不明确" in c.text for c in applications.row_cells(r)))
    figures = [c.text for c in applications.row_cells(row)[-7:]]
    printed = truth["unavailable.still_unclear"]
    assert [None if f in ("无", "") else float(f) for f in figures] == [printed[k] for k in (
        "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total")]


def test_table_four_headings_span_the_columns_they_stand_over() -> None:
    review = next(t for t in _tables(TEMPLATE_2019) if t.n_cols == 15)
    spans = {c.text: (c.col, c.col_span) for c in review.cells if c.row <= 1}
    assert spans["行政复议"] == (0, 5)
    assert spans["行政诉讼"] == (5, 10)
    assert spans["未经复议直接起诉"] == (5, 5)
    assert spans["复议后起诉"] == (10, 5)
    leaves = [c.text for c in sorted(review.cells, key=lambda c: c.col) if c.text.startswith("结果")]
    assert leaves[:2] == ["结果 维持", "结果 纠正"]


def test_borderless_reports_parse_like_ruled_ones() -> None:
    for path in (CONTINUED, TEMPLATE_2019):
        result = parse_file(path)
        assert result.document["status"] == "ok"
        truth = json.loads((FORMATS / f"{path.name}.truth.json").read_text(encoding="utf-8"))
        got = {(r.table, r.row, r.column): r.value for r in result.records}
        expected = {(table, row, column): value for table in ("applications", "review_litigation")
                    for row, columns in (truth[table] or {}).items() for column, value in columns.items()}
        assert got.items() >= expected.items()


def test_pages_pdfium_declines_are_searched_for_borderless_tables_too(monkeypatch) -> None:
    from parsers import pdfium_page

    def layout(document):
        return [_layout(b.table) for b in document.blocks if isinstance(b, TableBlock)]

    routed = read_pdf(CONTINUED)
    monkeypatch.setattr(pdfium_page, "read_page", lambda page, textpage=None, objects=None: None)  # every page through pdfplumber
    plumber = read_pdf(CONTINUED)
    assert len(layout(routed)) >= 3
    assert layout(plumber) == layout(routed)


def _digits(text: str, x: float, baseline: float) -> list[dict[str, Any]]:
    """Lay figures out from `x`, half an em each (Latin digits)."""
    return [{"text": ch, "x0": x + i * SIZE / 2, "x1": x + (i + 1) * SIZE / 2, "top": baseline - SIZE,
             "bottom": baseline, "size": SIZE} for i, ch in enumerate(text)]


def test_narrow_labels_wrapped_around_their_figures_stay_with_their_rows() -> None:
    # A label column three characters wide, labels centred: "行政处/罚" and "行政强/制" with each
    # row's figure alone on a line between its label's lines; the header label "信息内/容" beside
    # its heading, right above a row label.
    chars = _chars("信息内", 80, 110) + _centred("本年处理决定数量", 300, 116.5) + _chars("容", 89, 123)
    chars += _chars("许可", 84.5, 136) + _centred("12", 300, 136)  # labels centred in their cells
    chars += _chars("行政处", 80, 149) + _centred("275817", 300, 155.5) + _chars("罚", 89, 162)
    chars += _chars("行政强", 80, 175) + _centred("39750", 300, 181.5) + _chars("制", 89, 188)
    [(_, table, _)] = find_tables(chars, page=1)
    cells = {c.text: (c.row, c.col) for c in table.cells}
    assert cells["行政处 罚"][0] == cells["275817"][0]
    assert cells["行政强 制"][0] == cells["39750"][0]
    assert cells["信息内 容"][0] < cells["行政处 罚"][0]
    assert cells["275817"][0] < cells["39750"][0]


def test_digits_a_narrow_column_wrapped_join_their_figure() -> None:
    # A one-row table set flush left in columns two digits wide: "13" / "8" is 138, "22" / "0" is 220.
    chars = _chars("维持", 80, 110) + _chars("纠正", 110, 110) + _chars("总计", 140, 110)
    chars += _digits("13", 80, 124) + _digits("31", 110, 124) + _digits("22", 140, 124)
    chars += _digits("8", 80, 134) + _digits("0", 140, 134)
    [(_, table, _)] = find_tables(chars, page=1)
    assert sorted(c.text for c in table.cells if c.row == max(c.row for c in table.cells)) == ["138", "220", "31"]


def test_a_figure_set_close_after_its_label_is_a_cell_of_the_column_it_stands_in() -> None:
    # Columns as narrow as their text (a web page printed with no table width): a pixel of padding
    # between "行政事业性收费" and its figure, which starts where the heading and figure above start.
    chars = _chars("信息内容", 80, 110) + _chars("本年收费金额", 145.5, 110)
    chars += _chars("行政处罚", 80, 140) + _digits("275817", 145.5, 140)
    chars += _chars("行政事业性收费", 80, 170) + _digits("80090.76", 145.5, 170)
    chars += _chars("全年网站访问量", 80, 230, size=12) + _digits("216990", 166, 230)  # prose: in no column
    [(_, table, _)] = find_tables(chars, page=1)
    assert _layout(table) == [
        (0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "本年收费金额"),
        (1, 0, 1, 1, "行政处罚"), (1, 1, 1, 1, "275817"),
        (2, 0, 1, 1, "行政事业性收费"), (2, 1, 1, 1, "80090.76"),
    ]


def test_labels_centred_on_their_figures_part_where_one_has_as_many_lines_below_as_above() -> None:
    # A label column three characters wide, lines 13 points apart with no gap between the rows:
    # each label is centred on its figure, so "可" ends 行政许可 and "其他对" begins the next label.
    chars = _chars("信息内容", 80, 110) + _centred("本年处理决定数量", 300, 110)
    chars += _chars("行政许", 80, 123) + _centred("132", 300, 129.5) + _chars("可", 89, 136)
    chars += _chars("其他对", 80, 149) + _chars("外管理", 80, 162) + _centred("25", 300, 168.5)
    chars += _chars("服务事", 80, 175) + _chars("项", 89, 188)
    chars += _chars("行政处", 80, 201) + _centred("53", 300, 207.5) + _chars("罚", 89, 214)
    [(_, table, _)] = find_tables(chars, page=1)
    rows = {c.text: c.row for c in table.cells}
    assert rows["行政许 可"] == rows["132"]
    assert rows["其他对 外管理 服务事 项"] == rows["25"]
    assert rows["行政处 罚"] == rows["53"]
    assert len({rows["132"], rows["25"], rows["53"]}) == 3


def test_the_caption_of_the_next_part_is_not_the_rest_of_a_row_label() -> None:
    # Table 二's parts printed one under another at one line pitch: the caption right above a row
    # of headings is wider than the row label above it, so it is no line wrapped in that label.
    chars = _chars("第二十条第（五）项", 72, 100)
    chars += _chars("信息内容", 74, 113) + _centred("本年处理决定数量", 317, 113)
    chars += _chars("行政许可", 74, 126) + _centred("41221", 317, 126)
    chars += _chars("第二十条第（六）项", 72, 139)
    chars += _chars("信息内容", 74, 152) + _centred("本年处理决定数量", 317, 152)
    chars += _chars("行政处罚", 74, 165) + _centred("35762", 317, 165)
    chars += _chars("行政强制", 74, 178) + _centred("1787", 317, 178)
    [(_, table, _)] = find_tables(chars, page=1)
    rows = {c.text: c.row for c in table.cells}
    assert rows["行政许可"] == rows["41221"]
    assert rows["第二十条第(六)项"] not in (rows["41221"], rows["35762"])
    assert rows["行政处罚"] == rows["35762"]


def test_labels_of_a_table_that_spaces_its_paragraphs_stay_whole() -> None:
    # A cell's lines a whole type size apart (1.5 lines, paragraph spacing), rows more than twice
    # that: the leading measured inside the labels joins their lines, never two rows.
    chars = _chars("信息内容", 80, 100) + _centred("本年处理决定数量", 300, 100)
    chars += _chars("行政规范", 80, 130) + _centred("23", 300, 139) + _chars("性文件", 80, 148)
    chars += _chars("其他对外管", 80, 178) + _centred("25", 300, 187) + _chars("理服务事项", 80, 196)
    [(_, table, _)] = find_tables(chars, page=1)
    rows = {c.text: c.row for c in table.cells}
    assert rows["行政规范 性文件"] == rows["23"]
    assert rows["其他对外管 理服务事项"] == rows["25"]
    assert rows["23"] != rows["25"]


# Tables whose cells space their paragraphs (LibreOffice's export of a Word file with 1.5 lines and
# paragraph spacing in its cells): a cell's lines 10.4 points apart in 9-point type, below a row's
# figures as well as above them.
PITCH = 19.4


def _cell_of(table: Table, part: str) -> Any:
    return next(c for c in table.cells if part in c.text)


def test_rests_of_a_group_label_and_a_row_label_below_the_last_figures_stay_in_their_labels() -> None:
    chars = _chars("项目", 80, 100) + _centred("自然人", 300, 100) + _centred("总计", 360, 100)
    chars += _chars("三、本年", 80, 130) + _chars("（一）予以公开", 125, 130) + _centred("18", 300, 130)
    chars += _centred("21", 360, 130)
    chars += _chars("度办理结", 80, 130 + PITCH)
    chars += _chars("（二）部分公开", 125, 157) + _centred("5", 300, 157) + _centred("6", 360, 157)
    # The group label's last line centred under its others, beside the row label's rest.
    chars += _centred("果", 98, 157 + 11.7) + _chars("（区分处理的，只", 125, 176.4)
    chars += _chars("计这一情形，不计", 125, 176.4 + PITCH)
    [(_, table, _)] = find_tables(chars, page=1)
    group, label = _cell_of(table, "三、本年"), _cell_of(table, "部分公开")
    assert group.text.replace(" ", "") == "三、本年度办理结果"
    assert (group.row, group.row_span) == (_cell_of(table, "18").row, 2)
    assert label.text.replace(" ", "") == "(二)部分公开(区分处理的,只计这一情形,不计"
    assert label.row == _cell_of(table, "5").row


def test_a_short_last_line_centred_under_its_label_stays_in_that_label() -> None:
    # "规章" centred in the label column starts a column of its own; "件", centred under "规范性文",
    # stands in that column too but is the last line of the label above it.
    chars = _chars("信息内容", 80, 100) + _centred("本年新制作数量", 250, 100) + _centred("对外公开总量", 350, 100)
    chars += _chars("规章", 89, 127) + _centred("—", 250, 127) + _centred("—", 350, 127)
    chars += _chars("规范性文", 80, 154) + _centred("4", 250, 163.7) + _centred("29", 350, 163.7)
    chars += _centred("件", 98, 154 + PITCH)
    chars += _chars("行政许可", 80, 205) + _centred("132", 250, 205) + _centred("19552", 350, 205)
    [(_, table, _)] = find_tables(chars, page=1)
    label = _cell_of(table, "规范性文")
    assert label.text == "规范性文 件"
    assert label.row == _cell_of(table, "29").row
    assert _cell_of(table, "规章").row == _cell_of(table, "—").row


def test_a_lone_row_with_its_label_wrapped_around_its_figure_is_a_table() -> None:
    # The one row of a table whose header stayed at the foot of the page before.
    chars = _chars("行政事业", 80, 100) + _centred("80090.76", 300, 109.7) + _centred("性收费", 98, 100 + PITCH)
    chars += _chars("三、收到和处理政府信息公开申请情况", 72, 160, size=12)
    [(_, table, _)] = find_tables(chars, page=4)
    assert _layout(table) == [(0, 0, 1, 1, "行政事业 性收费"), (0, 1, 1, 1, "80090.76")]
    chars = _chars("政府集中", 80, 100) + _centred("14", 250, 109.7) + _centred("375", 350, 109.7)
    chars += _centred("采购", 98, 100 + PITCH) + _chars("三、收到和处理政府信息公开申请情况", 72, 160, size=12)
    [(_, table, _)] = find_tables(chars, page=4)
    assert _layout(table) == [(0, 0, 1, 1, "政府集中 采购"), (0, 1, 1, 1, "14"), (0, 2, 1, 1, "375")]


def test_the_rest_of_the_last_row_label_is_no_header_carried_to_the_next_page() -> None:
    # The foot of a page: a row whose label goes on below its figures, then the caption and the
    # header of the next part of table 二, whose rows follow on the next page.
    chars = _chars("其他对", 80, 600) + _chars("外管理", 80, 600 + PITCH) + _centred("25", 250, 629.1)
    chars += _centred("2444", 350, 629.1) + _chars("服务事", 80, 600 + 2 * PITCH) + _centred("项", 93.5, 600 + 3 * PITCH)
    chars += _chars("第二十条第（六）项", 78, 678.9)  # (1.3 sizes of paper between the table's lines)
    chars += _chars("信息内", 80, 699.6) + _centred("上一年项目数量", 250, 699.6) + _centred("处理决定数量", 350, 699.6)
    carried = foot_lines(chars, SIZE, lambda line: False)
    assert ["".join(f.text for f in line.fragments) for line in carried] == [
        "第二十条第（六）项", "信息内上一年项目数量处理决定数量"]


def test_a_row_cut_by_the_page_break_joins_its_figure_and_its_label() -> None:
    # The foot of a page: the caption and header of a part of table 二 and its row's figure; the
    # row's label opens the next page, then the next part's caption, header and row.
    above = _chars("第二十条第（五）项", 78, 660) + _chars("信息内容", 80, 680) + _centred("本年处理决定数量", 300, 680)
    above += _centred("213162", 300, 700)
    carried = foot_lines(above, SIZE, lambda line: False)
    assert ["".join(f.text for f in line.fragments) for line in carried] == [
        "第二十条第（五）项", "信息内容本年处理决定数量", "213162"]
    below = _chars("行政许可", 80, 60) + _chars("第二十条第（六）项", 78, 80) + _chars("信息内容", 80, 100)
    below += _centred("本年处理决定数量", 300, 100) + _chars("行政处罚", 80, 120) + _centred("629610", 300, 120)
    [(_, table, _)] = find_tables(below, page=2, carry=carried)
    rows = [sorted(c.text for c in table.cells if c.row == row) for row in range(table.n_rows)]
    assert rows[:3] == [["第二十条第(五)项"], ["信息内容", "本年处理决定数量"], ["213162", "行政许可"]]
    assert rows[-1] == ["629610", "行政处罚"]
    # Figures atop the next page take no figures from the page before: nothing is carried there.
    figures = _chars("行政处罚", 80, 60) + _centred("629610", 300, 60)
    assert find_tables(figures, page=2, carry=carried) == []


def test_labels_of_a_table_set_double_spaced_stay_whole() -> None:
    # Double spacing in the cells: a label's lines a gap of 1.9 sizes apart, rows 2.9.
    gap = 1.9 * SIZE + SIZE
    chars = _chars("信息内容", 80, 100) + _centred("自然人", 250, 100) + _centred("总计", 350, 100)
    chars += _chars("行政规范", 80, 150) + _centred("23", 250, 150 + gap / 2) + _centred("23", 350, 150 + gap / 2)
    chars += _chars("性文件", 80, 150 + gap)
    second = 150 + gap + SIZE + 2.9 * SIZE  # rows 2.9 sizes of paper apart
    chars += _chars("其他对外管", 80, second) + _centred("25", 250, second + gap / 2)
    chars += _centred("25", 350, second + gap / 2) + _chars("理服务事项", 80, second + gap)
    [(_, table, _)] = find_tables(chars, page=1)
    rows = {c.text: c.row for c in table.cells}
    assert rows["行政规范 性文件"] == min(c.row for c in table.cells if c.text == "23")
    assert rows["其他对外管 理服务事项"] == min(c.row for c in table.cells if c.text == "25")


def test_headings_without_padding_stack_over_their_rests_under_a_carried_header() -> None:
    # Table 四's header at the foot of a page, its headings set with no padding (one run of characters
    # with narrow gaps over three columns), the rest of the right-hand headings atop the next page.
    left, right = (100, 121.5, 143), (200, 221.5, 243)
    above = _chars("具体情况如下：", 72, 380) + _centred("行政复议", 121.5, 400) + _centred("行政诉讼", 221.5, 400)
    for centres, baseline, words in ((left, 400 + PITCH, ("结果", "结果", "总计")),
                                     (left, 400 + 2 * PITCH, ("维持", "纠正")),
                                     (right, 400 + 2 * PITCH + 6, ("结果", "结果", "总计"))):
        for centre, word in zip(centres, words, strict=False):
            above += _centred(word, centre, baseline)
    carried = foot_lines(above, SIZE, lambda line: False)
    below = [ch for centre, word in zip(right, ("维持", "纠正"), strict=False) for ch in _centred(word, centre, 60)]
    for centre, figure in zip((*left, *right), ("1", "1", "2", "1", "0", "1"), strict=True):
        below += _centred(figure, centre, 90)
    [(_, table, _)] = find_tables(below, page=7, carry=carried)
    heads = sorted((c.col, c.text) for c in table.cells if c.text.startswith("结果"))
    assert heads == [(0, "结果 维持"), (1, "结果 纠正"), (3, "结果 维持"), (4, "结果 纠正")]


def test_the_rest_of_a_label_atop_the_page_double_spaced_opens_the_table() -> None:
    # "内部事务信" / "息": the rest of a label cut by the page break, its two lines farther apart than
    # lines of prose, a row's distance above the table's first row.
    gap = 1.9 * SIZE
    chars = _chars("内部事务信", 212, 60) + _chars("息", 212, 60 + SIZE + gap)
    first = 60 + 2 * (SIZE + gap) + 1.3 * SIZE
    chars += _chars("6.属于四类", 212, first) + _centred("1", 300, first + (SIZE + gap) / 2)
    chars += _centred("1", 360, first + (SIZE + gap) / 2) + _chars("过程性信息", 212, first + SIZE + gap)
    chars += _chars("7.属于行政", 212, first + 60) + _centred("2", 300, first + 60) + _centred("2", 360, first + 60)
    [(_, table, _)] = find_tables(chars, page=5)
    assert [c.text for c in table.cells if c.row == 0] == ["内部事务信 息"]


def test_a_caption_a_row_below_a_label_is_no_line_of_it_in_widely_spaced_parts() -> None:
    # Table 二's parts a row's distance apart (2 sizes of paper): a caption stands as far under the
    # last row label as a header label under its caption, which measures no leading of the labels.
    step = 3 * SIZE
    chars = _chars("第二十条第（五）项", 42, 100)
    chars += _chars("信息内容", 42, 100 + step) + _chars("本年处理决定数量", 154, 100 + step)
    chars += _chars("其他对外管理服务事项", 42, 100 + 2 * step) + _digits("2444", 154, 100 + 2 * step)
    chars += _chars("第二十条第（六）项", 42, 100 + 3 * step)
    chars += _chars("信息内容", 42, 100 + 4 * step) + _chars("本年处理决定数量", 154, 100 + 4 * step)
    chars += _chars("行政处罚", 42, 100 + 5 * step) + _digits("3514", 154, 100 + 5 * step)
    [(_, table, _)] = find_tables(chars, page=2)
    rows = {c.text: c.row for c in table.cells}
    assert rows["其他对外管理服务事项"] == rows["2444"]
    assert rows["第二十条第(六)项"] not in (rows["2444"], rows["3514"])


def test_a_header_printed_on_lines_of_its_own_double_spaced_heads_its_part() -> None:
    # Fixed column widths, text set flush left, double spacing: the header label "信息内" / "容" and the
    # heading over the figures each on a line of their own, a row's distance above the first row.
    chars = _chars("信息内", 65, 330) + _chars("本年处理决定数量", 106, 340) + _chars("容", 65, 350)
    chars += _chars("行政许", 65, 389) + _digits("213162", 106, 398.7) + _chars("可", 65, 408.4)
    chars += _chars("行政处", 65, 440) + _digits("629610", 106, 450) + _chars("罚", 65, 460)
    [(_, table, _)] = find_tables(chars, page=2)
    rows = {c.text: c.row for c in table.cells}
    assert rows["本年处理决定数量"] < rows["213162"] < rows["629610"]
    assert rows["行政许 可"] == rows["213162"]


def test_figures_of_columns_a_quarter_character_apart_are_cells_of_their_columns() -> None:
    # Columns as narrow as their figures with a pixel of padding (a web page printed with no table width):
    # a label a hair from its figure with no space printed between them, and two columns' figures closer
    # than a fragment break. Digits touch inside a figure; the wider gap between figures parts them.
    gap = SIZE / 4
    a, b = 146.0, 146.0 + SIZE + gap  # the two value columns' left edges
    chars = _chars("规章", 80, 122) + _digits("1", a, 122) + _digits("49", b, 122)
    chars += _chars("行政规范性文件", 80, 134) + _digits("11", 143.0 + 2.9, 134) + _digits("127", b, 134)
    chars += _chars("其他", 80, 146) + _digits("10", a, 146) + _digits("718", b, 146)  # could be one number
    chars += _chars("合计", 80, 158) + _digits("21", a, 158) + _digits("2,434", b, 158)  # cannot be
    [(_, table, _)] = find_tables(chars, page=1)
    assert _layout(table) == [
        (0, 0, 1, 1, "规章"), (0, 1, 1, 1, "1"), (0, 2, 1, 1, "49"),
        (1, 0, 1, 1, "行政规范性文件"), (1, 1, 1, 1, "11"), (1, 2, 1, 1, "127"),
        (2, 0, 1, 1, "其他"), (2, 1, 1, 1, "10"), (2, 2, 1, 1, "718"),
        (3, 0, 1, 1, "合计"), (3, 1, 1, 1, "21"), (3, 2, 1, 1, "2,434"),
    ]


def test_a_figure_grouped_by_a_space_in_no_two_columns_stays_whole() -> None:
    # "10 718" under a single column of figures is one number printed with a space between its groups.
    chars = _chars("规章", 80, 122) + _digits("1", 200, 122) + _chars("行政许可", 80, 134) + _digits("3", 200, 134)
    chars += _chars("其他", 80, 146) + _digits("10", 195, 146) + _digits("718", 195 + SIZE * 1.25, 146)
    [(_, table, _)] = find_tables(chars, page=1)
    assert sorted((c.col, c.text) for c in table.cells if c.row == 2) == [(0, "其他"), (1, "10718")]


def test_a_group_label_between_two_numbered_rows_spans_them() -> None:
    # Rows a paragraph apart: "（三）不予公开", centred on its rows, stands in the gap between the second
    # and the third, on no row's line; it is the merged cell of all four.
    chars = []
    for i, (label, figure) in enumerate((("1.甲事项", "6"), ("2.乙事项", "18"), ("3.丙事项", "9"), ("4.丁事项", "0"))):
        chars += _chars(label, 140, 122 + 30 * i) + _centred(figure, 260, 122 + 30 * i) + _centred("1", 320, 122 + 30 * i)
    chars += _chars("（三）不予", 80, 162) + _chars("公开", 80, 171)
    [(_, table, _)] = find_tables(chars, page=1)
    group = next(c for c in table.cells if "不予" in c.text)
    assert (group.row, group.col, group.row_span) == (0, 0, 4)
    assert sorted((c.col, c.text) for c in table.cells if c.row == 2) == [(1, "3.丙事项"), (2, "9"), (3, "1")]


@pytest.mark.skipif(robust_producers.WEASYPRINT_TOOLS != (), reason="weasyprint (the dev extra) is not importable here")
def test_a_web_page_without_rules_printed_by_weasyprint_is_read_cell_by_cell(tmp_path: Path) -> None:
    # WeasyPrint reads no width attribute: columns as narrow as their text, a pixel of padding, each
    # cell's text a paragraph (rows far apart). Labels touch their figures, group labels stand between rows.
    source = SYNTHETIC / "dept-qingyu-gaj-2023-mixed"
    pdf = tmp_path / "weasyprint-plain.pdf"
    robust_producers._weasyprint("plain", source, pdf)
    truth = json.loads(source.with_suffix(".docx.truth.json").read_text(encoding="utf-8"))
    result = parse_file(pdf)
    score = compare(result, truth)
    assert sum(score.total.values()) >= 180
    assert score.misses == []


@pytest.mark.skipif(robust_producers.WEASYPRINT_TOOLS != (), reason="weasyprint (the dev extra) is not importable here")
def test_a_header_at_the_foot_of_a_page_takes_the_row_read_as_text_atop_the_next(tmp_path: Path) -> None:
    # Part 八 of table 二: its caption and header are the last lines of a page; its one row,
    # "行政事业性收费74690.08", opens the next page, where nothing lines up with its figure.
    source = SYNTHETIC / "city-xiuzhou-2022-t2021"
    pdf = tmp_path / "weasyprint-plain.pdf"
    robust_producers._weasyprint("plain", source, pdf)
    tables = _tables(pdf)
    fees = next(t for t in tables if any("行政事业性收费" in c.text for c in t.cells))
    assert sorted(c.text for c in fees.cells if c.row == fees.n_rows - 1) == ["74690.08", "行政事业性收费"]
    assert any("本年收费金额" in c.text for c in fees.cells)
    truth = json.loads(source.with_suffix(".docx.truth.json").read_text(encoding="utf-8"))
    result = parse_file(pdf)
    assert compare(result, truth).misses == []
    assert result.document["status"] == "ok"



def _spread(text: str, x0: float, x1: float, bottom: float, size: float) -> list[dict[str, Any]]:
    """Lay `text` out evenly between `x0` and `x1` on a line whose characters end at `bottom`."""
    step = (x1 - x0) / len(text)
    return [{"text": ch, "x0": x0 + i * step, "x1": x0 + (i + 1) * step, "top": bottom - size, "bottom": bottom,
             "size": size} for i, ch in enumerate(text)]


def test_a_group_label_beside_the_first_lines_of_a_row_opening_a_page_joins_the_table() -> None:
    # The top of a page of table 三 as LibreOffice exported it with double-spaced cells (12-point type,
    # lines 34.5 points apart): the group label （六）其他处理 in a column of its own beside the first
    # lines of its first row's label, that row's figures four lines down, and nothing in the group
    # column further down, so that the rows' labels start right of the group label.
    printed = [
        (464.1, [("（六）其", 127.8, 175.8), ("1.申请人", 181.8, 227.7)]),
        (498.6, [("他处理", 133.8, 169.8), ("无正当理", 182.1, 230.1)]),
        (533.1, [("由逾期不", 182.1, 230.1)]),
        (567.6, [("补正、行", 182.1, 230.1)]),
        (584.9, [("136", 245.1, 264.1), ("3", 291.9, 298.6), ("0", 332.5, 339.2), ("1", 373.7, 379.4),
                 ("3", 413.8, 420.5), ("1", 455.0, 460.7), ("144", 489.0, 507.9)]),
        (602.1, [("政机关不", 182.1, 230.1)]),
        (636.6, [("再处理其", 182.1, 230.6)]),
        (671.1, [("政府信息", 182.1, 230.2)]),
        (705.6, [("公开申请", 182.1, 230.1)]),
        (758.9, [("2.申请人", 182.1, 228.8), ("14", 248.4, 260.7), ("0", 291.9, 298.6), ("0", 332.5, 339.2),
                 ("0", 373.2, 379.9), ("0", 413.8, 420.5), ("0", 454.5, 461.2), ("14", 492.4, 504.7)]),
    ]
    chars = [ch for bottom, parts in printed for text, x0, x1 in parts for ch in _spread(text, x0, x1, bottom, 12.0)]
    [(_, table, _)] = find_tables(chars, page=8)
    rows = {c.text: c.row for c in table.cells}
    assert rows["(六)其 他处理"] == rows["136"]
    assert rows["1.申请人 无正当理 由逾期不 补正、行 政机关不 再处理其 政府信息 公开申请"] == rows["136"]
    assert rows["2.申请人"] == rows["14"] != rows["136"]
