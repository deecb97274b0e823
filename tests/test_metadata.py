import pytest

from pipeline.metadata import agency_of, title_of, year_of


@pytest.mark.parametrize(("lines", "preamble", "agency", "year"), [
    (["洪泽区人民政府", "2023 年政府信息公开工作年度报告"], "本报告由淮安市洪泽区人民政府办公室根据《条例》要求编制。",
     "淮安市洪泽区人民政府", 2023),
    (["淮安市人民政府", "2024 年政府信息公开工作年度报告"], "本报告由淮安市人民政府办公室根据", "淮安市人民政府", 2024),
    (["2019年上海市人民政府办公厅政府信息公开工作年度报告"], "本年度报告根据《条例》的要求编制", "上海市人民政府办公厅", 2019),
    (["宝山红旗街道办事处 2020 年政府信息公开工作 年度 报 告"], "由宝山区红旗街道办事处编制。", "宝山区红旗街道办事处", 2020),
    (["南京市生态环境局2022年政府信息公开工作年度报告"], "", "南京市生态环境局", 2022),
])
def test_agency_and_year_from_title_and_preamble(lines, preamble, agency, year):
    title = title_of(lines)
    assert agency_of(title, preamble) == agency
    assert year_of(title, preamble) == year


def test_nothing_is_guessed_when_the_title_names_no_body_or_year():
    title = title_of(["政府信息公开工作年度报告格式模板"])
    assert agency_of(title, "") is None
    assert year_of(title, "") is None


def test_year_from_the_statistics_period_when_the_title_has_none():
    assert year_of("", "本报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。") == 2021


@pytest.mark.parametrize("preamble", [
    "根据《条例》规定，现公布青屿县人民政府2020年政府信息公开工作年度报告。",
    "本报告电子版可在青屿县人民政府门户网站下载。",
])
def test_sentence_openings_are_not_taken_for_a_fuller_name(preamble):
    title = title_of(["青屿县人民政府2020年政府信息公开工作年度报告"])
    assert agency_of(title, preamble) == "青屿县人民政府"


def test_a_title_wrapped_inside_a_word():
    title = title_of(["青屿县柳湾镇人民政府 2022 年政府信息公开工作年度报", "告", "根据《条例》"])
    assert agency_of(title, "") == "青屿县柳湾镇人民政府"
    assert year_of(title, "") == 2022
