"""The regional distribution's rows, read for the page, its export and GraphQL alike: each
province (or each city of one province) with revenue, its share of the selection's revenue, orders,
active companies and average order value, ranked by the chosen metric."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from core.regions import PROVINCES
from plugins.bigdata.backends import backend
from plugins.bigdata.backends.base import Filters, RegionTotals

#: what the map colours and the table ranks by
METRICS = {
    "revenue": _("Revenue"),
    "orders": _("Order count"),
    "companies": _("Active companies"),
    "aov": _("Average order value"),
}
DEFAULT_METRIC = "revenue"
#: metrics in integer fen (shown in yuan)
MONEY_METRICS = ("revenue", "aov")

#: GB/T 2260 code → the province's feature name on the vendored ``china.json`` (echarts 4.9.0: short
#: names keyed by the same adcode). tests/bigdata/test_regions_page.py checks every code against it.
MAP_NAMES = {
    "110000": "北京",
    "120000": "天津",
    "130000": "河北",
    "140000": "山西",
    "150000": "内蒙古",
    "210000": "辽宁",
    "220000": "吉林",
    "230000": "黑龙江",
    "310000": "上海",
    "320000": "江苏",
    "330000": "浙江",
    "340000": "安徽",
    "350000": "福建",
    "360000": "江西",
    "370000": "山东",
    "410000": "河南",
    "420000": "湖北",
    "430000": "湖南",
    "440000": "广东",
    "450000": "广西",
    "460000": "海南",
    "500000": "重庆",
    "510000": "四川",
    "520000": "贵州",
    "530000": "云南",
    "540000": "西藏",
    "610000": "陕西",
    "620000": "甘肃",
    "630000": "青海",
    "640000": "宁夏",
    "650000": "新疆",
    "710000": "台湾",
    "810000": "香港",
    "820000": "澳门",
}
PROVINCE_CODES = frozenset(p.code for p in PROVINCES)


@dataclass(frozen=True)
class RegionRow:
    rank: int
    #: GB/T 2260 code of the province; for a city, its name ("" unknown)
    code: str
    name: str
    #: the province's name on the map ("" for a city or an unknown province)
    map_name: str
    revenue: int
    #: percent of the selection's revenue, one decimal (None when that revenue is not above zero)
    share: Decimal | None
    orders: int
    companies: int
    average_order_value: int | None

    def value(self, metric: str) -> int | None:
        return {
            "revenue": self.revenue,
            "orders": self.orders,
            "companies": self.companies,
            "aov": self.average_order_value,
        }[metric]


def share(part: int, total: int) -> Decimal | None:
    """``part`` as a percent of ``total``, half up to one decimal (None unless total > 0)."""
    if total <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def ranked(totals: list[RegionTotals], metric: str, *, provinces: bool) -> list[RegionRow]:
    """Rows by ``metric`` descending (no value last), ties by code (an unknown region after the
    known ones); ranks 1, 2, 3 … in that order."""
    if metric not in METRICS:
        raise ValueError(f"unknown metric {metric!r}")
    total = sum(t.revenue for t in totals)
    rows = [
        RegionRow(
            rank=0,
            code=t.code,
            name=t.name or (str(_("Unknown region")) if provinces else str(_("Unknown city"))),
            map_name=MAP_NAMES.get(t.code, "") if provinces else "",
            revenue=t.revenue,
            share=share(t.revenue, total),
            orders=t.orders,
            companies=t.companies,
            average_order_value=t.average_order_value,
        )
        for t in totals
    ]
    rows.sort(key=lambda r: (r.value(metric) is None, -(r.value(metric) or 0), r.code == "", r.code))
    return [replace(r, rank=i) for i, r in enumerate(rows, start=1)]


def province_rows(filters: Filters, metric: str = DEFAULT_METRIC) -> list[RegionRow]:
    """Every province with facts in ``filters`` (scoped by the caller), ranked by ``metric``."""
    return ranked(backend().province_totals(filters), metric, provinces=True)


def city_rows(filters: Filters, province_code: str, metric: str = DEFAULT_METRIC) -> list[RegionRow]:
    """The cities of one province (drill-down), ranked by ``metric``."""
    return ranked(backend().city_totals(filters, province_code), metric, provinces=False)
