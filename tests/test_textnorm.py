import pytest

from pipeline.textnorm import (
    NUMBERING,
    clean_cell,
    is_blank,
    label_key,
    outline_number,
    parse_number,
    similarity,
    squeeze,
)


@pytest.mark.parametrize(("raw", "value"), [
    ("0", 0.0), ("21", 21.0), ("１２３", 123.0), ("3,985,758", 3985758.0), ("１，２３４", 1234.0),
    ("7730.28", 7730.28), ("96171.6", 96171.6), (" 12 ", 12.0), ("251000元", 251000.0), ("-3", -3.0),
    ("+2", 2.0), ("1 2", 12.0),
])
def test_parse_number_reads_printed_numbers(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize("raw", ["", "  ", "\u3000\u3000", "—", "——", "-", "/", "／", "无", None, "abc", "1.属于"])
def test_parse_number_gives_none_for_blanks_placeholders_and_text(raw):
    assert parse_number(raw) is None


def test_zero_is_a_value_not_a_blank():
    assert parse_number("0") == 0.0
    assert not is_blank("0")
    assert is_blank("—")


def test_clean_cell_folds_width_and_whitespace():
    assert clean_cell("（一）予以 \n 公开\u3000") == "(一)予以 公开"


def test_label_key_drops_punctuation_spaces_and_width():
    assert label_key("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）") == "二部分公开区分处理的只计这一情形不计其他情形"
    assert label_key("3.危及“三安全一稳定”") == "3危及三安全一稳定"


def test_similarity_tolerates_a_typo_and_rejects_unrelated():
    assert similarity("其他法律行政止公开", "其他法律行政法规禁止公开") > 0.8
    assert similarity("予以公开", "部分公开") < 0.8
    assert similarity("予以公开", "部分公开", floor=0.9) == 0.0


@pytest.mark.parametrize(("label", "numbering", "number"), [
    ("一、总体情况", "一、", None),
    ("（三）不予公开", "(三)", None),
    ("十一、其他", "十一、", None),
    ("1. 本机关认为申请人", "1.", 1),
    ("12、其他", "12、", 12),
    ("（12）其他", "(12)", 12),
    ("3，涉及", "3,", 3),
    ("（一、属于国家秘密", "(一、", None),  # a parenthesis opened and never closed
    ("2）危及", "2)", 2),
])
def test_outline_numbering_is_recognized_in_every_printed_form(label, numbering, number):
    found = NUMBERING.match(squeeze(label))
    assert found is not None
    assert found.group(0) == numbering
    assert outline_number(label) == number


@pytest.mark.parametrize("text", ["2023年度", "信息公开", "第二十条", "1234、", "(一"])
def test_text_without_outline_numbering(text):
    assert NUMBERING.match(squeeze(text)) is None
    assert outline_number(text) is None


def test_label_key_folds_lookalike_ideographs():
    assert label_key("尚末审结") == label_key("尚未审结")
    assert label_key("自己") == label_key("自巳") == label_key("自已")
    assert label_key("人士") == label_key("入土")
    assert label_key("(八)其他") != label_key("(人)其他")  # 八 numbers outline items


def test_label_key_reads_traditional_forms_as_simplified():
    assert label_key("本年增/減") == label_key("本年增/减")  # the exact recognizer's reading of a scan's heading
    assert label_key("處理決定數量") == label_key("处理决定数量")
    assert label_key("2,434") == "2434"  # (no ideograph: not converted)
