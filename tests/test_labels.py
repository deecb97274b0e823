import pytest

from pipeline.labels import best_match, strip_numbering, unnumbered_key
from pipeline.spec import APPLICATION_ROWS

SUB_ROWS = [(r.key, r.labels) for r in APPLICATION_ROWS if r.parent]


@pytest.mark.parametrize(("text", "stripped"), [
    ("一、本年新收政府信息公开申请数量", "本年新收政府信息公开申请数量"),
    ("（三）不予公开", "不予公开"),
    ("(六)其他处理", "其他处理"),
    ("1.属于国家秘密", "属于国家秘密"),
    ("2、重复申请", "重复申请"),
    ("三、（一）予以公开", "予以公开"),
    ("三安全一稳定", "三安全一稳定"),
])
def test_strip_numbering(text, stripped):
    assert strip_numbering(text) == stripped


@pytest.mark.parametrize(("printed", "key"), [
    ("2.其他法律行政止公开", "denied.prohibited_by_law"),  # typo printed in a real report
    ("4.无正当理由大量反复 申请", "not_processed.excessive"),
    ("5.要求行政机关确认或重 新出具\n已获取信息", "not_processed.confirm_or_reissue"),
    ("1、申请人无正当理由逾期不补\n正、行政机关不再处理其政府信\n息公开申请", "other.no_correction"),
    ("3、其他", "other.misc"),
    ("1. 属于国 家秘密", "denied.state_secret"),
])
def test_sub_row_labels_match_by_meaning(printed, key):
    assert best_match(printed, SUB_ROWS) == key


def test_unrelated_label_matches_nothing():
    assert best_match("信息内容", SUB_ROWS) is None


def test_core_key_ignores_layout():
    assert unnumbered_key("（二）部分公开（区分处理的，只计这一情 形，不\n计其他情形）") == unnumbered_key("(二)部分公开(区分处理的,只计这一情形,不计其他情形)")


@pytest.mark.parametrize("printed", ["尚末审结", "尚未审结"])  # 末 for 未: OCR confuses the look-alikes
def test_lookalike_ideographs_match_their_label(printed):
    assert best_match(printed, [("pending", ("尚未审结",)), ("other", ("其他",))]) == "pending"


def test_a_label_wrapped_spaced_or_numbered_otherwise_is_matched_once():
    from pipeline.labels import _fixed_match, score

    rows = tuple((key, tuple(labels)) for key, labels in SUB_ROWS)
    printed = ["5.要求行政机关确认或重新出具已获取信息", "5.要求行政机关确认或重 新出具\n已获取信息",
               "（五）要求行政机关确认或\n重新出具已获取信息", "5、要求行政机关确认或重新出具已获取 信息"]
    _fixed_match.cache_clear()
    assert {best_match(text, rows) for text in printed} == {"not_processed.confirm_or_reissue"}
    assert _fixed_match.cache_info().misses == 1  # the four printings share one key
    assert {best_match(text, list(rows)) for text in printed} == {"not_processed.confirm_or_reissue"}
    assert score(printed[1], "要求行政机关确认或重新出具已获取信息") == 1.0
    assert 0.8 <= score("要求行政机关确认或重新出俱已获取信息", "要求行政机关确认或重新出具已获取信息") < 1.0
    assert score("", "其他") == score("其他", "") == 0.0
