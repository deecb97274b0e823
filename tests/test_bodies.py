"""Body identity from the national gazetteer: one body_id per body over its years, adcodes checked by hand."""

from __future__ import annotations

import pytest
from conftest import CORPUS, needs_corpus

from pipeline.bodies import body_rows, identify
from pipeline.gazetteer import divisions, locate
from pipeline.metadata import describe, title_of

# 平潭综合实验区's seven reports as its portal published them (web pages, 2019–2025): the title line, the
# lines a portal prints around it, and the preamble's sentences that name the body and how to reach it.
# 2024 and 2025 print no contact details at all; 2021 names 平潭县人民政府 as the page's source.
PINGTAN = {
    2019: (["平潭综合实验区2019年政府信息公开工作年度报告"],
           "区管委会办公室编制完成了本报告。如对本报告有任何疑问，请与平潭综合实验区政府信息公开工作领导小组办公室联系。"
           "联系地址：平潭综合实验区北厝金井湾片区管委会大楼主楼14层；邮编：350400；电话：0591-23165250；"
           "电子邮箱：pzxxgkb@163.com。"),
    2020: (["平潭综合实验区2020年政府信息公开工作年度报告"],
           "我区编制完成了本报告。联系地址：平潭综合实验区北厝金井湾片区管委会大楼主楼14层；邮编：350400；"
           "电话/传真：0591-23165370；电子邮箱：pzxxgkb@163.com。"),
    2021: (["当前位置： 首页政务公开政府信息公开政府信息公开年报", "平潭综合实验区2021年度政府信息公开工作年度报告",
            "来源：平潭县人民政府 时间：2022-02-08 16:34"],
           "联系地址：平潭综合实验区北厝金井湾片区管委会大楼主楼14层；邮编：350400；电话/传真：0591-23165370。"),
    2022: (["平潭综合实验区2022年度政府信息公开工作年度报告"],
           "汇总平潭综合实验区各有关单位政府信息公开工作情况编制而成。对本报告如有疑问，请与平潭综合实验区管委会办公室"
           "保密与电子政务处联系（地址：平潭综合实验区金井湾商务营运中心7号楼14层，邮编：350400，电话：0591-23165385）。"),
    2023: (["平潭综合实验区2023年度政府信息公开工作年度报告"],
           "如对本报告有任何疑问、意见，请与平潭综合实验区管委会办公室联系。通讯地址：平潭综合实验区商务营运中心7号楼14层；"
           "邮编：350400；电话：0591-23165385。"),
    2024: (["平潭综合实验区2024年度政府信息公开工作年度报告"], "本报告所列数据统计期限为2024年1月1日至2024年12月31日。"),
    2025: (["平潭综合实验区2025年度政府信息公开工作年度报告"], "本报告所列数据统计期限为2025年1月1日至2025年12月31日。"),
}


def _pingtan(year: int) -> dict:
    lines, preamble = PINGTAN[year]
    return describe(title_of([*lines, *preamble.split("。")]), "\n".join([*lines, preamble]), [])


def test_pingtan_is_one_special_zone_in_all_seven_years():
    rows = [_pingtan(year) for year in PINGTAN]
    assert [row["year"] for row in rows] == list(PINGTAN)
    assert {(row["body_id"], row["body_name"], row["adcode"], row["level"], row["region"]) for row in rows} == {
        ("350128-e89b8858", "福建省福州市平潭综合实验区", "350128", "special_zone", "福建省福州市平潭综合实验区")}
    assert {(row["province"], row["city"], row["county"], row["parent_body_id"]) for row in rows} == {
        ("福建省", "福州市", "平潭县", None)}


@pytest.mark.parametrize("printed", ["平潭综合实验区", "平潭综合实验区管委会", "平潭综合实验区管委会办公室",
                                     "福建省平潭综合实验区", "福建省福州市平潭综合实验区党工委管委会"])
def test_pingtan_printed_any_way_is_the_same_body(printed):
    body = identify(printed)
    assert (body.body_id, body.level, body.region) == ("350128-e89b8858", "special_zone", "福建省福州市平潭综合实验区")


def test_a_name_printed_three_ways_over_the_years_is_one_body():
    # The title's short name, the government's office reporting for it, and the county's name before 2016.
    ids = {identify(name).body_id for name in ("洪泽区人民政府", "淮安市洪泽区人民政府办公室", "江苏省淮安市洪泽县人民政府")}
    assert ids == {"320813-fe623fb2"}


def test_a_county_department_belongs_to_its_county_government():
    government = identify("洪泽区人民政府")
    for printed in ("淮安市洪泽区教育局", "洪泽区教育局"):
        department = identify(printed)
        assert (department.name, department.adcode, department.level) == ("江苏省淮安市洪泽区教育局", "320813",
                                                                          "department")
        assert department.parent_body_id == government.body_id
        assert department.body_id != government.body_id  # two bodies of one place
    zone_department = identify("平潭综合实验区地方税务局")
    assert (zone_department.level, zone_department.parent_body_id) == ("department", "350128-e89b8858")


@pytest.mark.parametrize(("printed", "adcode", "level", "region", "parent"), [
    ("上海市浦东新区人民政府", "310115", "county", "上海市浦东新区", "310000-421d2515"),
    ("沭阳县高墟镇人民政府", "321322", "township", "江苏省宿迁市沭阳县", "江苏省宿迁市沭阳县人民政府"),
    ("吉林市人民政府", "220200", "city", "吉林省吉林市", "吉林省人民政府"),
    ("杭州市临平区人民政府", "330113", "county", "浙江省杭州市临平区", "浙江省杭州市人民政府"),  # a district of 2021
    ("湖北省仙桃市人民政府", "429004", "county", "湖北省仙桃市", "湖北省人民政府"),  # governed by its province
])
def test_levels_and_parents_from_the_gazetteer(printed, adcode, level, region, parent):
    body = identify(printed)
    assert (body.adcode, body.level, body.region) == (adcode, level, region)
    assert parent in (body.parent, body.parent_body_id)


def test_two_places_of_one_name_are_told_apart_by_the_phone_or_left_unplaced():
    assert len(locate("宝山区").chains) == 2  # Shanghai's and Shuangyashan's
    street = identify("宝山区红旗街道办事处", "宝山区区政府路口", "0469-2651289")
    assert (street.adcode, street.level, street.name) == ("230506", "street", "黑龙江省双鸭山市宝山区红旗街道办事处")
    unplaced = identify("宝山区红旗街道办事处")
    assert unplaced.adcode is None
    assert unplaced.body_id.startswith("000000-")


def test_invented_places_keep_their_printed_names_and_no_adcode():
    body = identify("岫州市生态环境局")
    assert (body.adcode, body.level, body.city, body.parent) == (None, "department", "岫州市", "岫州市人民政府")
    assert body.parent_body_id == identify("岫州市人民政府").body_id
    assert identify("岚江省人民政府办公厅").body_id == identify("岚江省人民政府").body_id


def test_the_gazetteer_is_current_and_spells_codes_as_gb2260():
    codes = divisions()
    assert (codes["320813"].name, codes["350128"].name, codes["230506"].name) == ("洪泽区", "平潭县", "宝山区")
    assert "330104" not in codes  # 江干区, merged away in 2021
    assert codes["659011"].name == "新星市"  # a city of 2021


def test_bodies_rows_are_one_per_body():
    rows = [{"body_id": "b", "body_name": "B", "level": "county"}, {"body_id": "a", "body_name": "A"},
            {"body_id": "b", "body_name": "B"}, {"body_id": None}]
    assert [r["body_id"] for r in body_rows(rows)] == ["a", "b"]


@needs_corpus
def test_corpus_bodies_get_their_adcodes():
    from pipeline.run import parse_file

    expected = {  # checked by hand against the gazetteer (GB/T 2260)
        "huaian-hongze-2023.pdf": ("320813", "county", "320800-6d5507c4"),
        "huaian-city-2024.pdf": ("320800", "city", "320000-227c9854"),
        "shanghai-office-2019.html": ("310000", "province", None),
        "shuangyashan-baoshan-hongqi-2020.txt": ("230506", "street", "230506-81103b1f"),
    }
    for name, (adcode, level, parent) in expected.items():
        result = parse_file(CORPUS / name)
        meta = result.extras["metadata"][0]
        assert (meta["adcode"], meta["level"], meta["parent_body_id"]) == (adcode, level, parent), name
        assert result.document["body_id"] == meta["body_id"]
        assert meta["body_id"].startswith(adcode)


def test_cross_year_rules_pair_a_body_printed_two_ways():
    from pipeline.checks import views_from_rows
    from pipeline.checks.cross_year import previous_reports

    docs = [{"doc_id": doc_id, "agency": agency, "year": year, "format": "pdf", "body_id": identify(agency).body_id}
            for doc_id, agency, year in (("a", "洪泽区人民政府", 2022), ("b", "淮安市洪泽区人民政府", 2023))]
    assert {k: v.doc_id for k, v in previous_reports(views_from_rows(docs, (), ())).items()} == {"b": "a"}


def test_parse_and_batch_write_the_same_bodies(tmp_path):
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq
    from click.testing import CliRunner
    from conftest import SYNTHETIC

    from pipeline.cli import cli

    files = [str(SYNTHETIC / name) for name in ("city-xiuzhou-2021-t2021.docx", "city-xiuzhou-2022-t2021.docx",
                                                "dept-xiuzhou-sthjj-2023-t2021.docx")]
    assert CliRunner().invoke(cli, ["parse", *files, "-o", str(tmp_path / "p")]).exit_code == 0
    assert CliRunner().invoke(cli, ["batch", *files, "-o", str(tmp_path / "b"), "--workers", "1"]).exit_code == 0
    parsed = pq.read_table(tmp_path / "p" / "bodies.parquet").to_pylist()
    assert parsed == ds.dataset(tmp_path / "b" / "bodies").to_table().to_pylist()
    city, department = identify("岫州市人民政府"), identify("岫州市生态环境局")
    assert [(r["body_id"], r["level"], r["parent_body_id"]) for r in parsed] == sorted([
        (department.body_id, "department", city.body_id), (city.body_id, "city", None)])
    documents = pq.read_table(tmp_path / "p" / "documents.parquet").to_pylist()
    assert [d["body_id"] for d in documents] == [city.body_id, city.body_id, department.body_id]
