from builders import table

from pipeline.tables import review

FIVE = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
KEYS = ["maintained", "corrected", "other", "pending", "total"]


def three_level(values, top_split=5):
    top = ["行政复议", "<", "<", "<", "<"] + ["行政诉讼"] + ["<"] * 9
    if top_split != 5:  # a real report draws the 行政诉讼 cell from a later column
        top = ["行政复议", "<", "<", "<", "<", "", "<", "<", "行政诉讼", "<", "<", "<", "<", "<", "<"]
    middle = [*FIVE, "未经复议直接起诉", "<", "<", "<", "<", "复议后起诉", "<", "<", "<", "<"]
    bottom = ["^"] * 5 + FIVE + FIVE
    return table([top, middle, bottom, [str(v) for v in values]])


def test_fifteen_figures_by_header_path():
    values = [10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0]
    cells = {(c.row, c.column): c.raw for c in review.recognize(three_level(values))}
    assert cells[("administrative_review", "maintained")] == "10"
    assert cells[("administrative_review", "total")] == "0"  # printed as is, never corrected
    assert cells[("litigation_after_review", "maintained")] == "5"
    assert len(cells) == 15


def test_the_group_is_read_from_the_path_not_the_position():
    values = list(range(1, 16))
    cells = {(c.row, c.column): c.raw for c in review.recognize(three_level(values, top_split=8))}
    groups = ["administrative_review", "litigation_direct", "litigation_after_review"]
    expected = {(g, k): str(i * 5 + j + 1) for i, g in enumerate(groups) for j, k in enumerate(KEYS)}
    assert cells == expected


def test_no_data_row_printed_gives_no_cells():
    header_only = table([["行政复议", "<", "<", "<", "<", "行政诉讼"], [*FIVE, "未经复议直接起诉"]])
    assert review.recognize(header_only) == []


def test_a_blank_data_row_gives_fifteen_blank_cells():
    cells = review.recognize(three_level([""] * 15))
    assert len(cells) == 15
    assert {c.raw for c in cells} == {""}
