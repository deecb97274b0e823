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
