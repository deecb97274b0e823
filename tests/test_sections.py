import pytest
from builders import document, table

from pipeline.sections import block_text, segment
from pipeline.spec import SECTION_KEYS

STANDARD = [
    "一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
    "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
]


def keys(doc):
    return [s.key for s in segment(doc)]


def report(headings, body="正文。"):
    items = ["某某区人民政府2023年政府信息公开工作年度报告", "本报告根据《条例》编制。"]
    for heading in headings:
        items.extend([heading, body])
    return document(*items)


def test_it_puts_text_before_the_first_heading_in_the_preamble():
    sections = segment(report(STANDARD))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert (sections[0].start, sections[0].end) == (0, 2)
    assert sections[1].heading == "一、总体情况"


@pytest.mark.parametrize("numbering", ["{}、", "{}.", "{}，", "{}．", "{} "])
def test_numbering_variants(numbering):
    numerals = "一二三四五六"
    headings = [numbering.format(n) + h.split("、", 1)[1] for n, h in zip(numerals, STANDARD, strict=True)]
    assert keys(report(headings)) == list(SECTION_KEYS)


def test_spaces_and_full_width_inside_headings():
    headings = ["一、总 体 情 况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"]
    assert keys(report(headings)) == list(SECTION_KEYS)


def test_a_heading_wrapped_over_two_lines():
    doc = document("标题年度报告", "一、总体情况", "x", "二、主动公开政府信息情况", "x", "三、收到和处理",
                   "政府信息公开申请情况", "本年度未收到申请。", "四、政府信息公开行政复议、行政诉讼情况", "x",
                   "五、存在的主要问题及改进情况", "x", "六、其他需要报告的事项", "x")
    sections = segment(doc)
    applications = next(s for s in sections if s.key == "applications")
    assert applications.heading == "三、收到和处理政府信息公开申请情况"
    assert applications.heading_blocks == 2
    assert [b.text for b in applications.body(doc)] == ["本年度未收到申请。"]


def test_the_longer_2019_wordings():
    headings = ["一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
                "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况", "五、政府信息公开工作存在的主要问题及改进情况",
                "六、其他需要报告的事项"]
    assert keys(report(headings)) == list(SECTION_KEYS)


def test_table_row_labels_numbered_like_headings_do_not_open_sections():
    # Shaped like table 三's last row and a later 一、 label: neither is a section heading.
    doc = report(STANDARD[:3])
    doc = document(*[b.text for b in doc.blocks], "四、结转下年度继续办理", "一、本年新收政府信息公开申请数量",
                   *STANDARD[3:])
    sections = segment(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    review = next(s for s in sections if s.key == "review_litigation")
    assert review.heading == STANDARD[3]


def test_subheadings_stay_inside_their_section():
    doc = document("标题", "一、总体情况", "（一）主动公开情况。", "（二）依申请公开情况。", *STANDARD[1:])
    overview = segment(doc)[1]
    assert [b.text for b in overview.body(doc)] == ["（一）主动公开情况。", "（二）依申请公开情况。"]


def test_a_heading_in_the_first_cell_of_a_table():
    boxed = table([["二、主动公开政府信息情况"], ["第二十条第（一）项"]])
    doc = document("标题", "一、总体情况", "x", boxed, *STANDARD[2:])
    sections = segment(doc)
    active = next(s for s in sections if s.key == "active_disclosure")
    assert active.heading == "二、主动公开政府信息情况"
    assert doc.blocks[active.start] is doc.blocks[3]
    assert "第二十条第（一）项" in block_text(doc.blocks[3])


def test_no_block_is_dropped_or_moved():
    doc = report(STANDARD)
    sections = segment(doc)
    covered = [i for s in sections for i in range(s.start, s.end)]
    assert covered == list(range(len(doc.blocks)))


def test_a_missing_section_leaves_the_others_in_place():
    headings = [h for h in STANDARD if not h.startswith("五")]
    assert keys(report(headings)) == [k for k in SECTION_KEYS if k != "problems_improvements"]


def test_running_text_that_starts_like_a_heading_is_not_one():
    doc = document("标题", "一、总体情况", "二是加强主动公开政府信息情况的监督检查，确保各项工作落实到位并形成长效机制。", *STANDARD[1:])
    active = next(s for s in segment(doc) if s.key == "active_disclosure")
    assert active.heading == STANDARD[1]


def test_a_numbered_sub_heading_never_opens_a_section():
    # "（二）依申请公开政府信息情况" reads like a title of section 三 but is numbered as a sub-heading.
    doc = document("标题", "一、总体情况", "（一）主动公开情况", "（二）依申请公开政府信息情况", *STANDARD[1:])
    assert keys(doc) == list(SECTION_KEYS)


# --- real outlines of other bodies ----------------------------------------------------------

@pytest.mark.parametrize("heading", [
    "五、存在的主要问题及整改措施", "五、存在的主要问题及改进措施", "五、存在的不足和改进措施", "五、主要问题和改进措施",
    "五、下一步工作打算", "五、 存在问题", "五、政府信息公开工作存在的主要问题及改进情况",
])
def test_section_five_by_meaning(heading):
    headings = [*STANDARD[:4], heading, STANDARD[5]]
    sections = segment(report(headings))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert sections[5].heading == heading


@pytest.mark.parametrize("headings", [
    # 南平市 2012, 国家税务总局 2010, 泰州市 2017: 一、概述 / 一、 概述 / 一、主要工作概述
    ("一、概述", "二、主动公开情况", "三、依申请公开情况", "四、因政府信息公开工作被申请行政复议、提起行政诉讼情况",
     "五、存在的主要问题和改进措施", "六、其他事项"),
    ("一、 概述", "二、主动公开政府信息", "三、收到和处理政府信息公开申请", "四、行政复议和行政诉讼情况",
     "五、存在的不足和改进措施", "六、其他需报告的事项"),
    ("一、主要工作概述", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
     "四、政府信息公开行政复议和行政诉讼情况", "五、存在的主要问题及整改措施", "六、其他需要报告的事项"),
])
def test_real_wordings_of_all_six_sections(headings):
    assert keys(report(headings)) == list(SECTION_KEYS)


def test_a_wrapped_preamble_listing_the_sections_is_not_a_heading():
    # 上海市 2022's preamble, wrapped as a PDF prints it: its lines start with the sections' names.
    preamble = ["2022年上海市政府信息公开工作年度报告",
                "本年度报告根据《中华人民共和国政府信息公开条例》的要求编制，全文包括总体情况、",
                "主动公开政府信息情况、收到和处理政府信息",
                "公开申请情况、因政府信息公开工作被申请行政复议和提起行政",
                "诉讼情况、政府信息公开工作存在的主要问题及改进情况，以及",
                "其他需要报告的事项。本年度报告中所列数据统计期限为2022年1月1日至12月31日。"]
    doc = document(*preamble, *[x for h in STANDARD for x in (h, "正文。")])
    sections = segment(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert (sections[0].start, sections[0].end) == (0, len(preamble))
    assert [s.heading for s in sections[1:]] == STANDARD


def test_a_heading_of_its_own_line_after_a_finished_sentence_still_counts():
    # No number: a line standing after a finished sentence is a heading (a bold one in any case).
    doc = document("标题年度报告", "前言。", "总体情况", "正文。", *STANDARD[1:])
    assert keys(doc) == list(SECTION_KEYS)


def test_markdown_marks_around_headings(tmp_path):
    from parsers.text import read_text

    lines = ["# 某某县财政局2023年政府信息公开工作年度报告", "## 一、总体情况", "正文。", "**二、主动公开政府信息情况**",
             "正文。", "### 三、收到和处理政府信息公开申请情况", "【四、政府信息公开行政复议、行政诉讼情况】",
             "## 五、存在的主要问题及改进措施", "## 六、其他需要报告的事项"]
    (tmp_path / "r.txt").write_text("\n".join(lines), encoding="utf-8")
    sections = segment(read_text(tmp_path / "r.txt"))
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert sections[1].heading == "一、总体情况"


def test_tables_appended_after_section_six_stay_in_it():
    # Captions renumbered 一 … 三 after 六 print the tables again; they open no section.
    doc = document(*[x for h in STANDARD for x in (h, "详见附表。")], "一、主动公开政府信息情况",
                   table([["信息内容", "本年制发件数"], ["规章", "3"]]), "附表二 收到和处理政府信息公开申请情况",
                   "三、政府信息公开行政复议、行政诉讼情况")
    sections = segment(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert sections[-1].end == len(doc.blocks)


def test_a_numbered_point_of_running_text_naming_a_concept_is_not_a_heading():
    # Some reports number the points of 总体情况 一、二、三 too; a task is not a title.
    doc = document("标题", "一、总体情况", "二、加强主动公开", "正文。", "三、规范依申请公开办理", "正文。", *STANDARD[1:])
    sections = segment(doc)
    assert [s.heading for s in sections[1:]] == STANDARD


@pytest.mark.parametrize("line", ["三、本年度办理结果", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"])
def test_table_row_labels_do_not_name_a_section_concept(line):
    doc = document("标题", STANDARD[0], "x", STANDARD[1], line, *STANDARD[2:])
    sections = segment(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert [s.heading for s in sections[1:]] == STANDARD


def test_the_text_a_report_appends_after_section_six_holds_its_tables():
    from pipeline.sections import appended

    doc = document(*[x for h in STANDARD for x in (h, "详见附表。")], "附表2", "申请人情况",
                   "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1", "附表3", "行政复议 行政诉讼",
                   "结果维持 结果纠正 其他结果 尚未审结 总计")
    sections = segment(doc)
    applications = next(s for s in sections if s.key == "applications")
    texts = [b.text for b in appended(doc, applications, "申请人情况", ["信息内容", "尚未审结"])]
    # Up to the line with the next table's header words (尚未审结), not beyond.
    assert texts[-4:] == ["申请人情况", "一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1", "附表3", "行政复议 行政诉讼"]
    assert texts[0] == STANDARD[3]  # from the end of section 三 on
    review = next(s for s in sections if s.key == "review_litigation")
    assert appended(doc, review, "尚未审结", ["信息内容", "申请人情况"])[-1].text == "结果维持 结果纠正 其他结果 尚未审结 总计"


# --- outlines numbered the report's own way ---------------------------------------------------

RULES = table([["信息内容", "本年制发件数"], ["规章", "3"]])


def test_tables_under_captions_of_their_own_numbering_inside_one_part():
    # 二 holds the three tables under captions 一 … 三; the last two sections are numbered 三 and 四.
    doc = document("标题年度报告", "前言。", "一、总体情况", "正文。", "二、政府信息公开工作统计情况",
                   "一、主动公开政府信息情况", RULES, "二、收到和处理政府信息公开申请情况", "本年度未收到申请。",
                   "三、政府信息公开行政复议、行政诉讼情况", "无。", "三、存在的主要问题及改进情况", "正文。",
                   "四、其他需要报告的事项", "无其他需要报告的事项。")
    sections = segment(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert [s.heading for s in sections[2:]] == [
        "一、主动公开政府信息情况", "二、收到和处理政府信息公开申请情况", "三、政府信息公开行政复议、行政诉讼情况",
        "三、存在的主要问题及改进情况", "四、其他需要报告的事项"]
    assert sections[-1].end == len(doc.blocks)


def test_a_flat_outline_whose_sub_parts_are_numbered_like_sections():
    # 上海市科委 2024: the parts of 总体情况 numbered 二 … 六 (no standard title among them), the tables
    # under captions 一 … 三, then 四、五 for the last two sections.
    doc = document("标题年度报告", "一、总体情况", "正文。", "二、工作机制保障", "正文。", "三、主动公开工作情况", "正文。",
                   "四、政府信息公开申请情况", "正文。", "五、政府信息管理", "正文。", "六、政府信息公开平台建设", "正文。",
                   "一、主动公开政府信息情况", RULES, "二、收到和处理政府信息公开申请情况", "正文。",
                   "三、政府信息公开行政复议、行政诉讼情况", "正文。", "四、存在的主要问题及改进情况", "正文。",
                   "五、其他需要报告的事项", "正文。")
    sections = segment(doc)
    assert [s.key for s in sections] == list(SECTION_KEYS)
    assert sections[1].end == 13  # the sub-parts stay in 总体情况
    assert sections[2].heading == "一、主动公开政府信息情况"


def test_a_caption_repeating_its_section_s_title_stays_inside_it():
    doc = document("标题", *STANDARD[:2], "一、主动公开政府信息情况", RULES, STANDARD[2],
                   "二、收到和处理政府信息公开申请情况", "正文。", *STANDARD[3:])
    sections = segment(doc)
    assert [s.heading for s in sections[1:]] == STANDARD


def test_a_sentence_is_never_an_unnumbered_heading():
    doc = document("标题", *[x for h in STANDARD[:5] for x in (h, "正文。")], "无其他需要报告的事项。")
    assert keys(doc)[-1] == "problems_improvements"
