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


def test_a_portal_heading_naming_no_body_gives_way_to_the_title_below_it():
    # A portal article headed "政府信息公开工作年度报告" over pictures of the report's pages, read by OCR.
    lines = ["政府信息公开工作年度报告", "鹭原市人民政府", "2024年政府信息公开工作年度报告",
             "本报告根据《中华人民共和国政府信息公开条例》（以下简称《条"]
    title = title_of(lines)
    assert title == "鹭原市人民政府2024年政府信息公开工作年度报告"
    assert agency_of(title, "") == "鹭原市人民政府"
    # With nothing below naming a body, the heading stays the title and no body is guessed.
    title = title_of(["政府信息公开工作年度报告", "本报告根据《条例》编制。"])
    assert title == "政府信息公开工作年度报告"
    assert agency_of(title, "") is None


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


def test_contacts_period_level_on_real_reports():
    from conftest import CORPUS

    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is absent (a clone outside the team); CI always has it")
    from pipeline.run import parse_file

    hongze = parse_file(CORPUS / "huaian-hongze-2023.pdf").extras["metadata"][0]
    assert {k: hongze[k] for k in ("agency_printed", "agency", "level", "region", "period_start", "period_end",
                                   "phone", "email", "address", "published")} == {
        "agency_printed": "洪泽区人民政府", "agency": "淮安市洪泽区人民政府", "level": "county",
        "region": "江苏省淮安市洪泽区", "period_start": "2023-01-01", "period_end": "2023-12-31",
        "phone": "0517-87222589", "email": "hzzwgk@126.com", "address": "淮安市洪泽区洪泽湖大道90号",
        "published": None}
    shanghai = parse_file(CORPUS / "shanghai-office-2019.html").extras["metadata"][0]
    assert (shanghai["published"], shanghai["level"], shanghai["region"]) == ("2020-01-31", "province", "上海市")
    assert (shanghai["phone"], shanghai["email"], shanghai["address"]) == (None, None, None)  # not stated
    street = parse_file(CORPUS / "shuangyashan-baoshan-hongqi-2020.txt").extras["metadata"][0]
    assert (street["level"], street["phone"], street["email"]) == ("street", "0469-2651289", "bsqhqb@163.com")
    template = parse_file(CORPUS / "template-2021-blank.docx").extras["metadata"][0]
    assert all(v is None for k, v in template.items() if k not in ("doc_id", "title"))


@pytest.mark.parametrize(("agency", "level", "parent"), [
    ("岚江省人民政府办公厅", "province", None),
    ("鹭原市人民政府", "city", None),
    ("青屿县人民政府", "county", None),
    ("岫州市泓溪区人民政府", "county", None),
    ("泓溪区东岫街道办事处", "street", None),
    ("砚川县云渡镇人民政府", "township", None),
    ("岫州市生态环境局", "department", "岫州市人民政府"),
    ("岚江省市场监督管理局", "department", "岚江省人民政府"),
    ("青屿县公安局", "department", "青屿县人民政府"),
])
def test_level_and_parent_government(agency, level, parent):
    from pipeline.metadata import level_of, parent_of

    assert level_of(agency) == level
    assert parent_of(agency, level) == parent


def test_metadata_on_the_synthetic_set_matches_what_the_reports_state():
    import json

    from conftest import SYNTHETIC

    from pipeline.run import parse_file

    levels = {"province": "province", "city": "city", "district": "county", "county": "county",
              "street": "street", "town": "township"}
    for truth_file in sorted(SYNTHETIC.glob("*.docx.truth.json")):
        truth = json.loads(truth_file.read_text(encoding="utf-8"))
        meta = parse_file(SYNTHETIC / truth["file"]).extras["metadata"][0]
        prefix = truth["file"].split("-")[0]
        assert meta["agency"] == truth["agency"]
        assert meta["year"] == truth["year"]
        assert meta["level"] == levels.get(prefix, "department"), truth["file"]
        assert (meta["period_start"], meta["period_end"]) == (f"{truth['year']}-01-01", f"{truth['year']}-12-31")
        assert meta["phone"]
        assert meta["email"].endswith(".example")


@pytest.mark.parametrize(("lines", "agency", "year"), [
    # A portal page's title copied with its label (沭阳县发展和改革局).
    (["标题:沭阳县发展和改革局2023年政府信息公开工作年度报告", "来源：本网 发布时间：2024-01-18"], "沭阳县发展和改革局", 2023),
    (["标题：沭阳县发展和改革局 2024 年政府信息公开工作年度报告"], "沭阳县发展和改革局", 2024),
    # The information box of a portal page (泰州市 2017) above the title.
    (["索 引 号 | 014416330/2018-04736 | 分 类 | 政府信息公开年报", "发布机构 | 市政府办 | 发文日期 | 2018-02-28 |",
      "文 号 | 有 效 性 |", "泰州市人民政府2017年政府信息公开工作年度报告"], "泰州市人民政府", 2017),
    (["索引号：11320000014000000/2024-00012", "发布机构：青屿县公安局", "发布日期：2024-01-20",
      "青屿县公安局2023年政府信息公开工作年度报告"], "青屿县公安局", 2023),
    # Years as printed: full-width digits and spaces, Chinese numerals, 年度.
    (["沭阳县发展和改革局 ２０２４ 年政府信息公开工作年度报告"], "沭阳县发展和改革局", 2024),
    (["青屿县人民政府二〇二四年政府信息公开工作年度报告"], "青屿县人民政府", 2024),
    (["青屿县人民政府二O二二年度政府信息公开工作年度报告"], "青屿县人民政府", 2022),
    (["道县文广新局2013年度信息公开工作", "年度报告"], "道县文广新局", 2013),
    (["青屿县财政局2023年政务公开工作年度报告"], "青屿县财政局", 2023),
    (["沭阳县发展和改革局政府信息公开工作年度报告（2024 年）"], "沭阳县发展和改革局", 2024),
    # A portal's breadcrumb above the title, a 来源 line below it (福州市晋安区 2016).
    (["政府信息公开", "福州市晋安区2016年政府信息公开工作年度报告", "来源:区人民政府办公室 时间:2017-01-12 10:01"],
     "福州市晋安区", 2016),
])
def test_titles_as_real_pages_print_them(lines, agency, year):
    title = title_of(lines)
    assert agency_of(title, "") == agency
    assert year_of(title, "") == year


def test_a_portal_box_alone_names_no_title():
    assert title_of(["索引号：000/2024-1", "发布机构：青屿县公安局", "发布日期：2024-01-20"]) == ""


@pytest.mark.parametrize(("lines", "agency", "year"), [
    # A PDF-to-Markdown converter's page label above a title that opens with its year (上海市科委 2024).
    (["正文", "2024 年上海市科委政府信息公开工作", "年度报告"], "上海市科委", 2024),
    (["正文", "2025 年上海市人民政府办公厅政府信息公开工作年度报告"], "上海市人民政府办公厅", 2025),
    # A body named above the year-first line is kept (the title split over two lines).
    (["岫州市人民政府", "2022年政府信息公开工作年度报告"], "岫州市人民政府", 2022),
])
def test_page_furniture_above_a_year_first_title_is_not_the_body(lines, agency, year):
    title = title_of(lines)
    assert (agency_of(title, ""), year_of(title, "")) == (agency, year)


def test_a_portal_page_printed_whole_takes_its_title_below_the_breadcrumb():
    # A web page printed to PDF by a browser: site name, menu and breadcrumb above the wrapped title.
    lines = ["岚江省人民政府", "首页政务公开 办事服务 互动交流走进岚江省", "当前位置：首页 > 政府信息公开 > 政府信息公开年报",
             "岚江省人民政府办公厅2019年政府信息公开工作年", "度报告", "发布时间：2024-01-20 来源：岚江省人民政府"]
    title = title_of(lines)
    assert title == "岚江省人民政府办公厅2019年政府信息公开工作年度报告"
    assert (agency_of(title, ""), year_of(title, "")) == ("岚江省人民政府办公厅", 2019)


def test_a_web_page_date_serves_where_the_report_prints_none():
    from pipeline.metadata import describe

    title = "某某县人民政府2024年政府信息公开工作年度报告"
    row = describe(title, title, [], page_date="2025-02-03")
    assert (row["published"], row["published_source"]) == ("2025-02-03", "web_page")
    printed = describe(title, title, ["某某县人民政府", "2025年1月20日"], page_date="2025-02-03")
    assert (printed["published"], printed["published_source"]) == ("2025-01-20", "document")  # printed wins
