"""Keywords, facts and indicators on real report text and real tables."""

import sys
from pathlib import Path

import pytest
from conftest import CORPUS, needs_corpus

from pipeline.analytics.facts import facts
from pipeline.analytics.indicators import indicator_rows
from pipeline.analytics.keywords import keywords
from pipeline.analytics.terms import words
from pipeline.run import parse_file

pytestmark = needs_corpus


@pytest.fixture(scope="module")
def hongze():
    return parse_file(CORPUS / "huaian-hongze-2023.pdf")


@pytest.fixture(scope="module")
def city():
    return parse_file(CORPUS / "huaian-city-2024.pdf")


def test_disclosure_terms_stay_whole():
    assert {"依申请公开", "政策解读", "政务新媒体", "政务公开"} <= set(
        words("进一步规范依申请公开流程，加强政策解读和政务新媒体管理，推进政务公开。"))


def test_keywords_of_a_real_overview(hongze):
    overview = next(s.text for s in hongze.sections if s.section == "overview")
    terms = [t for t, _ in keywords(overview)]
    assert {"依申请公开", "政务新媒体", "政府信息公开"} <= set(terms)
    assert not {"工作", "进一步", "2023"} & set(terms)
    rows = [r for r in hongze.extras["keywords"] if r["section"] == "overview"]
    assert [r["term"] for r in rows] == terms
    assert rows == sorted(rows, key=lambda r: -r["weight"])


def test_facts_stated_in_real_prose(hongze, city):
    got = {(f["subject"], f["value"], f["unit"]) for f in hongze.extras["facts"]}
    assert {("主动公开政府信息", 1136, "条"), ("政府信息公开申请", 21, "件"), ("信息处理费", 0, "元")} <= got
    city_facts = {(f["subject"], f["value"], f["unit"]) for f in city.extras["facts"]}
    # A PDF line break inside "政\n府信息" and a "余" before the unit do not hide a fact.
    assert {("政策解读", 21, "个"), ("新闻发布会", 12, "场"), ("行政复议", 351, "件"), ("行政诉讼", 46, "件"),
            ("信息处理费", 3940, "元")} <= city_facts
    assert any(f["subject"] == "政府信息" and f["value"] == 5500 for f in city.extras["facts"])


def test_dates_are_not_facts():
    assert facts("2023 年 12 月 31 日前完成。") == []


def test_indicators_with_their_formulas(city):
    values = {r["indicator"]: r["value"] for r in indicator_rows("d", city.records)}
    assert values["applications_received"] == 3119
    assert values["substantive_disclosure_rate"] == pytest.approx((1362 + 454) / 3050, abs=1e-6)
    assert values["completion_rate"] == pytest.approx(3050 / (3119 + 34), abs=1e-6)
    assert values["review_correction_rate"] == pytest.approx(64 / (72 + 64 + 178), abs=1e-6)
    assert values["lawsuits"] == 46
    formulas = {r["indicator"]: r["formula"] for r in indicator_rows("d", city.records)}
    assert formulas["substantive_disclosure_rate"] == "(granted.total + partially_granted.total) / total.total"


def test_indicators_are_none_where_cells_are_blank():
    blank = parse_file(CORPUS / "template-2021-blank.docx")
    assert all(r["value"] is None for r in blank.extras["indicators"])


def test_jieba_keeps_its_dictionary_cache_in_a_private_folder():
    import tempfile

    from pipeline.analytics.terms import cache_dir, tokenizer

    dt = tokenizer()
    assert dt.tmp_dir == str(cache_dir())
    # The environment's own folder (or the user's cache), never the shared temporary folder itself,
    # where other users could write the file the tool loads; a clone may well live under /tmp.
    assert cache_dir() != Path(tempfile.gettempdir())
    assert cache_dir().is_relative_to(sys.prefix) or cache_dir().is_relative_to(Path.home())
    assert (cache_dir().stat().st_mode & 0o077) == 0
    assert (cache_dir() / "jieba.cache").is_file()
