"""The analytics pages (back office, 数据分析), assembled from the areas (regions, abc, performance,
customers, marketing): each declares its menu entries, access rules and beat entries in its
``routes`` module. Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from plugins.bigdata.abc import routes as abc
from plugins.bigdata.customers import routes as customers
from plugins.bigdata.marketing import routes as marketing
from plugins.bigdata.performance import routes as performance
from plugins.bigdata.regions import routes as regions

AREAS = (regions, abc, performance, customers, marketing)


def menu() -> list[dict]:
    children = [entry for area in AREAS for entry in area.MENU]
    return [{"label": _("Analytics"), "icon": "fas fa-chart-bar", "children": children}] if children else []


def access() -> dict[str, tuple[str, ...]]:
    rules: dict[str, tuple[str, ...]] = {}
    for area in AREAS:
        rules.update(area.ACCESS)
    return rules


def beat() -> dict[str, dict]:
    merged: dict[str, dict] = {}
    for area in AREAS:
        merged.update(area.BEAT)
    return merged
