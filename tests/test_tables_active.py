from builders import table

from pipeline.tables import active


def keyed(cells):
    return {(c.row, c.column): (c.raw, c.item) for c in cells}


STACKED_2021 = [
    ["第二十条第（一）项", "<", "<", "<"],
    ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    ["规章", "1", "0", "11"],
    ["行政规范性文件", "8", "26", "66"],
    ["第二十条第（五）项", "<", "<", "<"],
    ["信息内容", "本年处理决定数量", "<", "<"],
    ["行政许可", "447228", "<", "<"],
    ["第二十条第（六）项", "<", "<", "<"],
    ["信息内容", "本年处理决定数量", "<", "<"],
    ["行政处罚", "3,985,758", "<", "<"],
    ["行政强制", "88283", "<", "<"],
    ["第二十条第（八）项", "<", "<", "<"],
    ["信息内容", "本年收费金额（单位：万元）", "<", "<"],
    ["行政事业性收费", "96171.6", "<", "<"],
]


def test_stacked_2021_sub_tables():
    got = keyed(active.recognize(table(STACKED_2021))[0])
    assert got[("regulations", "in_force")] == ("11", "20.1")
    assert got[("normative_documents", "repealed")] == ("26", "20.1")
    assert got[("administrative_licensing", "decisions")] == ("447228", "20.5")
    assert got[("administrative_penalty", "decisions")] == ("3,985,758", "20.6")
    assert got[("administrative_coercion", "decisions")] == ("88283", "20.6")
    assert got[("administrative_fees", "amount_10k_yuan")] == ("96171.6", "20.8")
    assert len(got) == 10


def test_sub_tables_split_over_separate_grids_share_state():
    first, state = active.recognize(table(STACKED_2021[:7]))
    rest, _ = active.recognize(table(STACKED_2021[7:]), state)
    assert len(first) + len(rest) == 10


def test_2019_columns_with_header_and_data_spans_that_disagree():
    # As published on a portal: the header spans columns 2–3, the data cell spans 1–2.
    grid = table([
        ["第二十条第（五）项", "<", "<", "<", "<"],
        ["信息内容", "上一年项目数量", "本年增/减", "<", "处理决定数量"],
        ["行政许可", "12", "<", "-2", "30"],
        ["其他对外管理服务事项", "0", "<", "0", "0"],
        ["第二十条第（九）项", "<", "<", "<", "<"],
        ["信息内容", "采购项目数量", "<", "采购总金额", "<"],
        ["政府集中采购", "6", "<", "251000元", "<"],
    ])
    got = keyed(active.recognize(grid)[0])
    assert got[("administrative_licensing", "previous_year_items")] == ("12", "20.5")
    assert got[("administrative_licensing", "change")] == ("-2", "20.5")
    assert got[("administrative_licensing", "decisions")] == ("30", "20.5")
    assert got[("other_external_services", "decisions")] == ("0", "20.5")
    assert got[("government_procurement", "procurement_amount")] == ("251000元", "20.9")


def test_a_merged_header_over_separate_blank_data_cells_yields_one_record():
    grid = table([["信息内容", "本年处理决定数量", "<", "<"], ["行政许可", "", "", ""]])
    cells = active.recognize(grid)[0]
    assert [(c.row, c.column, c.raw) for c in cells] == [("administrative_licensing", "decisions", "")]
