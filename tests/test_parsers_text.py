import pytest

from parsers.text import read_text
from pipeline.errors import UnreadableDocument
from pipeline.run import parse_file
from pipeline.spec import SECTION_KEYS


def test_utf8_and_gb18030_read_the_same(tmp_path):
    text = "某某街道办事处2020年政府信息公开工作年度报告\n\n一、总体情况\n正文。\n"
    (tmp_path / "u.txt").write_text(text, encoding="utf-8")
    (tmp_path / "g.txt").write_bytes(text.encode("gb18030"))
    a, b = read_text(tmp_path / "u.txt"), read_text(tmp_path / "g.txt")
    assert [x.text for x in a.blocks] == [x.text for x in b.blocks] == [
        "某某街道办事处2020年政府信息公开工作年度报告", "一、总体情况", "正文。"]


def test_form_feeds_start_pages(tmp_path):
    (tmp_path / "p.txt").write_text("第一页\n\f第二页\n", encoding="utf-8")
    doc = read_text(tmp_path / "p.txt")
    assert [(b.text, b.page) for b in doc.blocks] == [("第一页", 1), ("第二页", 2)]
    assert doc.pages == 2


@pytest.mark.parametrize(("content", "reason"), [(b"", "empty"), (b"  \n\n", "empty"), (b"\x00\x01binary", "binary")])
def test_bad_text_files_are_refused_with_a_reason(tmp_path, content, reason):
    path = tmp_path / "bad.txt"
    path.write_bytes(content)
    with pytest.raises(UnreadableDocument, match=reason):
        read_text(path)


# --- tables kept as markup by other conversion tools --------------------------------------------

def _tables(path):
    from pipeline.model import TableBlock

    return [b.table for b in read_text(path).blocks if isinstance(b, TableBlock)]


def _cells(table):
    return {(c.row, c.col): (c.raw, c.row_span, c.col_span) for c in table.cells}


def test_a_markdown_pipe_table_is_a_table_cell_by_cell(tmp_path):
    # Wording and layout of a report converted to Markdown by another tool (宿迁市 2025, table 二).
    (tmp_path / "m.txt").write_text(
        "二、主动公开政府信息情况\n## 表二：主动公开政府信息情况\n"
        "| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
        "| 规章 | 3 | 0 | 15 |\n| 行政规范性文件 | 61 | 59 | 422 |\n三、收到和处理政府信息公开申请情况\n",
        encoding="utf-8")
    doc = read_text(tmp_path / "m.txt")
    (table,) = _tables(tmp_path / "m.txt")
    assert (table.n_rows, table.n_cols, table.method) == (3, 4, "text")
    assert [[c.raw for c in table.row_cells(r)] for r in range(3)] == [
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "3", "0", "15"],
        ["行政规范性文件", "61", "59", "422"]]
    assert (doc.blocks[1].text, doc.blocks[1].heading_level) == ("表二：主动公开政府信息情况", 2)
    assert doc.blocks[-1].text == "三、收到和处理政府信息公开申请情况"


def test_repeated_labels_are_one_merged_cell_and_equal_figures_stay_two(tmp_path):
    (tmp_path / "r.txt").write_text(
        "| 第二十条第（六）项 | 第二十条第（六）项 | 第二十条第（六）项 |\n|---|---|---|\n"
        "| 信息内容 | 本年处理决定数量 | 本年处理决定数量 |\n| 行政处罚 | 705 | 705 |\n", encoding="utf-8")
    (table,) = _tables(tmp_path / "r.txt")
    assert _cells(table) == {(0, 0): ("第二十条第（六）项", 1, 3), (1, 0): ("信息内容", 1, 1),
                             (1, 1): ("本年处理决定数量", 1, 2), (2, 0): ("行政处罚", 1, 1),
                             (2, 1): ("705", 1, 1), (2, 2): ("705", 1, 1)}


def test_merges_printed_once_with_blanks_after(tmp_path):
    # Table 四 as HTML-to-Markdown converters write it: a merged label once, blank positions after it.
    (tmp_path / "b.txt").write_text(
        "| 行政复议 |  |  | 行政诉讼 |  |  |\n|---|---|---|---|---|---|\n"
        "| 结果维持 | 尚未审结 | 总计 | 未经复议直接起诉 |  | 复议后起诉 |\n"
        "|  |  |  | 结果维持 | 总计 | 总计 |\n| 1 |  | 1 | 0 | 0 | 2 |\n", encoding="utf-8")
    (table,) = _tables(tmp_path / "b.txt")
    cells = _cells(table)
    assert [cells[k] for k in ((0, 0), (0, 3), (1, 0), (1, 2), (1, 3))] == [
        ("行政复议", 1, 3), ("行政诉讼", 1, 3), ("结果维持", 2, 1), ("总计", 2, 1), ("未经复议直接起诉", 1, 2)]
    assert [cells[(3, c)][0] for c in range(6)] == ["1", "", "1", "0", "0", "2"]  # a blank figure stays blank


def test_short_rows_under_a_row_spanning_label_are_placed(tmp_path):
    # As HTML-to-Markdown converters that ignore rowspan write table 三: rows under 三、本年度办理结果
    # and under 自然人 / 总计 (two header rows) lose those positions and come out short.
    (tmp_path / "s.txt").write_text(
        "| 本列数据 |  | 申请人情况 |  |  |  |\n|---|---|---|---|---|---|\n"
        "| 自然人 | 法人或其他组织 |  | 总计 |\n| 商业企业 | 其他 |\n"
        "| 三、本年度办理结果 | （一）予以公开 | 705 | 3 | 1 | 709 |\n| （二）部分公开 | 12 | 0 | 0 | 12 |\n",
        encoding="utf-8")
    (table,) = _tables(tmp_path / "s.txt")
    cells = _cells(table)
    assert [cells[k] for k in ((0, 0), (1, 2), (1, 3), (1, 5), (2, 3), (2, 4), (3, 0))] == [
        ("本列数据", 3, 2), ("自然人", 2, 1), ("法人或其他组织", 1, 2), ("总计", 2, 1), ("商业企业", 1, 1),
        ("其他", 1, 1), ("三、本年度办理结果", 2, 1)]
    assert [cells[(4, c)][0] for c in range(1, 6)] == ["（二）部分公开", "12", "0", "0", "12"]


def test_a_short_row_that_fits_no_placement_stays_as_printed(tmp_path):
    # A converter that drops a row's trailing blank: moving 规章 right would put it over figures.
    (tmp_path / "t.txt").write_text("| 信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n"
                                    "| 规章 | 3 | 0 |\n| 行政规范性文件 | 61 | 59 | 422 |\n", encoding="utf-8")
    (table,) = _tables(tmp_path / "t.txt")
    assert [(c.col, c.raw) for c in table.row_cells(1)] == [(0, "规章"), (1, "3"), (2, "0")]


def test_escaped_pipes_and_line_breaks_in_cells(tmp_path):
    (tmp_path / "e.txt").write_text("| 法人或其他组织<br>商业企业 | a\\|b |\n|:---|---:|\n| 1 | 2 |\n", encoding="utf-8")
    (table,) = _tables(tmp_path / "e.txt")
    assert [c.raw for c in table.row_cells(0)] == ["法人或其他组织\n商业企业", "a|b"]


def test_a_line_with_a_pipe_is_not_a_table_without_a_separator_row(tmp_path):
    (tmp_path / "p.txt").write_text("索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报\n正文。\n",
                                    encoding="utf-8")
    assert [b.text for b in read_text(tmp_path / "p.txt").blocks] == [
        "索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报", "正文。"]


def test_html_table_markup_inside_a_text_dump(tmp_path):
    (tmp_path / "h.txt").write_text(
        "三、收到和处理政府信息公开申请情况\n<table>\n<tr><td colspan=\"3\" rowspan=\"2\">本列数据</td>"
        "<td colspan=\"2\">申请人情况</td></tr>\n<tr><td>自然人</td><td>总计</td></tr>\n"
        "<tr><td colspan=\"3\">一、本年新收政府信息公开申请数量</td><td>705</td><td>&nbsp;</td></tr>\n</table>\n"
        "四、政府信息公开行政复议、行政诉讼情况\n", encoding="utf-8")
    doc = read_text(tmp_path / "h.txt")
    assert [type(b).__name__ for b in doc.blocks] == ["TextBlock", "TableBlock", "TextBlock"]
    table = doc.blocks[1].table
    assert table.method == "html"
    assert _cells(table)[(0, 0)] == ("本列数据", 2, 3)
    assert [c.text for c in table.row_cells(2)] == ["一、本年新收政府信息公开申请数量", "705", ""]


def test_markdown_bold_lines_lose_their_marks():
    from parsers.text import text_blocks

    (line,) = text_blocks("**五、存在的主要问题及整改措施**")
    assert (line.text, line.bold) == ("五、存在的主要问题及整改措施", True)


@pytest.mark.parametrize("level", ["pipe-repeat", "pipe-blank", "pipe-ragged", "html-tables"])
def test_a_markdown_dump_of_a_report_reads_every_cell(level, tmp_path):
    import json

    import robust
    import robust_text

    from pipeline.measure.evaluate import compare
    from pipeline.run import parse_file

    variant = next(v for v in robust_text.VARIANTS if v.axis == "text.markdown" and v.level == level)
    built = robust.build(tmp_path, robust.DEFAULT_SYNTHETIC, ["city-xiuzhou-2022-t2021"], [variant])
    (path,) = built.written
    truth = json.loads(path.with_name(path.name + ".truth.json").read_text(encoding="utf-8"))
    result = parse_file(path)
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) == 200
    records = result.records
    assert {(r.table, r.row, r.column): r.value for r in records}[("applications", "new_received", "total")] == 3310
    assert result.document["status"] == "ok"


def test_a_pandoc_multiline_table_by_display_columns(tmp_path):
    # pandoc -t markdown / plain: columns under dash runs, a CJK character two columns wide, rows apart,
    # a merged cell's text in its first column, "---" for a printed dash.
    (tmp_path / "m.txt").write_text(
        "  ------------------------------------------------------------\n"
        "  行政复议                       行政诉讼                  \n"
        "  ---------- ---------- ------ ------------------ ----------\n"
        "  结果维持   其他结果   总计   未经复议直接起诉            \n\n"
        "                               结果维持           总计\n\n"
        "  1          ---        2      1                  1\n"
        "  ------------------------------------------------------------\n", encoding="utf-8")
    (table,) = _tables(tmp_path / "m.txt")
    cells = _cells(table)
    assert table.method == "text"
    assert [cells[k] for k in ((0, 0), (0, 3), (1, 0), (1, 3), (2, 3))] == [
        ("行政复议", 1, 3), ("行政诉讼", 1, 2), ("结果维持", 2, 1), ("未经复议直接起诉", 1, 2), ("结果维持", 1, 1)]
    assert [cells[(3, c)][0] for c in range(5)] == ["1", "---", "2", "1", "1"]


def test_a_simple_table_under_dash_runs(tmp_path):
    (tmp_path / "s.txt").write_text("信息内容        本年制发件数\n--------------- ------------\n规章            3\n"
                                    "行政规范性文件  61\n\n正文。\n", encoding="utf-8")
    doc = read_text(tmp_path / "s.txt")
    table = doc.blocks[0].table
    assert [[c.raw for c in table.row_cells(r)] for r in range(3)] == [
        ["信息内容", "本年制发件数"], ["规章", "3"], ["行政规范性文件", "61"]]
    assert doc.blocks[1].text == "正文。"


# A report as a crawler saves a web page without its tags (平潭综合实验区 2024): the whole body on one line,
# headings run into the sentence or the figures before them, table cells run together without separators.
RUN_ON = (
    "本报告所列数据统计期限为2024年1月1日至2024年12月31日。一、总体情况 2024年，平潭综合实验区持续深化政务公开，"
    + "充分发挥以公开促落实、助监督、强监管的功能作用。" * 12
    + "二、主动公开政府信息情况第二十条第（一）项信息内容本年制发件数本年废止件数现行有效件数规章000"
    "行政规范性文件6233440三、收到和处理政府信息公开申请情况（本列数据的勾稽关系为：第一项加第二项之和，"
    "等于第三项加第四项之和）申请人情况自然人法人或其他组织总计商业企业科研机构社会公益组织法律服务机构其他"
    "一、本年新收政府信息公开申请数量21710000218二、上年结转政府信息公开申请数量0000000三、本年度办理结果"
    "（一）予以公开710000071（七）总计21710000218四、结转下年度继续办理0000000"
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
    "21317000001324019五、存在的主要问题及改进情况2024年，实验区政府信息公开工作取得了新进展新成果。"
    "六、其他需要报告的事项2024年，无收取信息处理费情况。"
)


def test_a_page_run_into_one_line_is_cut_where_its_headings_start(tmp_path):
    path = tmp_path / "page.txt"
    path.write_text("标题: 平潭综合实验区2024年度政府信息公开工作年度报告\n" + RUN_ON, encoding="utf-8")
    result = parse_file(path)
    assert [s.section for s in result.sections] == list(SECTION_KEYS)
    overview = next(s for s in result.sections if s.section == "overview")
    assert overview.heading == "一、总体情况"
    assert overview.text.startswith("一、总体情况 2024年，平潭综合实验区持续深化政务公开")
    # Figures run together cannot be cut into cells: no cell is claimed, blank or otherwise.
    assert [r for r in result.records if r.table in ("applications", "review_litigation")] == []
    assert result.document["status"] == "needs_review"
    assert "applications (表三 依申请公开): printed (its header 申请人情况" in result.document["error"]
    assert "review_litigation (表四 行政复议、行政诉讼): printed" in result.document["error"]


def test_a_markdown_file_is_read_as_a_text_dump(tmp_path):
    from parsers import detect_format

    path = tmp_path / "report.md"
    path.write_text("| 自然人 | 商业企业 |\n|---|---|\n| 5 | 2 |\n", encoding="utf-8")
    assert detect_format(path) == "txt"
    (table,) = [b.table for b in read_text(path).blocks]
    assert [c.raw for c in table.cells] == ["自然人", "商业企业", "5", "2"]
