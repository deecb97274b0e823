from builders import APPLICATION_HEADER, table

from pipeline.tables import applications

COLUMNS = ["natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
           "legal_service_org", "other_org", "total"]


def row(label_cells, values):
    return [*label_cells, *[str(v) for v in values]]


def grid_2021():
    rows = [r[:] for r in APPLICATION_HEADER]
    rows += [
        row(["一、本年新收政府信息公开申请数量", "<", "<"], [5, 1, 0, 0, 0, 0, 6]),
        row(["二、上年结转政府信息公开申请数量", "<", "<"], [1, 0, 0, 0, 0, 0, 1]),
        row(["三、本年度办理结果", "（一）予以公开", "<"], [2, 0, 0, 0, 0, 0, 2]),
        row(["^", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "<"], [1, 1, 0, 0, 0, 0, 2]),
        row(["^", "（三）不予公开", "1.属于国家秘密"], [0] * 7),
        row(["^", "^", "2.其他法律行政止公开"], [1, 0, 0, 0, 0, 0, 1]),
        row(["^", "（四）无法提供", "1.本机关不掌握相关政府信息"], [1, 0, 0, 0, 0, 0, 1]),
        row(["^", "（五）不予处理", "1.信访举报投诉类申请"], ["", "—", "/", "0", "", "", ""]),
        row(["^", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"], [0] * 7),
        row(["^", "^", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"], [0] * 7),
        row(["^", "^", "3.其他"], [1, 0, 0, 0, 0, 0, 1]),
        row(["^", "（七）总计", "<"], [6, 1, 0, 0, 0, 0, 7]),
        row(["四、结转下年度继续办理", "<", "<"], [0] * 7),
    ]
    return table(rows)


def as_dict(cells):
    return {(c.row, c.column): c.raw for c in cells}


def test_rows_and_columns_are_keyed_by_meaning():
    cells, columns = applications.recognize(grid_2021())
    got = as_dict(cells)
    assert list(columns.keys.values()) == COLUMNS
    assert got[("new_received", "natural_person")] == "5"
    assert got[("new_received", "total")] == "6"
    assert got[("partially_granted", "commercial_enterprise")] == "1"
    assert got[("denied.prohibited_by_law", "total")] == "1"  # typo in the label
    assert got[("unavailable.not_held", "natural_person")] == "1"
    assert got[("other.misc", "natural_person")] == "1"
    assert got[("total", "total")] == "7"
    assert got[("carried_forward", "other_org")] == "0"
    assert len(cells) == 13 * 7  # thirteen rows printed, seven columns each


def test_blank_and_placeholder_cells_keep_their_raw_text():
    got = as_dict(applications.recognize(grid_2021())[0])
    petition = [got[("not_processed.petition_complaint", c)] for c in COLUMNS]
    assert petition == ["", "—", "/", "0", "", "", ""]


def test_the_single_2019_other_row():
    rows = [r[:] for r in APPLICATION_HEADER]
    rows += [row(["一、本年新收政府信息公开申请数量", "<", "<"], [3] + [0] * 5 + [3]),
             row(["三、本年度办理结果", "（六）其他处理", "<"], [2] + [0] * 5 + [2])]
    got = as_dict(applications.recognize(table(rows))[0])
    assert got[("other", "natural_person")] == "2"
    assert not any(k[0].startswith("other.") for k in got)


def test_a_headless_continuation_reuses_the_column_map():
    _, columns = applications.recognize(grid_2021())
    rest = table([row(["", "（五）不予处理", "2.重复申请"], [4, 0, 0, 0, 0, 0, 4])])
    cells, _ = applications.recognize(rest, columns)
    assert as_dict(cells)[("not_processed.duplicate", "natural_person")] == "4"


def test_looks_like_separates_table_three_from_others():
    assert applications.looks_like(grid_2021()) >= 0.9
    assert applications.looks_like(table([["信息内容", "本年制发件数"], ["规章", "1"]])) < 0.5


def test_a_continuation_narrower_than_its_header_is_read_not_indexed_blindly():
    from pipeline.model import Cell, Table
    from pipeline.tables import applications

    def cell(raw, row, col):
        return Cell(raw=raw, text=raw, row=row, col=col)

    header = Table((cell("申请人情况", 0, 0), cell("自然人", 0, 1), cell("商业企业", 0, 2), cell("总计", 0, 3),
                    cell("一、本年新收政府信息公开申请数量", 1, 0), cell("5", 1, 1), cell("2", 1, 2), cell("7", 1, 3)),
                   n_rows=2, n_cols=4)
    cells, columns = applications.recognize(header)
    assert [(c.row, c.column, c.raw) for c in cells] == [
        ("new_received", "natural_person", "5"), ("new_received", "commercial_enterprise", "2"),
        ("new_received", "total", "7")]
    # The next page's part has lost its last column (a ragged grid): the cells it has are read.
    rest = Table((cell("二、上年结转政府信息公开申请数量", 0, 0), cell("1", 0, 1), cell("0", 0, 2)), n_rows=1, n_cols=3)
    more, _ = applications.recognize(rest, columns)
    assert [(c.row, c.column, c.raw) for c in more] == [
        ("carried_over", "natural_person", "1"), ("carried_over", "commercial_enterprise", "0")]


def test_a_continuation_with_a_label_column_more_than_its_header_reads_its_figures_from_the_right():
    # Over a page break the rest of the table is a grid of its own, one label column wider (group and
    # numbered labels in columns of their own on that page only): its figures still end each row.
    _, columns = applications.recognize(grid_2021())  # ten columns: three of labels, seven of figures
    rest = table([
        row(["", "（三）不予公开", "<", "1.属于国家秘密"], [0, 0, 0, 0, 0, 0, 0]),
        row(["", "^", "^", "2.其他法律行政法规禁止公开"], [3, 1, 0, 0, 0, 0, 4]),
        row(["", "（七）总计", "<", "<"], [9, 2, 0, 0, 0, 0, 11]),
    ])
    got = as_dict(applications.recognize(rest, columns)[0])
    assert [got[("denied.prohibited_by_law", c)] for c in COLUMNS] == ["3", "1", "0", "0", "0", "0", "4"]
    assert got[("total", "natural_person")] == "9"
    assert got[("total", "total")] == "11"


def test_a_row_cut_by_a_page_break_into_two_grid_rows_is_one_row():
    # A ruled table joined over a page break: the label's last line stands over blank cells on the next page.
    rows = [r[:] for r in APPLICATION_HEADER]
    rows += [
        row(["一、本年新收政府信息公开申请数量", "<", "<"], [20, 1, 0, 0, 1, 0, 22]),
        row(["三、本年度办理结果", "（一）予以公开", "<"], [13, 1, 0, 0, 1, 0, 15]),
        row(["^", "（二）部分公开（区分处理的，只", "<"], [2, 0, 0, 0, 0, 0, 2]),
        row(["^", "计这一情形，不计其他情形）", "<"], [""] * 7),
        row(["^", "（三）不予公开", "1.属于国家秘密"], [0] * 7),
    ]
    got = as_dict(applications.recognize(table(rows))[0])
    assert [got[("partially_granted", c)] for c in COLUMNS] == ["2", "0", "0", "0", "0", "0", "2"]
    assert got[("denied.state_secret", "total")] == "0"
    assert len(got) == 4 * 7


def test_a_row_printed_blank_under_a_row_without_a_label_stays_a_row_of_its_own():
    rows = [r[:] for r in APPLICATION_HEADER]
    rows += [
        row(["一、本年新收政府信息公开申请数量", "<", "<"], [20, 1, 0, 0, 1, 0, 22]),
        row(["三、本年度办理结果", "（一）予以公开", "<"], [13, 1, 0, 0, 1, 0, 15]),
        row(["^", "", "<"], [5, 0, 0, 0, 0, 0, 5]),
        row(["^", "（二）部分公开", "<"], [""] * 7),
    ]
    got = as_dict(applications.recognize(table(rows))[0])
    assert [got[("partially_granted", c)] for c in COLUMNS] == [""] * 7
    assert ("granted", "total") in got
    assert len(got) == 3 * 7


def test_figures_left_under_no_label_at_a_page_foot_go_to_the_label_over_blank_cells_on_the_next_page():
    # WeasyPrint splits a row set in the middle at a page break: its figures stay on page 4 under an
    # empty label cell, its label "7.属于行政执法案卷" opens page 5 over blank cells.
    rows = [r[:] for r in APPLICATION_HEADER]
    rows += [
        row(["一、本年新收政府信息公开申请数量", "<", "<"], [56, 4, 0, 0, 1, 1, 62]),
        row(["三、本年度办理结果", "（三）不予公开", "6.属于四类过程性信息"], [1, 0, 0, 0, 0, 0, 1]),
        row(["^", "^", ""], [1, 0, 0, 0, 0, 0, 1]),
    ]
    cells, state = applications.recognize(table(rows, page=4))
    assert "denied.enforcement_files" not in {c.row for c in cells}
    rest = table([row(["", "", "7.属于行政执法案卷"], [""] * 7),
                  row(["", "", "8.属于行政查询事项"], [2, 0, 0, 0, 0, 0, 2])], page=5)
    got = {(c.row, c.column): (c.raw, c.page) for c in applications.recognize(rest, state)[0]}
    assert got[("denied.enforcement_files", "natural_person")] == ("1", 4)
    assert got[("denied.enforcement_files", "total")] == ("1", 4)
    assert got[("denied.administrative_inquiry", "total")] == ("2", 5)


def test_the_middle_of_table_three_between_two_page_breaks_scores_as_a_continuation_only():
    middle = table([row(["", "（四）无法提供", "1.本机关不掌握相关政府信息"], [18, 1, 0, 0, 1, 0, 20]),
                    row(["", "^", "2.没有现成信息需要另行制作"], [2, 0, 0, 0, 0, 0, 2]),
                    row(["", "（五）不予处理", "1.信访举报投诉类申请"], [1, 0, 0, 0, 0, 0, 1]),
                    row(["", "^", "2.重复申请"], [1, 0, 0, 0, 0, 0, 1])])
    assert 0 < applications.looks_like(middle) < 0.5
    assert applications.looks_like(table([["信息内容", "本年制发件数"], ["规章", "1"]])) == 0


def test_a_header_printed_alone_gives_the_columns_its_rows_on_the_next_part_are_read_with():
    # A page picture ends with table 三's header; its rows open the next picture, in a grid of ten columns.
    header = table([r[3:] for r in APPLICATION_HEADER[1:]])  # seven applicant columns, nothing else
    assert applications.looks_like(header) == 0.5
    cells, state = applications.recognize(header)
    assert cells == []
    assert state is not None
    assert list(state.keys.values()) == COLUMNS
    rest = table([row(["一、本年新收政府信息公开申请数量", "<", "<"], [76, 4, 0, 0, 1, 0, 81]),
                  row(["二、上年结转政府信息公开申请数量", "<", "<"], [2, 0, 0, 0, 0, 0, 2])])
    got = as_dict(applications.recognize(rest, state)[0])
    assert [got[("new_received", c)] for c in COLUMNS] == ["76", "4", "0", "0", "1", "0", "81"]


def test_the_rest_of_a_label_atop_the_next_part_completes_the_row_of_figures_before_it():
    _, columns = applications.recognize(grid_2021())
    part = table([row(["", "（五）不予处理", "5.要求行政机关确认或重"], [19, 1, 0, 0, 1, 0, 21])], page=6)
    cells, state = applications.recognize(part, columns)
    assert cells == []
    rest = table([row(["", "", "新出具已获取信息"], [""] * 7),
                  row(["", "（六）其他处理", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"],
                      [272, 7, 1, 0, 5, 1, 286])], page=7)
    got = as_dict(applications.recognize(rest, state)[0])
    assert [got[("not_processed.confirm_or_reissue", c)] for c in COLUMNS] == ["19", "1", "0", "0", "1", "0", "21"]
    assert got[("other.no_correction", "total")] == "286"
