"""China's 34 province-level divisions (GB/T 2260 codes).

Addresses store the Chinese name, as Chinese addresses and later map data use it;
the English name is shown when the interface language is English.
"""

from dataclasses import dataclass

from django.utils.translation import get_language


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
