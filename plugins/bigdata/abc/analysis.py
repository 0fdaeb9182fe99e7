"""ABC (and XYZ) as operators use it: overall or per province / supplier / category, read from the
selected backend (``backend().abc`` and ``backend().monthly_values``), plus what the screens show
of a result (class counts and value shares, the ABC-XYZ matrix) and how two results differ.

Rules (the backends' docstring has the ABC rule itself):

- **Scope**: an overall analysis ranks every product in the filters; a per-province / supplier /
  category one ranks the products separately within each province (supplier, category) that has
  products in the filters — one backend request for every group (``abc_by_group``, and
  ``monthly_values_by_group`` for XYZ). Facts without a supplier or category cannot
  be selected by a filter and are left out of a per-supplier / per-category analysis; facts
  without a province form the group "unknown province".
- **Never-sold products**: an overall analysis whose filters restrict nothing but the period adds
  every catalogue product without facts (parents excluded) as class N with value 0, so the latest
  class covers the whole catalogue (filter N to find what does not sell). It changes no A/B/C.
  Within a restriction (a supplier, a salesperson's own sales …) "never sold here" is not known to
  the facts, so nothing is added.
- **XYZ**: net quantity per month over the period's months (``xyz`` module), per group.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from plugins.bigdata.abc import xyz
from plugins.bigdata.abc.models import AbcScope
from plugins.bigdata.backends import backend, names
from plugins.bigdata.backends.base import (
    DEFAULT_CUTOFFS,
    ABCRow,
    Cutoffs,
    Dimension,
    Filters,
    Measure,
    MonthlyValue,
    Period,
    Region,
)

GRADES = ("A", "B", "C", "N")
XYZ_GRADES = ("X", "Y", "Z")
#: higher is better: a move to a smaller rank is "up"
RANK = {"A": 0, "B": 1, "C": 2, "N": 3}
MOVEMENTS = ("up", "down", "new", "gone", "same")
GROUP_DIMENSION = {
    AbcScope.PROVINCE: Dimension.PROVINCE,
    AbcScope.SUPPLIER: Dimension.SUPPLIER,
    AbcScope.CATEGORY: Dimension.CATEGORY,
}


@dataclass(frozen=True)
class Options:
    scope: str = AbcScope.OVERALL
    measure: Measure = Measure.REVENUE
    cutoffs: Cutoffs = DEFAULT_CUTOFFS
    xyz: xyz.XyzCutoffs = xyz.DEFAULT_XYZ


@dataclass(frozen=True)
class Item:
    scope_key: str
    scope_name: str
    product_id: int
    sku: str
    title: str
    value: int
    cumulative_before: int | None
    grade: str
    xyz: str = ""
    variation: Decimal | None = None


def restricts_only_period(filters: Filters) -> bool:
    return not (
        filters.regions or filters.supplier_ids or filters.category_ids or filters.salesperson_ids or filters.tier_codes
    )


def never_sold(sold: set[int]) -> list[tuple[int, str, str]]:
    """Catalogue products (parents excluded) not in ``sold``: (id, sku, title), by id."""
    Product = get_model("catalogue", "Product")
    ids = list(Product.objects.exclude(structure="parent").order_by("pk").values_list("pk", flat=True))
    missing = [pid for pid in ids if pid not in sold]
    labels = names.products(missing)
    return [(pid, *labels.get(pid, ("", ""))) for pid in missing]


def _items(key: str, name: str, rows: list[ABCRow], monthly: list[MonthlyValue], period, options: Options):
    variations = xyz.classify(monthly, xyz.period_months(period, monthly), options.xyz)
    for r in rows:
        v = variations.get(r.product_id, xyz.Variation("", None))
        yield Item(key, name, r.product_id, r.sku, r.title, r.value, r.cumulative_before, r.grade, v.grade, v.cv)


def analyse(filters: Filters, options: Options) -> list[Item]:
    """Every product's class (and XYZ class) in each group, in rank order within each group."""
    engine = backend()
    if options.scope == AbcScope.OVERALL:
        rows = engine.abc(filters, options.measure, options.cutoffs)
        monthly = engine.monthly_values(filters, Measure.QUANTITY)
        items = list(_items("", "", rows, monthly, filters.period, options))
        if restricts_only_period(filters):
            sold = {r.product_id for r in rows}
            items += [Item("", "", pid, sku, title, 0, None, "N") for pid, sku, title in never_sold(sold)]
        return items
    # every group in one backend request for the classes and one for the monthly quantities
    dimension = GROUP_DIMENSION[AbcScope(options.scope)]
    monthly_by_group: dict[str, list[MonthlyValue]] = defaultdict(list)
    for m in engine.monthly_values_by_group(filters, dimension, Measure.QUANTITY):
        monthly_by_group[m.key].append(MonthlyValue(m.product_id, m.month, m.value))
    items = []
    for group in engine.abc_by_group(filters, dimension, options.measure, options.cutoffs):
        name = group.name
        if options.scope == AbcScope.PROVINCE:
            name = names.province_name(group.key) or _("Unknown province")
        items += _items(group.key, name, group.rows, monthly_by_group[group.key], filters.period, options)
    return items


# --- filters stored with a run ---------------------------------------------------------------


def filters_to_json(filters: Filters) -> dict:
    return {
        "start": filters.period.start.isoformat() if filters.period else None,
        "end": filters.period.end.isoformat() if filters.period else None,
        "regions": [[r.province_code, r.city] for r in filters.regions],
        "supplier_ids": list(filters.supplier_ids),
        "category_ids": list(filters.category_ids),
        "salesperson_ids": list(filters.salesperson_ids),
        "tier_codes": list(filters.tier_codes),
    }


def filters_from_json(data: dict) -> Filters:
    period = None
    if data.get("start") and data.get("end"):
        period = Period(date.fromisoformat(data["start"]), date.fromisoformat(data["end"]))
    return Filters(
        period=period,
        regions=tuple(Region(code, city) for code, city in data.get("regions", [])),
        supplier_ids=tuple(data.get("supplier_ids", [])),
        category_ids=tuple(data.get("category_ids", [])),
        salesperson_ids=tuple(data.get("salesperson_ids", [])),
        tier_codes=tuple(data.get("tier_codes", [])),
    )


# --- what the screens show of a result ---------------------------------------------------------


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole in percent, one decimal half up (None when the whole is not positive)."""
    if whole <= 0:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ClassShare:
    grade: str
    products: int
    product_share: Decimal | None
    value: int
    value_share: Decimal | None  # of the positive total (None for N)


def class_shares(items: list[Item]) -> list[ClassShare]:
    """Per class: products and their share of all, value and its share of the positive total."""
    total = sum(i.value for i in items if i.grade != "N")
    out = []
    for grade in GRADES:
        of = [i for i in items if i.grade == grade]
        value = sum(i.value for i in of)
        out.append(
            ClassShare(
                grade, len(of), percent(len(of), len(items)), value, percent(value, total) if grade != "N" else None
            )
        )
    return out


@dataclass
class Matrix:
    """ABC × XYZ: counts and value per cell; ``""`` collects products without an XYZ class."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    values: dict[tuple[str, str], int] = field(default_factory=dict)


def matrix(items: list[Item]) -> Matrix:
    result = Matrix()
    for i in items:
        if i.grade == "N":
            continue
        cell = (i.grade, i.xyz)
        result.counts[cell] = result.counts.get(cell, 0) + 1
        result.values[cell] = result.values.get(cell, 0) + i.value
    return result


# --- how a product's class changed between two results ----------------------------------------


@dataclass(frozen=True)
class Change:
    scope_key: str
    scope_name: str
    product_id: int
    sku: str
    title: str
    before: str  # "" when not in the base result
    after: str  # "" when not in the other result
    value_before: int | None
    value_after: int | None

    @property
    def movement(self) -> str:
        if not self.before:
            return "new"
        if not self.after:
            return "gone"
        if RANK[self.after] < RANK[self.before]:
            return "up"
        if RANK[self.after] > RANK[self.before]:
            return "down"
        return "same"


def compare(base: list[Item], other: list[Item]) -> list[Change]:
    """Each product (per group) of either result with its class in both, by movement then key."""
    before = {(i.scope_key, i.product_id): i for i in base}
    after = {(i.scope_key, i.product_id): i for i in other}
    changes = []
    for key in before.keys() | after.keys():
        b, a = before.get(key), after.get(key)
        label = a or b
        changes.append(
            Change(
                key[0],
                label.scope_name,
                key[1],
                label.sku,
                label.title,
                b.grade if b else "",
                a.grade if a else "",
                b.value if b else None,
                a.value if a else None,
            )
        )
    changes.sort(key=lambda c: (MOVEMENTS.index(c.movement), c.scope_key, c.product_id))
    return changes


def transitions(changes: list[Change]) -> Counter:
    """(class before, class after) → products; "" stands for "not in that result"."""
    return Counter((c.before, c.after) for c in changes)
