"""Tests for parsers.docx: body order, merged cells, nested tables, headings, pages and bad input."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml

from parsers.docx import read_docx
from pipeline.errors import UnreadableDocument
from pipeline.model import Cell, Document, Table, TableBlock, TextBlock

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
TEMPLATE = CORPUS / "template-2021-blank.docx"

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


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


def _append_body_xml(document: docx.document.Document, xml: str) -> None:
    """Append a raw WordprocessingML element to the body, before the final section properties."""
    document.element.body.insert(len(document.element.body) - 1, parse_xml(xml))


def _save(document: docx.document.Document, path: Path) -> Path:
    document.save(str(path))
    return path


def _bold_paragraph(document: docx.document.Document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def _build_report(path: Path) -> Path:
    """A small report: headings, a merged header table, the applications layout, a nested table."""
    d = docx.Document()
    _bold_paragraph(d, "2023年某局政府信息公开工作年度报告")
    d.add_heading("一、总体情况", level=1)
    d.add_paragraph("本年度工作情况如下。")
    _bold_paragraph(d, "二、主动公开政府信息情况")

    active = d.add_table(rows=3, cols=4)
    active.cell(0, 0).merge(active.cell(0, 3)).text = "第二十条第（一）项"
    for col, label in enumerate(["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]):
        active.cell(1, col).text = label
    for col, value in enumerate(["规章", "1", "", "５"]):
        active.cell(2, col).text = value

    _bold_paragraph(d, "三、收到和处理政府信息公开申请情况")
    apps = d.add_table(rows=6, cols=4)
    apps.cell(0, 0).merge(apps.cell(1, 1)).text = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    apps.cell(0, 2).merge(apps.cell(0, 3)).text = "申请人情况"
    apps.cell(1, 2).text = "自然人"
    apps.cell(1, 3).text = "总计"
    apps.cell(2, 0).merge(apps.cell(4, 0)).text = "三、本年度办理结果"
    for row, (label, value) in enumerate(
        [("（一）予以公开", "7"), ("（二）部分公开", "0"), ("（七）总计", "7")], start=2
    ):
        apps.cell(row, 1).text = label
        apps.cell(row, 2).text = value
        apps.cell(row, 3).text = value
    apps.cell(5, 0).merge(apps.cell(5, 1)).text = "四、结转下年度继续办理"
    apps.cell(5, 2).text = "1"
    apps.cell(5, 3).text = "1"

    mixed = d.add_paragraph()
    mixed.add_run("说明：").bold = True
    mixed.add_run("部分加粗")

    outer = d.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "外层"
    holder = outer.cell(0, 1)
    holder.text = "附表"
    inner = holder.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "甲", (0, 1): "乙", (1, 0): "1", (1, 1): "2"}.items():
        inner.cell(r, c).text = value

    _bold_paragraph(d, "六、其他需要报告的事项")
    return _save(d, path)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Document:
    return read_docx(_build_report(tmp_path_factory.mktemp("docx") / "report.docx"))


# --- body order and text ---------------------------------------------------------------------


def test_blocks_follow_body_order(report: Document) -> None:
    kinds = [b.text if isinstance(b, TextBlock) else f"table {b.table.n_rows}x{b.table.n_cols}" for b in report.blocks]
    assert kinds == [
        "2023年某局政府信息公开工作年度报告",
        "一、总体情况",
        "本年度工作情况如下。",
        "二、主动公开政府信息情况",
        "table 3x4",
        "三、收到和处理政府信息公开申请情况",
        "table 6x4",
        "说明：部分加粗",
        "table 1x2",  # the outer table …
        "table 2x2",  # … immediately followed by the table nested in it
        "六、其他需要报告的事项",
    ]


def test_document_metadata(report: Document, tmp_path: Path) -> None:
    assert report.format == "docx"
    assert report.source_path.endswith("report.docx")
    assert report.pages is None  # no page marks at all: no page numbers are invented
    assert all(b.page is None for b in report.blocks)
    assert report.warnings == ()


def test_bold_and_heading_levels(report: Document) -> None:
    by_text = {b.text: b for b in _texts(report)}
    assert by_text["2023年某局政府信息公开工作年度报告"].bold is True
    assert by_text["2023年某局政府信息公开工作年度报告"].heading_level is None
    assert by_text["一、总体情况"].heading_level == 1
    assert by_text["二、主动公开政府信息情况"].bold is True
    assert by_text["本年度工作情况如下。"].bold is False
    assert by_text["说明：部分加粗"].bold is False  # one run is not bold
    assert by_text["六、其他需要报告的事项"].bold is True


def test_empty_paragraphs_are_skipped(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("")
    d.add_paragraph("\u3000 ")
    d.add_paragraph("正文")
    doc = read_docx(_save(d, tmp_path / "empty.docx"))
    assert [b.text for b in doc.blocks] == ["正文"]


def test_line_breaks_and_tabs_are_kept_in_text_blocks(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph("第一行")
    p.add_run().add_break()
    p.add_run("第二行\t尾")
    doc = read_docx(_save(d, tmp_path / "breaks.docx"))
    assert doc.blocks == (TextBlock(text="第一行\n第二行\t尾"),)


def test_bold_from_paragraph_style_and_run_override(tmp_path: Path) -> None:
    d = docx.Document()
    style = d.styles.add_style("加粗段落", WD_STYLE_TYPE.PARAGRAPH)
    style.font.bold = True
    d.add_paragraph("一、总体情况", style="加粗段落")
    p = d.add_paragraph(style="加粗段落")
    p.add_run("二、")
    p.add_run("不加粗").bold = False
    doc = read_docx(_save(d, tmp_path / "styles.docx"))
    assert [(b.text, b.bold) for b in _texts(doc)] == [("一、总体情况", True), ("二、不加粗", False)]


def test_blank_runs_do_not_decide_bold(tmp_path: Path) -> None:
    d = docx.Document()
    p = d.add_paragraph()
    p.add_run("  ")  # not bold, but blank
    p.add_run("三、收到和处理政府信息公开申请情况").bold = True
    doc = read_docx(_save(d, tmp_path / "blank-run.docx"))
    assert _texts(doc)[0].bold is True


def test_heading_level_from_outline_level_and_chinese_style_name(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    ppr = d.paragraphs[-1]._p.get_or_add_pPr()
    ppr.append(parse_xml(f'<w:outlineLvl {W_NS} w:val="1"/>'))
    d.styles.add_style("标题 3", WD_STYLE_TYPE.PARAGRAPH)
    d.add_paragraph("（一）主要问题", style="标题 3")
    body_text = d.add_paragraph("正文")
    body_text._p.get_or_add_pPr().append(parse_xml(f'<w:outlineLvl {W_NS} w:val="9"/>'))
    doc = read_docx(_save(d, tmp_path / "outline.docx"))
    assert [(b.text, b.heading_level) for b in _texts(doc)] == [
        ("四、政府信息公开行政复议、行政诉讼情况", 2),
        ("（一）主要问题", 3),
        ("正文", None),  # outline level 9 is body text
    ]


def test_tracked_deletions_hidden_text_and_field_codes_are_not_text(tmp_path: Path) -> None:
    d = docx.Document()
    _append_body_xml(
        d,
        f"""<w:p {W_NS}>
              <w:r><w:t>保留</w:t></w:r>
              <w:del w:id="1" w:author="x"><w:r><w:delText>删除</w:delText></w:r></w:del>
              <w:ins w:id="2" w:author="x"><w:r><w:t>插入</w:t></w:r></w:ins>
              <w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>
              <w:r><w:fldChar w:fldCharType="begin"/></w:r>
              <w:r><w:instrText> PAGE </w:instrText></w:r>
              <w:r><w:fldChar w:fldCharType="separate"/></w:r>
              <w:r><w:t>3</w:t></w:r>
              <w:r><w:fldChar w:fldCharType="end"/></w:r>
            </w:p>""",
    )
    doc = read_docx(_save(d, tmp_path / "revisions.docx"))
    assert [b.text for b in doc.blocks] == ["保留插入3"]


def test_content_controls_are_read_in_place(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("前")
    _append_body_xml(
        d,
        f"""<w:sdt {W_NS}><w:sdtPr><w:alias w:val="x"/></w:sdtPr><w:sdtContent>
              <w:p><w:r><w:t>控件内段落</w:t></w:r></w:p>
              <w:tbl><w:tr><w:tc><w:p><w:r><w:t>控件内表格</w:t></w:r></w:p></w:tc></w:tr></w:tbl>
            </w:sdtContent></w:sdt>""",
    )
    d.add_paragraph("后")
    doc = read_docx(_save(d, tmp_path / "sdt.docx"))
    assert [b.text if isinstance(b, TextBlock) else b.table.cells[0].raw for b in doc.blocks] == [
        "前",
        "控件内段落",
        "控件内表格",
        "后",
    ]


def test_text_box_is_read_once_after_its_paragraph(tmp_path: Path) -> None:
    box = "<w:txbxContent><w:p><w:r><w:t>文本框内容</w:t></w:r></w:p></w:txbxContent>"
    d = docx.Document()
    _append_body_xml(
        d,
        f"""<w:p {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"
                 xmlns:v="urn:schemas-microsoft-com:vml">
              <w:r><w:t>锚点段落</w:t></w:r>
              <w:r><mc:AlternateContent>
                <mc:Choice Requires="wps"><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Choice>
                <mc:Fallback><w:pict><v:shape><v:textbox>{box}</v:textbox></v:shape></w:pict></mc:Fallback>
              </mc:AlternateContent></w:r>
            </w:p>""",
    )
    d.add_paragraph("下一段")
    doc = read_docx(_save(d, tmp_path / "textbox.docx"))
    assert [b.text for b in doc.blocks] == ["锚点段落", "文本框内容", "下一段"]


# --- tables ----------------------------------------------------------------------------------


def test_horizontally_merged_header_appears_once(report: Document) -> None:
    active = _tables(report)[0]
    assert (active.n_rows, active.n_cols) == (3, 4)
    assert _layout(active) == [
        (0, 0, 1, 4, "第二十条第(一)项"),
        (1, 0, 1, 1, "信息内容"),
        (1, 1, 1, 1, "本年制发件数"),
        (1, 2, 1, 1, "本年废止件数"),
        (1, 3, 1, 1, "现行有效件数"),
        (2, 0, 1, 1, "规章"),
        (2, 1, 1, 1, "1"),
        (2, 2, 1, 1, ""),
        (2, 3, 1, 1, "5"),
    ]
    # raw is as printed (full-width digit, full-width brackets); text is normalized.
    assert _cell(active, 2, 3).raw == "５"
    assert _cell(active, 0, 0).raw == "第二十条第（一）项"


def test_vertical_merge_and_grid_span_with_vertical_merge(report: Document) -> None:
    apps = _tables(report)[1]
    assert (apps.n_rows, apps.n_cols) == (6, 4)
    corner = _cell(apps, 0, 0)
    assert (corner.row_span, corner.col_span) == (2, 2)  # gridSpan and vMerge together
    assert corner.raw == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (_cell(apps, 0, 2).col_span, _cell(apps, 0, 2).text) == (2, "申请人情况")
    label = _cell(apps, 2, 0)
    assert (label.row_span, label.col_span, label.raw) == (3, 1, "三、本年度办理结果")
    assert [c.raw for c in apps.cells].count("三、本年度办理结果") == 1
    assert [(c.row, c.col, c.raw) for c in apps.row_cells(3)] == [(3, 1, "（二）部分公开"), (3, 2, "0"), (3, 3, "0")]
    carried = _cell(apps, 5, 0)
    assert (carried.row_span, carried.col_span, carried.raw) == (1, 2, "四、结转下年度继续办理")
    # Every grid position is covered by exactly the cell that the layout says.
    grid = apps.grid()
    assert grid[4][0] is label
    assert grid[1][1] is corner
    assert all(pos is not None for row in grid for pos in row)
    assert len(apps.cells) == 2 + 2 + 4 + 3 + 3 + 3


def test_nested_table_follows_outer_table_and_is_not_in_outer_raw(report: Document) -> None:
    outer, inner = _tables(report)[2:4]
    assert _layout(outer) == [(0, 0, 1, 1, "外层"), (0, 1, 1, 1, "附表")]
    assert _cell(outer, 0, 1).raw == "附表"  # Word's paragraph after the nested table adds no blank line
    assert _layout(inner) == [(0, 0, 1, 1, "甲"), (0, 1, 1, 1, "乙"), (1, 0, 1, 1, "1"), (1, 1, 1, 1, "2")]


def test_cell_raw_joins_paragraphs_and_text_folds_them(tmp_path: Path) -> None:
    d = docx.Document()
    cell = d.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "商业"
    cell.add_paragraph("企业")
    cell.add_paragraph("")
    doc = read_docx(_save(d, tmp_path / "cell.docx"))
    only = _tables(doc)[0].cells[0]
    assert (only.raw, only.text) == ("商业\n企业", "商业 企业")


def test_single_cell_layout_box_is_still_a_table(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_table(rows=1, cols=1).cell(0, 0).text = "一、总体情况"
    doc = read_docx(_save(d, tmp_path / "box.docx"))
    assert len(doc.blocks) == 1
    assert _layout(_tables(doc)[0]) == [(0, 0, 1, 1, "一、总体情况")]


def _tc(text: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"


def test_grid_before_grid_after_and_short_rows(tmp_path: Path) -> None:
    d = docx.Document()
    _append_body_xml(
        d,
        f"""<w:tbl {W_NS}><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>
              <w:tr>{_tc("a")}{_tc("b")}{_tc("c")}{_tc("d")}</w:tr>
              <w:tr><w:trPr><w:gridBefore w:val="1"/><w:gridAfter w:val="1"/></w:trPr>{_tc("e")}{_tc("f")}</w:tr>
              <w:tr>{_tc("g")}</w:tr>
            </w:tbl>""",
    )
    table = _tables(read_docx(_save(d, tmp_path / "grid.docx")))[0]
    assert (table.n_rows, table.n_cols) == (3, 4)
    assert _layout(table) == [
        (0, 0, 1, 1, "a"),
        (0, 1, 1, 1, "b"),
        (0, 2, 1, 1, "c"),
        (0, 3, 1, 1, "d"),
        (1, 1, 1, 1, "e"),
        (1, 2, 1, 1, "f"),
        (2, 0, 1, 1, "g"),
    ]
    grid = table.grid()
    assert grid[1][0] is None
    assert grid[1][3] is None
    assert grid[2][1:] == [None, None, None]


def test_vmerge_continue_text_and_legacy_hmerge(tmp_path: Path) -> None:
    d = docx.Document()
    restart = '<w:vMerge w:val="restart"/>'
    _append_body_xml(
        d,
        f"""<w:tbl {W_NS}>
              <w:tr>{_tc("上", restart)}{_tc("左", '<w:hMerge w:val="restart"/>')}{_tc("", "<w:hMerge/>")}</w:tr>
              <w:tr>{_tc("续", "<w:vMerge/>")}{_tc("x")}{_tc("y")}</w:tr>
              <w:tr>{_tc("", '<w:vMerge w:val="continue"/>')}{_tc("z", '<w:gridSpan w:val="2"/>')}</w:tr>
            </w:tbl>""",
    )
    table = _tables(read_docx(_save(d, tmp_path / "merge.docx")))[0]
    assert _layout(table) == [
        (0, 0, 3, 1, "上 续"),  # text typed into a continuation cell is kept, after the merged cell's
        (0, 1, 1, 2, "左"),
        (1, 1, 1, 1, "x"),
        (1, 2, 1, 1, "y"),
        (2, 1, 1, 2, "z"),
    ]
    assert _cell(table, 0, 0).raw == "上\n续"


def test_vmerge_continue_without_a_start_is_a_cell(tmp_path: Path) -> None:
    d = docx.Document()
    _append_body_xml(
        d, f"<w:tbl {W_NS}><w:tr>{_tc('孤', '<w:vMerge/>')}</w:tr><w:tr>{_tc('', '<w:vMerge/>')}</w:tr></w:tbl>"
    )
    table = _tables(read_docx(_save(d, tmp_path / "orphan.docx")))[0]
    assert _layout(table) == [(0, 0, 2, 1, "孤")]


# --- pages -----------------------------------------------------------------------------------


def test_pages_from_rendered_page_breaks(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("第一页")
    # Word marks where it last broke pages, in a paragraph and in each cell of a row.
    _append_body_xml(d, f"<w:p {W_NS}><w:r><w:lastRenderedPageBreak/><w:t>第二页</w:t></w:r></w:p>")
    _append_body_xml(
        d,
        f"""<w:tbl {W_NS}>
              <w:tr>{_tc("表头")}{_tc("值")}</w:tr>
              <w:tr>
                <w:tc><w:p><w:r><w:lastRenderedPageBreak/><w:t>续表</w:t></w:r></w:p></w:tc>
                <w:tc><w:p><w:r><w:lastRenderedPageBreak/><w:t>1</w:t></w:r></w:p></w:tc>
              </w:tr>
            </w:tbl>""",
    )
    d.add_paragraph("第三页")
    d.add_page_break()  # ignored: Word's rendered marks already count every page
    d.add_paragraph("仍在第三页")
    doc = read_docx(_save(d, tmp_path / "rendered.docx"))
    texts = [(b.text, b.page) for b in _texts(doc)]
    assert texts == [("第一页", 1), ("第二页", 2), ("第三页", 3), ("仍在第三页", 3)]
    table = _tables(doc)[0]
    assert table.page == 2
    assert [(c.raw, c.page) for c in table.cells] == [("表头", 2), ("值", 2), ("续表", 3), ("1", 3)]
    assert doc.pages == 3
    assert doc.warnings == ()


def test_pages_from_explicit_page_breaks_carry_a_warning(tmp_path: Path) -> None:
    d = docx.Document()
    d.add_paragraph("封面")
    d.add_page_break()
    d.add_paragraph("一、总体情况")
    d.add_paragraph("正文").paragraph_format.page_break_before = True
    doc = read_docx(_save(d, tmp_path / "explicit.docx"))
    assert [(b.text, b.page) for b in _texts(doc)] == [("封面", 1), ("一、总体情况", 2), ("正文", 3)]
    assert doc.pages == 3
    assert len(doc.warnings) == 1
    assert "lower bounds" in doc.warnings[0]


# --- the official blank 2021 template --------------------------------------------------------


@pytest.fixture(scope="module")
def template() -> Document:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not present at {CORPUS}")
    return read_docx(TEMPLATE)


def test_template_has_three_tables_in_order(template: Document) -> None:
    tables = _tables(template)
    assert [(t.n_rows, t.n_cols) for t in tables] == [(14, 4), (28, 10), (4, 15)]
    text_before: list[str | None] = []
    last_text = None
    for block in template.blocks:
        if isinstance(block, TextBlock):
            last_text = block.text
        else:
            text_before.append(last_text)
    assert text_before == [
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
    ]


def test_template_section_headings_are_bold_blocks_in_order(template: Document) -> None:
    numbered = ("一、", "二、", "三、", "四、", "五、", "六、")
    headings = [b.text for b in _texts(template) if b.bold and b.text.startswith(numbered)]
    assert headings == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert [b.bold for b in _texts(template) if b.text == "（文字描述）"] == [False, False]
    assert template.pages is None


def test_template_applications_table_merges(template: Document) -> None:
    apps = _tables(template)[1]
    assert (apps.n_rows, apps.n_cols) == (28, 10)
    outcome = [c for c in apps.cells if c.text == "三、本年度办理结果"]
    assert len(outcome) == 1
    assert (outcome[0].row, outcome[0].col, outcome[0].row_span, outcome[0].col_span) == (5, 0, 22, 1)
    corner = _cell(apps, 0, 0)
    assert (corner.row_span, corner.col_span) == (3, 3)
    assert corner.text.startswith("(本列数据的勾稽关系为")
    assert (_cell(apps, 0, 3).text, _cell(apps, 0, 3).col_span) == ("申请人情况", 7)
    assert (_cell(apps, 1, 4).text, _cell(apps, 1, 4).col_span) == ("法人或其他组织", 5)
    assert (_cell(apps, 1, 3).text, _cell(apps, 1, 3).row_span) == ("自然人", 2)
    assert (_cell(apps, 2, 4).raw, _cell(apps, 2, 4).text) == ("商业\n企业", "商业 企业")
    denied = _cell(apps, 7, 1)
    assert (denied.raw, denied.row_span, denied.col_span) == ("（三）不予公开", 8, 1)
    assert (_cell(apps, 27, 0).raw, _cell(apps, 27, 0).col_span) == ("四、结转下年度继续办理", 3)
    assert _cell(apps, 26, 1).raw == "（七）总计"
    # Each grid position is covered by exactly one cell.
    covered = sum(c.row_span * c.col_span for c in apps.cells)
    assert covered == 28 * 10
    assert all(pos is not None for row in apps.grid() for pos in row)


def test_template_blank_cells_keep_raw_ideographic_spaces(template: Document) -> None:
    active = _tables(template)[0]
    assert (_cell(active, 2, 1).raw, _cell(active, 2, 1).text) == ("\u3000\u3000", "")
    assert (_cell(active, 5, 1).text, _cell(active, 5, 1).col_span) == ("本年处理决定数量", 3)


# --- bad input -------------------------------------------------------------------------------


def _unreadable(path: Path) -> str:
    with pytest.raises(UnreadableDocument) as info:
        read_docx(path)
    return str(info.value)


def test_zero_byte_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.docx"
    path.write_bytes(b"")
    assert "empty" in _unreadable(path)


def test_text_file_renamed_docx(tmp_path: Path) -> None:
    path = tmp_path / "notes.docx"
    path.write_text("一、总体情况\n这不是 Word 文件。", encoding="utf-8")
    assert _unreadable(path) == "not a Word .docx file (not a zip archive)"


def test_truncated_zip(tmp_path: Path) -> None:
    whole = _build_report(tmp_path / "whole.docx").read_bytes()
    path = tmp_path / "truncated.docx"
    path.write_bytes(whole[: len(whole) // 2])
    assert "truncated or corrupt zip" in _unreadable(path)


def test_zip_without_word_document(tmp_path: Path) -> None:
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("content.xml", "<office:document/>")
    assert "without word/document.xml" in _unreadable(path)


def test_corrupt_member_in_a_valid_zip(tmp_path: Path) -> None:
    path = tmp_path / "broken-xml.docx"
    source = _build_report(tmp_path / "source.docx")
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            dst.writestr(item, b"<w:document" if item.filename == "word/document.xml" else data)
    assert _unreadable(path).startswith("corrupt Word document")


def test_encrypted_or_ole_file(tmp_path: Path) -> None:
    path = tmp_path / "protected.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504)
    assert "encrypted or legacy OLE file" in _unreadable(path)


def test_missing_file(tmp_path: Path) -> None:
    assert "cannot read" in _unreadable(tmp_path / "absent.docx")


# --- pictures of tables -----------------------------------------------------------------------------


def test_inline_pictures_are_read_in_their_place_at_the_width_they_are_shown(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from docx.shared import Inches
    from PIL import Image

    from parsers import pictures

    seen: list[tuple[tuple[int, int], float | None, bool]] = []

    def read(picture, shown_inches=None, page=None, whole=False):  # stands in for OCR
        seen.append((picture.size, shown_inches, whole))
        return [TextBlock(f"picture {picture.width}x{picture.height}", page=page)], ["read"]

    monkeypatch.setattr(pictures, "read_table_picture", read)
    buffer = io.BytesIO()
    Image.new("RGB", (800, 300), "white").save(buffer, "PNG")
    document = docx.Document()
    document.add_paragraph("三、收到和处理政府信息公开申请情况")
    document.add_paragraph().add_run().add_picture(io.BytesIO(buffer.getvalue()), width=Inches(5))
    document.add_paragraph("四、政府信息公开行政复议、行政诉讼情况")
    path = _save(document, tmp_path / "picture.docx")
    doc = read_docx(path)
    assert [b.text for b in doc.blocks] == ["三、收到和处理政府信息公开申请情况", "picture 800x300",
                                            "四、政府信息公开行政复议、行政诉讼情况"]
    # (So little text of its own beside a picture: the picture is asked for as a page; its size decides.)
    assert seen == [((800, 300), pytest.approx(5.0), True)]
    assert doc.warnings == ("read",)


def test_a_word_file_of_page_pictures_is_read_page_by_page_every_cell_right(tmp_path: Path) -> None:
    # Scans pasted into Word, one picture a page, no text of the file's own (the robustness level
    # picture_table=docx-page-pictures): each picture is read as a page, its prose too.
    import pypdfium2 as pdfium
    from conftest import SYNTHETIC, read_every_cell

    from parsers import ocr_engine

    if not ocr_engine.available():
        pytest.skip("rapidocr is not installed")
    import robust_searchable

    source = SYNTHETIC / "county-qingyu-2019-t2019"
    path = tmp_path / "page-pictures.docx"
    robust_searchable._docx_of_page_pictures(source, path)
    result, score = read_every_cell(path, source.with_suffix(".pdf.truth.json"))
    assert sum(score.total.values()) > 150
    assert result.document["status"] == "ok"
    assert result.document["agency"] == "青屿县人民政府"  # the title, on the first page's picture
    pages = len(pdfium.PdfDocument(str(source.with_suffix(".pdf"))))
    assert sum("a picture of a page" in w for w in result.parsed.warnings) == pages


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium is not installed")
def test_word_file_with_table_three_as_an_inline_picture_every_cell_right(tmp_path: Path) -> None:
    import robust_searchable
    from conftest import SYNTHETIC, read_every_cell

    source = SYNTHETIC / "county-qingyu-2020-t2019"
    out = tmp_path / "picture.docx"
    robust_searchable._docx_with_picture(source, out)
    result, score = read_every_cell(out, source.with_suffix(".docx.truth.json"))
    three = [b.table for b in result.parsed.blocks if isinstance(b, TableBlock) and b.table.method == "ocr"]
    assert len(three) == 1
    assert all(c.ocr_confidence is not None for c in three[0].cells)
    assert sum(score.exact.values()) == sum(score.total.values()) >= 190
    assert result.document["status"] == "ok"
