import pytest

from pipeline.regions import Region, area_codes, places_in, region_of


@pytest.mark.parametrize(("agency", "address", "phone", "expected"), [
    ("淮安市洪泽区人民政府", "淮安市洪泽区洪泽湖大道90号", "0517-87222589", ("江苏省", "淮安市", "洪泽区")),
    ("淮安市人民政府", None, "0517-83605210", ("江苏省", "淮安市", None)),
    ("上海市人民政府办公厅", None, None, ("上海市", "上海市", None)),
    ("宝山区红旗街道办事处", "宝山区区政府路口", "0469-2651289", ("黑龙江省", "双鸭山市", "宝山区")),
    ("岚江省教育厅", None, None, ("岚江省", None, None)),
    ("岫州市泓溪区人民政府", None, "0917-82367001", (None, "岫州市", "泓溪区")),  # code not in the mapping
    ("某某委员会", None, None, (None, None, None)),
])
def test_region_from_name_address_and_area_code(agency, address, phone, expected):
    assert region_of(agency, address, phone) == Region(*expected)


def test_label_joins_the_levels_once():
    assert Region("上海市", "上海市", None).label() == "上海市"
    assert Region("江苏省", "淮安市", "洪泽区").label() == "江苏省淮安市洪泽区"
    assert Region().label() is None


def test_the_bundled_mapping_covers_every_province_capital():
    capitals = {city for _, city in area_codes().values()}
    assert {"南京市", "杭州市", "广州市", "成都市", "哈尔滨市", "乌鲁木齐市", "拉萨市"} <= capitals
    assert area_codes()["0517"] == ("江苏省", "淮安市")


def test_words_that_only_look_like_places_are_not_places():
    assert places_in("主城区人民政府") == Region()
