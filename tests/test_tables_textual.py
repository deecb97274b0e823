from pipeline.run import parse_file
from pipeline.tables import textual


def stream(*lines):
    return textual.TokenStream([(line, 1) for line in lines])


def test_rows_with_numbers_after_their_labels():
    s = stream("申请人情况 自然人 总计",
               "一、本年新收政府信息公开申 请数量 3 0 0 0 0 0 3",
               "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0",
               "（一）予以公开 1 0 0 0 0 0 1",
               "四、结转下年度继续办理 0 0 0 0 0 0 0")
    got = {(c.row, c.column): c.raw for c in textual.applications(s)}
    assert got[("new_received", "natural_person")] == "3"
    assert got[("new_received", "total")] == "3"
    assert got[("granted", "natural_person")] == "1"
    assert got[("carried_forward", "total")] == "0"
    assert len(got) == 4 * 7


def test_a_label_with_no_numbers_is_a_row_of_blank_cells():
    s = stream("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量")
    cells = textual.applications(s)
    assert len(cells) == 14
    assert {c.raw for c in cells} == {""}



def test_the_figures_of_a_wrapped_label_printed_between_its_lines_are_its_row():
    # A dump of a table whose label wraps over three lines, the figures beside the last of them; a page
    # break inside the label puts "其他情形）" after the figures.
    s = stream("一、本年新收政府信息公开申请数量 39 0 0 0 0 0 39", "（一）予以公开 13 1 — — 1 — 15",
               "（二）部分公开", "（区分处理的，只", "计这一情形，不计", "2 — — — — — 2", "其他情形）",
               "（三）不予公开 1.属于国家秘密 — — — — — — —")
    got = {(c.row, c.column): c.raw for c in textual.applications(s)}
    partial = [got[("partially_granted", c)] for c in ("natural_person", "commercial_enterprise", "total")]
    assert partial == ["2", "—", "2"]
    assert got[("granted", "total")] == "15"
    assert got[("denied.state_secret", "natural_person")] == "—"



def test_a_layout_dump_sets_the_rest_of_a_group_label_between_a_row_label_and_its_figures():
    # pdftotext -layout: the group label （四）无法提供 and the row label 2.没有现成信息需要另行制作 wrap
    # over the same lines, so the group label's rest stands before the row's figures and the row's after.
    s = stream("一、本年新收政府信息公开申请数量 39 0 0 0 0 0 39",
               "（四）无 1.本机关不掌握相关政府信息 21 1 0 0 0 1 23",
               "2.没有现成信息需要另行制", "法提供 2 0 0 0 0 0 2", "作",
               "3.补正后申请内容仍不明确 1 0 0 0 0 0 1",
               "（五）不予处理 1.信访举报投诉类申请 — — — — — — —")
    got = {(c.row, c.column): c.raw for c in textual.applications(s)}
    assert [got[("unavailable.needs_creation", c)] for c in ("natural_person", "total")] == ["2", "2"]
    assert got[("unavailable.still_unclear", "total")] == "1"
    assert got[("unavailable.not_held", "total")] == "23"


def test_a_blank_row_does_not_take_the_figures_of_a_row_whose_label_went_unfound():
    # The 2021 table's （六） rows are unreadable here ("2.申请人" cut off); the group label stays blank.
    s = stream("一、本年新收政府信息公开申请数量 39 0 0 0 0 0 39", "（六）其他处理", "2.申请人 14 0 0 0 0 0 14",
               "3.其他 1 0 0 0 0 0 1", "（七）总计 15 0 0 0 0 0 15")
    got = {(c.row, c.column): c.raw for c in textual.applications(s)}
    assert got.get(("other", "natural_person"), "") == ""
    assert got[("other.misc", "natural_person")] == "1"
    assert got[("total", "total")] == "15"


def test_the_2021_other_rows_are_read_where_a_dump_interleaves_their_group_label():
    s = stream("一、本年新收政府信息公开申请数量 3416 0 0 0 0 0 3416",
               "1.申请人无正当理由逾期不", "补正、行政机关不再处理其 272 7 1 0 5 1 286", "政府信息公开申请",
               "（六）其", "2.申请人逾期未按收费通知", "他处理", "要求缴纳费用、行政机关不 14 0 0 0 0 0 14",
               "再处理其政府信息公开申请", "3.其他 120 7 0 0 4 1 132", "（七）总计 3129 160 5 8 77 17 3396")
    got = {(c.row, c.column): c.raw for c in textual.applications(s)}
    assert got[("other.no_correction", "total")] == "286"
    assert got[("other.unpaid_fee", "natural_person")] == "14"
    assert got[("other.misc", "total")] == "132"
    assert not any(row == "other" for row, _ in got)


def test_table_four_under_a_header_printed_line_by_line_across_its_columns():
    s = stream("行政复议 行政诉讼", "未经复议直接起诉 复议后起诉", "结果 结果 其他 尚未",
               "总计 结果 结果 其他 尚未 结果 结果 其他 尚未", "维持 纠正 结果 审结 总计 总计",
               "维持 纠正 结果 审结 维持 纠正 结果 审结", "3 1 1 0 5 1 0 0 0 1 1 0 0 0 1",
               "五、存在的主要问题及改进情况 1")
    got = {(c.row, c.column): c.raw for c in textual.review(s)}
    assert [got[("administrative_review", c)] for c in ("maintained", "corrected", "other", "pending", "total")] \
        == ["3", "1", "1", "0", "5"]
    assert got[("litigation_after_review", "total")] == "1"
    assert len(got) == 15


def test_table_four_is_not_taken_from_figures_after_other_words():
    s = stream("行政复议 行政诉讼", "未经复议直接起诉 复议后起诉", "结果 维持", "全年共办理 3 1 1 0 5 1 0 0 0 1 1 0 0 0 1")
    assert textual.review(s) == []


def test_a_row_with_a_count_that_fits_no_layout_is_left_out():
    s = stream("一、本年新收政府信息公开申请数量 3 0 3", "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0")
    rows = {c.row for c in textual.applications(s)}
    assert rows == {"carried_over"}


def test_active_columns_follow_the_printed_header():
    s = stream("第二十条第（一）项", "信息内容 本年新制作数量 本年新公开数量 对外公开总量", "规章 1 1 20",
               "规范性文件 2 2 30", "第二十条第（五）项", "信息内容 上一年项目数量 本年增/减 处理决定数量",
               "行政许可 5 -1 40")
    got = {(c.row, c.column): (c.raw, c.item) for c in textual.active(s)}
    assert got[("regulations", "total_published")] == ("20", "20.1")
    assert got[("normative_documents", "new_made")] == ("2", "20.1")
    assert got[("administrative_licensing", "change")] == ("-1", "20.5")
    assert got[("administrative_licensing", "decisions")] == ("40", "20.5")


def test_a_lone_figure_glued_to_its_label_is_read_where_the_row_has_one_column():
    # A cell set a hair from its label prints no space between them ("行政事业性收费80,090.76"); with three
    # columns the glued digits could be cut anywhere, and the row is left out.
    s = stream("第二十条第（五）项", "信息内容 上一年项目数量 本年增/减 处理决定数量", "行政许可5 -1 40",
               "第二十条第（八）项", "信息内容 本年收费金额（单位：万元）", "行政事业性收费80,090.76")
    got = {(c.row, c.column): (c.raw, c.item) for c in textual.active(s)}
    assert got[("administrative_fees", "amount_10k_yuan")] == ("80,090.76", "20.8")
    assert not any(row == "administrative_licensing" for row, _ in got)


def test_review_needs_its_fifteen_figures():
    header = "行政复议 行政诉讼 结果维持 结果纠正 其他结果 尚未审结 总计 未经复议直接起诉 复议后起诉 " \
             "结果维持 结果纠正 其他结果 尚未审结 总计 结果维持 结果纠正 其他结果 尚未审结 总计"
    full = textual.review(stream(header, " ".join(str(i) for i in range(15))))
    assert [(c.row, c.column, c.raw) for c in full][:2] == [
        ("administrative_review", "maintained", "0"), ("administrative_review", "corrected", "1")]
    assert full[-1].row == "litigation_after_review"
    assert full[-1].raw == "14"
    assert textual.review(stream(header)) == []


FRAGMENTS = """某市人民政府2025年政府信息公开工作年度报告
三、收到和处理政府信息公开申请情况
## 表三：收到和处理政府信息公开申请情况
| 等于第三项加第四项之和） | 自然人 | 商业 | 科研 | 总计 |
|---|---|---|---|---|
## 表三：收到和处理政府信息公开申请情况
| 一、本年新收政府信息公开申请数量 | 1259 | 36 | 0 | 0 | 0 | 0 | 1295 |
|---|---|---|---|---|---|---|---|
| 二、上年结转政府信息公开申请数量 | 170 | 15 | 0 | 0 | 4 | 0 | 189 |
| （一）予以公开 | 201 | 5 | 0 | 0 | 0 | 0 | 206 |

（二）部分公开（区分处理的，只计这一情
形，不计其他情形）
| 2 | 0 | 0 | 0 | 0 | 0 | 2 |
|---|---|---|---|---|---|---|
"""


def test_a_grid_no_recognizer_can_read_is_read_as_flattened_rows(tmp_path):
    # A PDF-to-Markdown converter cut table 三 into fragments and lost its header (上海市人民政府办公厅 2025,
    # as printed by the converter): each fragment's first row is a data row, under no column heading.
    path = tmp_path / "report.txt"
    path.write_text(FRAGMENTS, encoding="utf-8")
    result = parse_file(path)
    columns = ("natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
               "legal_service_org", "other_org", "total")
    printed = {"new_received": [1259, 36, 0, 0, 0, 0, 1295], "carried_over": [170, 15, 0, 0, 4, 0, 189],
               "granted": [201, 5, 0, 0, 0, 0, 206], "partially_granted": [2, 0, 0, 0, 0, 0, 2]}
    got = {(r.row, r.column): r.value for r in result.records if r.table == "applications"}
    assert got == {(row, c): v for row, values in printed.items() for c, v in zip(columns, values, strict=True)}
    assert {r.method for r in result.records} == {"text"}
    assert result.document["status"] == "needs_review"  # rows of the template are missing


# An OCR-to-Markdown conversion (沭阳县 2025): each row of table 三 under a caption that repeats its label and a
# header of made-up column names, table 四 as one small table per group.
CAPTIONED = """沭阳县人民政府2025年政府信息公开工作年度报告
## 三、收到和处理政府信息公开申请情况
### 一、本年新收政府信息公开申请数量
| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|---|
| 本年新收政府信息公开申请数量 | 705 | 3 | 0 | 0 | 5 | 0 | 713 |

### 二、上年结转政府信息公开申请数量
| 类别 | 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |
|---|---|---|---|---|---|---|---|
| 上年结转政府信息公开申请数量 | 36 | 0 | 0 | 0 | 0 | 0 | 36 |

## 四、政府信息公开行政复议、行政诉讼情况
### 行政复议
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|----------|----------|----------|----------|------|
| 27 | 10 | 9 | 15 | 61 |

### 行政诉讼（未经复议直接起诉）
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|----------|----------|----------|----------|------|
| 3 | 0 | 0 | 0 | 3 |

### 行政诉讼（复议后起诉）
| 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计 |
|----------|----------|----------|----------|------|
| 8 | 0 | 1 | 1 | 10 |
"""


def test_rows_under_captions_and_table_four_by_group(tmp_path):
    path = tmp_path / "report.txt"
    path.write_text(CAPTIONED, encoding="utf-8")
    result = parse_file(path)
    got = {(r.table, r.row, r.column): r.raw for r in result.records}
    assert [got["applications", "new_received", c] for c in ("natural_person", "legal_service_org", "total")] == \
        ["705", "5", "713"]
    assert [got["applications", "carried_over", c] for c in ("natural_person", "total")] == ["36", "36"]
    review = [got["review_litigation", g, c] for g in ("administrative_review", "litigation_direct",
                                                       "litigation_after_review")
              for c in ("maintained", "corrected", "other", "pending", "total")]
    assert review == ["27", "10", "9", "15", "61", "3", "0", "0", "0", "3", "8", "0", "1", "1", "10"]
    assert {r.method for r in result.records} == {"text"}
