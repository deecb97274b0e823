"""Tests for parsers.html: encodings, text blocks, table grids with spans, nested tables, bad input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from parsers.html import decode_html, read_html
from pipeline.errors import UnreadableDocument
from pipeline.model import Cell, Document, Table, TableBlock, TextBlock

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
ROOT = Path(__file__).resolve().parents[1]
SYNTHETIC = ROOT / "fixtures" / "synthetic"
SHANGHAI = CORPUS / "shanghai-office-2019.html"


# --- helpers ---------------------------------------------------------------------------------


def _tables(doc: Document) -> list[Table]:
    return [b.table for b in doc.blocks if isinstance(b, TableBlock)]


def _texts(doc: Document) -> list[TextBlock]:
    return [b for b in doc.blocks if isinstance(b, TextBlock)]


def _cell(table: Table, row: int, col: int) -> Cell:
    """Return the cell that starts at (row, col); fail when none does."""
    for cell in table.cells:
        if (cell.row, cell.col) == (row, col):
            return cell
    raise AssertionError(f"no cell starts at {row},{col}")


def _layout(table: Table) -> list[tuple[int, int, int, int, str]]:
    """Every cell as (row, col, row_span, col_span, text), in Table.cells order."""
    return [(c.row, c.col, c.row_span, c.col_span, c.text) for c in table.cells]


def _write(tmp_path: Path, html: str, encoding: str = "utf-8", name: str = "page.html") -> Path:
    path = tmp_path / name
    path.write_bytes(html.encode(encoding))
    return path


SMALL_PAGE = """<!DOCTYPE html>
<html><head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>不应出现的标题</title>
<style>p { color: red }</style>
<script>var s = "<p>脚本里的段落</p>";</script>
</head>
<body>
<h1>2020年某区政府信息公开工作年度报告</h1>
<p><strong>一、总体情况</strong></p>
<p>第一行<br>第二行</p>
<p>部分<b>加粗</b>文字
<div>未闭合段落之后的块</div>
<noscript><p>无脚本提示</p></noscript>
<ul><li>列表一<li>列表二</ul>
<p style="font-weight: bold">二、主动公开政府信息情况</p>
<table border="1">
  <tr><td rowspan="2" colspan="2">项目</td><td colspan="2">申请人情况</td></tr>
  <tr><td>自然人</td><td>总计</td></tr>
  <tr><td rowspan="2">三、本年度办理结果</td><td>（一）予以公开</td><td>１２</td><td>&nbsp;</td></tr>
  <tr><td>（二）部分<br/>公开</td><td>&nbsp;</td><td> 3 </td></tr>
</table>
<p>表后段落</p>
</body></html>
"""


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_html(_write(tmp_path_factory.mktemp("html"), SMALL_PAGE, encoding="gbk"))


# --- the small page --------------------------------------------------------------------------


def test_small_page_blocks_in_order(small: Document) -> None:
    kinds = [b.text if isinstance(b, TextBlock) else "<table>" for b in small.blocks]
    assert kinds == [
        "2020年某区政府信息公开工作年度报告",
        "一、总体情况",
        "第一行",  # <br> outside a table separates lines
        "第二行",
        "部分加粗文字",  # the unclosed <p> ends where the <div> starts
        "未闭合段落之后的块",
        "列表一",
        "列表二",
        "二、主动公开政府信息情况",
        "<table>",
        "表后段落",
    ]
    assert small.format == "html"
    assert small.pages is None
    assert all(b.page is None for b in small.blocks)


def test_small_page_bold_and_headings(small: Document) -> None:
    by_text = {b.text: b for b in _texts(small)}
    assert by_text["2020年某区政府信息公开工作年度报告"].heading_level == 1
    assert by_text["一、总体情况"].bold is True
    assert by_text["一、总体情况"].heading_level is None
    assert by_text["部分加粗文字"].bold is False  # only part of it is bold
    assert by_text["二、主动公开政府信息情况"].bold is True  # bold by inline style
    assert by_text["表后段落"].bold is False


def test_small_page_table_grid(small: Document) -> None:
    table = _tables(small)[0]
    assert (table.n_rows, table.n_cols) == (4, 4)
    assert _layout(table) == [
        (0, 0, 2, 2, "项目"),
        (0, 2, 1, 2, "申请人情况"),
        (1, 2, 1, 1, "自然人"),  # placed after the 2x2 cell above, as browsers place it
        (1, 3, 1, 1, "总计"),
        (2, 0, 2, 1, "三、本年度办理结果"),
        (2, 1, 1, 1, "(一)予以公开"),
        (2, 2, 1, 1, "12"),
        (2, 3, 1, 1, ""),
        (3, 1, 1, 1, "(二)部分 公开"),
        (3, 2, 1, 1, ""),
        (3, 3, 1, 1, "3"),
    ]


def test_small_page_cell_raw_values(small: Document) -> None:
    table = _tables(small)[0]
    assert _cell(table, 2, 2).raw == "１２"  # raw as printed; text normalized
    assert _cell(table, 2, 3).raw == "\xa0"  # &nbsp; is kept in raw, blank in text
    assert _cell(table, 3, 1).raw == "（二）部分\n公开"  # <br> in a cell is a line break
    assert _cell(table, 3, 3).raw == "3"


def test_ignored_content_never_appears(small: Document) -> None:
    everything = " ".join(
        b.text if isinstance(b, TextBlock) else " ".join(c.raw for c in b.table.cells) for b in small.blocks
    )
    for hidden in ("不应出现的标题", "脚本里的段落", "color", "无脚本提示"):
        assert hidden not in everything


def test_nested_table_is_emitted_after_outer_table(tmp_path: Path) -> None:
    page = """<table>
      <tr><td>外层</td><td><p>附表</p><table><tr><td>甲</td><td>乙</td></tr>
                                          <tr><td>1</td><td>2</td></tr></table><p>附注</p></td></tr>
      <tr><td colspan="2">外层末行</td></tr>
    </table><p>之后</p>"""
    doc = read_html(_write(tmp_path, page))
    assert [type(b).__name__ for b in doc.blocks] == ["TableBlock", "TableBlock", "TextBlock"]
    outer, inner = _tables(doc)
    assert _layout(outer) == [(0, 0, 1, 1, "外层"), (0, 1, 1, 1, "附表 附注"), (1, 0, 1, 2, "外层末行")]
    assert _cell(outer, 0, 1).raw == "附表\n附注"  # the nested table's text is not in the outer cell
    assert _layout(inner) == [(0, 0, 1, 1, "甲"), (0, 1, 1, 1, "乙"), (1, 0, 1, 1, "1"), (1, 1, 1, 1, "2")]


def test_unclosed_cells_rows_and_rowspan_past_the_end(tmp_path: Path) -> None:
    page = """<table>
      <caption>表一</caption>
      <tr><td rowspan="5">标签<td>a<td>b
      <tr><td>c<td>d
    </table>"""
    doc = read_html(_write(tmp_path, page))
    assert isinstance(doc.blocks[0], TextBlock)
    assert doc.blocks[0].text == "表一"  # a caption is running text before its table
    table = _tables(doc)[0]
    assert (table.n_rows, table.n_cols) == (2, 3)
    assert _layout(table) == [
        (0, 0, 2, 1, "标签"),  # rowspan 5 is cut at the last row
        (0, 1, 1, 1, "a"),
        (0, 2, 1, 1, "b"),
        (1, 1, 1, 1, "c"),
        (1, 2, 1, 1, "d"),
    ]


def test_misnested_bold_ends_where_its_end_tag_is(tmp_path: Path) -> None:
    doc = read_html(_write(tmp_path, "<b><p>一、总体情况</b></p><b><p>加粗</b>不加粗</p><p>正文</p>"))
    assert [(b.text, b.bold) for b in doc.blocks] == [("一、总体情况", True), ("加粗不加粗", False), ("正文", False)]


def test_table_cells_outside_a_table_are_plain_text(tmp_path: Path) -> None:
    doc = read_html(_write(tmp_path, "<p>前</p><td>游离单元格</td><p>后</p>"))
    assert doc.blocks == (TextBlock("前"), TextBlock("游离单元格"), TextBlock("后"))


def test_whitespace_is_folded_but_no_break_spaces_are_text(tmp_path: Path) -> None:
    doc = read_html(_write(tmp_path, "<p>  一、\n   总体\t情况  </p><p>&nbsp;</p><p>\u3000</p>"))
    assert doc.blocks == (TextBlock("一、 总体 情况"),)


def test_preformatted_text_keeps_its_lines(tmp_path: Path) -> None:
    doc = read_html(_write(tmp_path, "<pre>一、总体情况\n  正文第一行\n\n二、主动公开</pre>"))
    assert [b.text for b in doc.blocks] == ["一、总体情况", "正文第一行", "二、主动公开"]


# --- encodings -------------------------------------------------------------------------------


def test_meta_charset_gbk_is_read_as_gb18030() -> None:
    text, encoding, warnings = decode_html('<meta charset="GBK"><p>政府信息公开</p>'.encode("gbk"))
    assert (encoding, warnings) == ("gb18030", [])
    assert "政府信息公开" in text


def test_bom_wins_over_a_wrong_declaration() -> None:
    data = "\ufeff<meta charset=gbk><p>年度报告</p>".encode()
    text, encoding, _ = decode_html(data)
    assert encoding == "utf-8"
    assert text.startswith("<meta")


def test_utf16_with_bom() -> None:
    text, encoding, _ = decode_html("<p>申请</p>".encode("utf-16"))
    assert encoding.startswith("utf-16")
    assert text == "<p>申请</p>"


def test_undeclared_page_tries_utf8_then_gb18030() -> None:
    assert decode_html("<p>依申请公开</p>".encode())[1] == "utf-8"
    assert decode_html("<p>依申请公开</p>".encode("gb18030"))[1] == "gb18030"


def test_wrong_declaration_is_overridden_with_a_warning(tmp_path: Path) -> None:
    path = _write(tmp_path, '<meta charset="utf-8"><p>行政复议</p>', encoding="gbk")
    doc = read_html(path)
    assert doc.blocks == (TextBlock("行政复议"),)
    assert doc.warnings == ("declared charset utf-8 does not match the bytes; decoded as gb18030",)


def test_western_declaration_on_a_chinese_page(tmp_path: Path) -> None:
    path = _write(tmp_path, '<meta charset="iso-8859-1"><p>行政诉讼</p>', encoding="gb18030")
    assert read_html(path).blocks == (TextBlock("行政诉讼"),)


# --- bad input -------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.html"
    path.write_bytes(b"")
    with pytest.raises(UnreadableDocument, match="empty"):
        read_html(path)


def test_binary_file(tmp_path: Path) -> None:
    path = tmp_path / "image.html"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(UnreadableDocument, match="binary"):
        read_html(path)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(UnreadableDocument, match="cannot read"):
        read_html(tmp_path / "absent.html")


# --- the real Shanghai page ------------------------------------------------------------------


@pytest.fixture(scope="module")
def shanghai() -> Document:
    if not SHANGHAI.is_file():
        pytest.skip(f"shared corpus not present at {CORPUS}")
    return read_html(SHANGHAI)


def test_shanghai_text_blocks(shanghai: Document) -> None:
    texts = _texts(shanghai)
    assert texts[0] == TextBlock("2019年上海市人民政府办公厅政府信息公开工作年度报告", bold=True)
    assert texts[1].text == "发布日期：2020-01-31"
    headings = [b.text for b in texts if b.text[:2] in {"一、", "二、", "三、", "四、", "五、", "六、"}]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",  # after a leading <br> in its <p>
        "五、政府信息公开工作存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert texts[-1].text == "无。"
    assert shanghai.warnings == ()


def test_shanghai_tables_follow_their_headings(shanghai: Document) -> None:
    previous = None
    before: list[str | None] = []
    for block in shanghai.blocks:
        if isinstance(block, TableBlock):
            before.append(previous)
        else:
            previous = block.text
    assert before == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_shanghai_active_disclosure_table(shanghai: Document) -> None:
    table = _tables(shanghai)[0]
    assert (table.n_rows, table.n_cols) == (18, 5)
    assert table.row_cells(0) == [
        Cell(raw="第二十条第（一）项", text="第二十条第(一)项", row=0, col=0, row_span=1, col_span=5)
    ]
    assert [(c.col, c.col_span, c.raw) for c in table.row_cells(1)] == [
        (0, 1, "信息内容"),
        (1, 1, "本年新\n制作数量"),
        (2, 2, "本年新\n公开数量"),
        (4, 1, "对外公开总数量"),
    ]
    assert [(c.col, c.text) for c in table.row_cells(2)] == [(0, "规章"), (1, "13"), (2, "13"), (4, "524")]
    # 20.5 rows put the two-column span on the first value instead.
    assert [(c.col, c.col_span, c.text) for c in table.row_cells(6)] == [
        (0, 1, "行政许可"),
        (1, 2, "0"),
        (3, 1, "0"),
        (4, 1, "0"),
    ]
    assert [(c.col, c.col_span, c.raw) for c in table.row_cells(17)] == [
        (0, 1, "政府集中采购"),
        (1, 2, "6"),
        (3, 2, "251000元"),
    ]


def test_shanghai_applications_table(shanghai: Document) -> None:
    table = _tables(shanghai)[1]
    assert (table.n_rows, table.n_cols) == (26, 10)
    corner = _cell(table, 0, 0)
    assert (corner.row_span, corner.col_span) == (3, 3)
    assert (_cell(table, 0, 3).text, _cell(table, 0, 3).col_span) == ("申请人情况", 7)
    assert (_cell(table, 1, 3).text, _cell(table, 1, 3).row_span) == ("自然人", 2)
    assert (_cell(table, 1, 9).text, _cell(table, 1, 9).row_span) == ("总计", 2)
    assert [c.text for c in table.row_cells(2)] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]

    new_received = table.row_cells(3)
    assert (new_received[0].raw, new_received[0].col_span) == ("一、本年新收政府信息公开申请数量", 3)
    assert [c.text for c in new_received[1:]] == ["821", "35", "", "", "2", "1", "859"]
    assert [c.raw for c in new_received[3:5]] == ["\xa0", "\xa0"]  # zeros published as &nbsp;

    outcome = [c for c in table.cells if c.text == "三、本年度办理结果"]
    assert len(outcome) == 1
    assert (outcome[0].row, outcome[0].col, outcome[0].row_span) == (5, 0, 20)
    denied = _cell(table, 7, 1)
    assert (denied.text, denied.row_span) == ("(三)不予公开", 8)
    assert [c.text for c in table.row_cells(8)][:2] == ["2.其他法律行政法规禁止公开", ""]
    total = table.row_cells(24)
    assert (total[0].col, total[0].col_span, total[0].raw) == (1, 2, "（七）总计")
    assert [c.text for c in total[1:]] == ["767", "35", "", "", "2", "1", "805"]
    carried = table.row_cells(25)
    assert (carried[0].raw, [c.text for c in carried[1:]]) == (
        "四、结转下年度继续办理",
        ["72", "", "", "", "", "", "72"],
    )
    assert all(pos is not None for row in table.grid() for pos in row)
    assert sum(c.row_span * c.col_span for c in table.cells) == 26 * 10


def test_shanghai_review_litigation_table(shanghai: Document) -> None:
    table = _tables(shanghai)[2]
    assert (table.n_rows, table.n_cols) == (4, 15)
    assert [(c.col, c.col_span, c.text) for c in table.row_cells(0)] == [(0, 5, "行政复议"), (5, 10, "行政诉讼")]
    assert [(c.col, c.row_span) for c in table.row_cells(1)][:5] == [(0, 2), (1, 2), (2, 2), (3, 2), (4, 2)]
    assert [c.text for c in table.row_cells(3)] == ["5", "", "", "2", "7", "8", "", "", "1", "9", "", "", "", "", ""]


# --- page chrome: the report inside a portal page ----------------------------------------

PORTAL_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>年报</title></head><body>
<div class="header"><ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/ndbg/">年度报告</a></div>
<div class="main"><div class="article">
<h1>某县2023年政府信息公开工作年度报告</h1>
<div class="info">发布时间：2024-01-20 来源：某县人民政府</div>
<div id="zoom" class="TRS_Editor">
<p>根据《中华人民共和国政府信息公开条例》规定，现公布本年度报告，统计期限自2023年1月1日起至12月31日止。</p>
<p>一、总体情况</p><p>全年主动公开政府信息一千二百条，依申请公开工作依法有序开展，答复及时规范。</p>
<table><tr><td>信息内容</td><td>本年制发件数</td></tr><tr><td>规章</td><td>&nbsp;</td></tr></table>
<p>六、其他需要报告的事项</p><p>无其他需要报告的事项。</p>
</div>
<p>上一篇：<a href="/a.html">某县2022年政府信息公开工作年度报告</a></p>
<p>【打印本页】 【关闭窗口】</p>
</div>
<div class="side"><h3>相关文章</h3><ul><li><a href="/b.html">某县2021年政府信息公开工作年度报告</a></li></ul></div></div>
<div class="footer"><p>版权所有：某县人民政府 主办：某县人民政府办公室</p><p>备案号：某ICP备00000000号</p></div>
</body></html>"""


def _lines(doc: Document) -> list[str]:
    return [b.text if isinstance(b, TextBlock) else "<table>" for b in doc.blocks]


def test_portal_chrome_is_left_out_and_the_title_kept(tmp_path: Path) -> None:
    doc = read_html(_write(tmp_path, PORTAL_PAGE))
    assert _lines(doc) == [
        "某县2023年政府信息公开工作年度报告",  # the title above the content container comes along
        "根据《中华人民共和国政府信息公开条例》规定，现公布本年度报告，统计期限自2023年1月1日起至12月31日止。",
        "一、总体情况",
        "全年主动公开政府信息一千二百条，依申请公开工作依法有序开展，答复及时规范。",
        "<table>",
        "六、其他需要报告的事项",
        "无其他需要报告的事项。",
    ]
    assert _layout(_tables(doc)[0]) == [(0, 0, 1, 1, "信息内容"), (0, 1, 1, 1, "本年制发件数"),
                                        (1, 0, 1, 1, "规章"), (1, 1, 1, 1, "")]
    # menu (2), breadcrumb, publication line, 上一篇, print/close, sidebar (2), footer (2)
    assert doc.warnings == ("page chrome left out: 10 blocks outside the content of <div zoom TRS_Editor>",)


def test_a_page_without_chrome_is_kept_whole(tmp_path: Path) -> None:
    page = "<html><body><p>甲单位2023年政府信息公开工作年度报告</p><p>一、总体情况</p><p>正文。</p></body></html>"
    doc = read_html(_write(tmp_path, page))
    assert _lines(doc) == ["甲单位2023年政府信息公开工作年度报告", "一、总体情况", "正文。"]
    assert doc.warnings == ()


def test_page_furniture_is_dropped_even_when_the_whole_page_is_kept(tmp_path: Path) -> None:
    page = "<p>报告正文第一段。</p><p>报告正文第二段。</p><p>下一篇：乙单位年报</p><p>Copyright © 2024</p>"
    doc = read_html(_write(tmp_path, page))
    assert _lines(doc) == ["报告正文第一段。", "报告正文第二段。"]
    assert doc.warnings == ("page chrome left out: 2 lines of page furniture",)


def test_a_wrapper_around_one_big_table_is_not_taken_for_the_report(tmp_path: Path) -> None:
    cells = "".join(f"<tr><td>第{i}行标签文字较长</td><td>{i}</td></tr>" for i in range(40))
    page = (f"<body><p>一、总体情况</p><p>简短正文。</p><div class='wrap'><table>{cells}</table></div>"
            "<p>六、其他需要报告的事项</p></body>")
    doc = read_html(_write(tmp_path, page))
    assert _lines(doc) == ["一、总体情况", "简短正文。", "<table>", "六、其他需要报告的事项"]


# --- the generated portal pages (fixtures/formats) -----------------------------------------

FORMATS = Path(__file__).resolve().parents[1] / "fixtures" / "formats"


def test_gbk_portal_page_reads_its_tables_cell_by_cell() -> None:
    doc = read_html(FORMATS / "district-xiuzhou-hongxi-2023-mixed-gbk.html")
    assert doc.warnings[0].startswith("page chrome left out: ")
    texts = _lines(doc)
    assert texts[0] == "岫州市泓溪区人民政府2023年政府信息公开工作年度报告"
    assert not any("上一篇" in t or "版权所有" in t or "相关文章" in t for t in texts)
    applications = next(t for t in _tables(doc) if t.n_cols == 10)
    spanning = [(c.text, c.row_span, c.col_span) for c in applications.cells if c.col == 0 and c.row_span > 1]
    assert spanning == [("(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)", 3, 3),
                        ("三、本年度办理结果", 20, 1)]
    truth = json.loads((FORMATS / "district-xiuzhou-hongxi-2023-mixed-gbk.html.truth.json").read_text("utf-8"))
    printed = truth["applications"]["new_received"]
    row = [c.text for c in applications.row_cells(3)]
    assert row[0] == "一、本年新收政府信息公开申请数量"
    assert [float(v) if v else None for v in row[1:]] == [printed[k] for k in (
        "natural_person", "commercial_enterprise", "research_institution", "social_welfare_org",
        "legal_service_org", "other_org", "total")]


def test_utf8_portal_page_keeps_blank_cells_blank() -> None:
    doc = read_html(FORMATS / "province-lanjiang-office-2019-t2019.html")
    applications = next(t for t in _tables(doc) if t.n_cols == 10)
    blanks = [c for c in applications.cells if c.raw == "\xa0"]
    assert blanks
    assert all(c.text == "" for c in blanks)


# --- single-file web archives (.mht) --------------------------------------------------------


def _mht(html_bytes: bytes, header_charset: str, encoding: str = "quoted-printable") -> bytes:
    import base64
    import quopri

    body = quopri.encodestring(html_bytes) if encoding == "quoted-printable" else base64.encodebytes(html_bytes)
    return (b"From: <Saved by Windows Internet Explorer>\r\nMIME-Version: 1.0\r\n"
            b'Content-Type: multipart/related; type="text/html"; boundary="XYZ"\r\n\r\n'
            b"--XYZ\r\nContent-Type: text/html; charset=\"" + header_charset.encode() + b"\"\r\n"
            b"Content-Transfer-Encoding: " + encoding.encode() + b"\r\n\r\n" + body + b"\r\n"
            b"--XYZ\r\nContent-Type: image/gif\r\nContent-Transfer-Encoding: base64\r\n\r\nR0lGODlhAQABAAAAACw=\r\n"
            b"--XYZ--\r\n")


@pytest.mark.parametrize("transfer", ["quoted-printable", "base64"])
def test_mht_html_part_is_decoded_with_its_charset(tmp_path: Path, transfer: str) -> None:
    from parsers import detect_format, read

    page = "<html><body><p>二、主动公开政府信息情况</p><table><tr><td>规章</td><td>５</td></tr></table></body></html>"
    path = tmp_path / "report.mht"
    path.write_bytes(_mht(page.encode("gbk"), "gb2312", transfer))
    assert detect_format(path) == "mht"
    doc = read(path)
    assert doc.format == "mht"
    assert doc.source_path == str(path)
    assert _lines(doc) == ["二、主动公开政府信息情况", "<table>"]
    assert _layout(_tables(doc)[0]) == [(0, 0, 1, 1, "规章"), (0, 1, 1, 1, "5")]


def test_mht_without_an_html_part_is_unreadable(tmp_path: Path) -> None:
    from parsers.mht import read_mht

    path = tmp_path / "pictures.mht"
    path.write_bytes(b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"\r\n\r\n'
                     b"--B\r\nContent-Type: image/png\r\n\r\nxx\r\n--B--\r\n")
    with pytest.raises(UnreadableDocument, match="without an HTML part"):
        read_mht(path)


def test_generated_mht_fixture_reads_like_its_page() -> None:
    from parsers.mht import read_mht

    doc = read_mht(FORMATS / "town-qingyu-liuwan-2022-t2021.mht")
    assert _lines(doc)[0] == "青屿县柳湾镇人民政府2022年政府信息公开工作年度报告"
    assert len(_tables(doc)) == 6  # table 二 split into four 第二十条 tables, then 三 and 四


# --- pictures of tables ---------------------------------------------------------------------------


def _png(width: int = 400, height: int = 120) -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def pictured(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """Stand in for OCR: every picture read becomes a line naming its size; the sizes are recorded."""
    from parsers import pictures

    seen: list[tuple[int, int]] = []

    def read(picture, shown_inches=None, page=None, whole=False):
        seen.append(picture.size)
        return [TextBlock(f"picture {picture.width}x{picture.height}{' whole' if whole else ''}", page=page)], []

    monkeypatch.setattr(pictures, "read_table_picture", read)
    return seen


def test_img_beside_the_page_and_data_uri_are_read_in_their_place(tmp_path: Path, pictured: list) -> None:
    import base64

    (tmp_path / "page_files").mkdir()
    (tmp_path / "page_files" / "t3.png").write_bytes(_png(400, 120))
    (tmp_path.parent / "outside.png").write_bytes(_png(500, 120))
    inline = "data:image/png;base64," + base64.b64encode(_png(600, 120)).decode()
    page = ("<html><body><p>三、收到和处理政府信息公开申请情况</p><p><img src='page_files/t3.png'></p>"
            f"<p>四、行政复议</p><img src='{inline}'><img src='../outside.png'>"
            "<img src='http://example.org/t.png'><img src='page_files/missing.png'><p>五、存在的问题</p></body></html>")
    doc = read_html(_write(tmp_path, page))
    # (A page whose own text is this scant asks for its pictures read as pages: each decides by its size.)
    assert [b.text for b in doc.blocks] == ["三、收到和处理政府信息公开申请情况", "picture 400x120 whole", "四、行政复议",
                                            "picture 600x120 whole", "五、存在的问题"]
    assert pictured == [(400, 120), (600, 120)]  # a path out of the page's folder and a remote one are never read


def test_mht_pictures_are_found_by_address_and_content_id(tmp_path: Path, pictured: list) -> None:
    import base64

    from parsers.mht import read_mht

    page = ("<html><body><p>三、收到和处理申请情况</p><img src='images/t3.png'><p>四、复议</p>"
            "<img src='cid:pic2@x'></body></html>")

    def part(headers: str, data: bytes) -> bytes:
        return (f"--B\r\n{headers}Content-Transfer-Encoding: base64\r\n\r\n".encode()
                + base64.encodebytes(data).replace(b"\n", b"\r\n") + b"\r\n")

    mht = (b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="B"; type="text/html"\r\n\r\n'
           + part("Content-Type: text/html; charset=utf-8\r\nContent-Location: http://gov.example/zwgk/report.html\r\n",
                  page.encode())
           + part("Content-Type: image/png\r\nContent-Location: http://gov.example/zwgk/images/t3.png\r\n", _png(450, 100))
           + part("Content-Type: image/png\r\nContent-ID: <pic2@x>\r\n", _png(350, 100)) + b"--B--\r\n")
    path = tmp_path / "report.mht"
    path.write_bytes(mht)
    doc = read_mht(path)
    assert [b.text for b in doc.blocks] == ["三、收到和处理申请情况", "picture 450x100 whole", "四、复议",
                                            "picture 350x100 whole"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_portal_page_with_table_three_as_a_data_uri_picture_every_cell_right(tmp_path: Path) -> None:
    import robust_searchable

    from pipeline.measure.evaluate import compare
    from pipeline.run import parse_file

    source = SYNTHETIC / "city-xiuzhou-2022-t2021"
    out = tmp_path / "picture.html"
    robust_searchable._html_with_picture(source, out, data_uri=True)
    result = parse_file(out)
    methods = [b.table.method for b in result.parsed.blocks if isinstance(b, TableBlock)]
    assert methods.count("ocr") == 1
    assert "html" in methods
    three = next(b.table for b in result.parsed.blocks if isinstance(b, TableBlock) and b.table.method == "ocr")
    assert all(c.ocr_confidence is not None and c.page is None for c in three.cells)
    truth = json.loads(source.with_suffix(".docx.truth.json").read_text(encoding="utf-8"))
    score = compare(result, truth)
    assert score.misses == []
    assert sum(score.exact.values()) == sum(score.total.values()) >= 190
    assert result.document["status"] == "ok"


_REPORT_BODY = ("<body><div class='content'><p>某某县人民政府2024年政府信息公开工作年度报告</p>"
                "<p>本报告所列数据统计期限为2024年1月1日至2024年12月31日。</p><p>一、总体情况</p></div></body>")


@pytest.mark.parametrize(("head", "expected"), [
    ('<meta name="PubDate" content="2025-02-03 09:30">', "2025-02-03"),  # government CMS pages
    ('<meta property="article:published_time" content="2025-01-20T10:00:00+08:00">', "2025-01-20"),
    ("", None),  # the statistics period printed in the text is no publication date
])
def test_a_page_gives_the_publication_date_its_markup_states(tmp_path, head, expected):
    page = tmp_path / "report.html"
    page.write_text(f"<html><head><meta charset='utf-8'>{head}</head>{_REPORT_BODY}</html>", encoding="utf-8")
    assert read_html(page).published == expected
