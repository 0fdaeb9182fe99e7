"""The one interface every analytics backend answers (PostgreSQL now, Elasticsearch next).

Every report takes a ``Filters`` (what every chart and table of the analytics screens obeys:
period, region, supplier, category, salesperson, tier) and returns plain dataclasses with money
in integer fen, so two backends can be compared with ``==``.

Definitions, the same for every backend (the screens show them):

- **revenue**: the net of the goods' value of every fact in the period — sales, less refunds on
  the refund date, less cancellations on the cancellation date (freight excluded);
- **orders**: distinct orders with a sale in the period less distinct orders cancelled in the
  period (net, like revenue: a cancelled order counts once and is taken back once);
- **active companies**: companies whose net revenue in the period (and group) is above zero;
- **average order value** (客单价): revenue ÷ orders, to the fen (half up); None when orders ≤ 0;
- **ABC**: products sorted by value descending, ties by product id ascending; a product is A while
  the cumulative value *before* it is below the A cut-off (80 %) of the total of positive values,
  B below the B cut-off (95 %), else C; a product whose net value is zero or negative is N.
  Values: revenue, quantity, or gross margin (revenue − cost).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Period:
    """Days from ``start`` to ``end``, both included (dates in Asia/Shanghai)."""

    start: date
    end: date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError("period ends before it starts")

    @property
    def whole_months(self) -> bool:
        """Whether the period is a run of whole calendar months (the rollup can answer it)."""
        following = date(self.end.year + (self.end.month == 12), self.end.month % 12 + 1, 1)
        return self.start.day == 1 and (following - self.end).days == 1


@dataclass(frozen=True)
class Region:
    """A province by its GB/T 2260 code, optionally one city of it (by name)."""

    province_code: str
    city: str = ""


@dataclass(frozen=True)
class Filters:
    """What a report covers; an empty tuple means no restriction on that dimension."""

    period: Period | None = None
    regions: tuple[Region, ...] = ()
    supplier_ids: tuple[int, ...] = ()
    category_ids: tuple[int, ...] = ()
    salesperson_ids: tuple[int, ...] = ()
    tier_codes: tuple[str, ...] = ()

    @property
    def by_rollup_dimensions_only(self) -> bool:
        """Whether only dimensions the monthly rollup keeps are filtered (no city, no tier)."""
        return not self.tier_codes and all(not r.city for r in self.regions)


class Measure(StrEnum):
    REVENUE = "revenue"
    QUANTITY = "quantity"
    MARGIN = "margin"


class Dimension(StrEnum):
    SALESPERSON = "salesperson"
    PROVINCE = "province"
    CATEGORY = "category"
    SUPPLIER = "supplier"
    TIER = "tier"
    PRODUCT = "product"


@dataclass(frozen=True)
class Cutoffs:
    """ABC cut-offs in percent of the total (A below ``a``, B below ``b``)."""

    a: Decimal = Decimal("80")
    b: Decimal = Decimal("95")

    def __post_init__(self):
        if not (Decimal(0) < self.a <= self.b <= Decimal(100)):
            raise ValueError("cut-offs must satisfy 0 < A ≤ B ≤ 100")

    @property
    def basis_points(self) -> tuple[int, int]:
        """The cut-offs in hundredths of a percent (integer arithmetic: exact at the boundary)."""
        return int((self.a * 100).to_integral_value()), int((self.b * 100).to_integral_value())


@dataclass(frozen=True)
class RegionTotals:
    code: str  # GB/T 2260 code of the province; the city's name for city totals
    name: str
    revenue: int
    orders: int
    companies: int
    average_order_value: int | None


@dataclass(frozen=True)
class ProductValue:
    product_id: int
    sku: str
    title: str
    value: int


@dataclass(frozen=True)
class MonthlyValue:
    """One product's net value in one month (Asia/Shanghai) — XYZ's input."""

    product_id: int
    month: date  # the first day of the month
    value: int


@dataclass(frozen=True)
class CompanyFirstSale:
    """The day of a company's first sale (new vs repeat companies)."""

    company_id: int
    first_date: date


@dataclass(frozen=True)
class CompanyCounts:
    """Companies of one row (a dimension's value, or everything) in one period bucket."""

    active: int = 0  # net revenue in the bucket above zero
    new: int = 0  # active, and their first sale ever (within the row and filters) is in the bucket
    repurchasing: int = 0  # active with two or more net orders in the bucket

    @property
    def repeat(self) -> int:
        return self.active - self.new


@dataclass(frozen=True)
class ABCRow:
    product_id: int
    sku: str
    title: str
    value: int
    #: the value of the products ranked before this one (None for class N)
    cumulative_before: int | None
    grade: str  # "A", "B", "C" or "N"


@dataclass(frozen=True)
class ABCGroup:
    """ABC within one value of a dimension (a province, a supplier, a category)."""

    key: str  # the dimension's id as text, as PerformanceRow.key ("" unknown province)
    #: a province's core.regions label ("" unknown); a supplier's or category's greatest name on
    #: its facts in the filters (as ``performance``'s name)
    name: str
    rows: list[ABCRow]


@dataclass(frozen=True)
class GroupMonthlyValue:
    """One product's net value in one month within one group (XYZ per group)."""

    key: str
    product_id: int
    month: date
    value: int


#: the dimensions a per-group ABC can split by
GROUP_DIMENSIONS = (Dimension.PROVINCE, Dimension.SUPPLIER, Dimension.CATEGORY)


@dataclass(frozen=True)
class PerformanceRow:
    key: str  # the dimension's id ("" when unknown)
    name: str
    month: date | None
    revenue: int
    cost: int
    orders: int
    companies: int
    quantity: int
    average_order_value: int | None = field(default=None)


def average(revenue: int, orders: int) -> int | None:
    """revenue ÷ orders in fen, half up (None when there are no net orders)."""
    if orders <= 0:
        return None
    quotient, remainder = divmod(abs(revenue), orders)
    rounded = quotient + (1 if 2 * remainder >= orders else 0)
    return rounded if revenue >= 0 else -rounded


DEFAULT_CUTOFFS = Cutoffs()


def classify(values: list[ProductValue], cutoffs: Cutoffs = DEFAULT_CUTOFFS) -> list[ABCRow]:
    """The ABC rule on product values (the reference the SQL is checked against in spirit; a
    backend may compute it in its engine)."""
    a_bp, b_bp = cutoffs.basis_points
    positive = sorted((v for v in values if v.value > 0), key=lambda v: (-v.value, v.product_id))
    total = sum(v.value for v in positive)
    rows, before = [], 0
    for v in positive:
        grade = "A" if before * 10000 < total * a_bp else "B" if before * 10000 < total * b_bp else "C"
        rows.append(ABCRow(v.product_id, v.sku, v.title, v.value, before, grade))
        before += v.value
    rest = sorted((v for v in values if v.value <= 0), key=lambda v: (-v.value, v.product_id))
    rows += [ABCRow(v.product_id, v.sku, v.title, v.value, None, "N") for v in rest]
    return rows


class Backend(ABC):
    """Reports over the sales facts. Every method obeys ``filters`` entirely."""

    name: str

    @abstractmethod
    def province_totals(self, filters: Filters) -> list[RegionTotals]:
        """Per province (code order): revenue, orders, active companies, average order value."""

    @abstractmethod
    def city_totals(self, filters: Filters, province_code: str) -> list[RegionTotals]:
        """The same per city of one province (drill-down), by city name."""

    @abstractmethod
    def product_values(self, filters: Filters, measure: Measure) -> list[ProductValue]:
        """Each product's net value in the period (ABC's input), by product id."""

    @abstractmethod
    def monthly_values(self, filters: Filters, measure: Measure) -> list[MonthlyValue]:
        """Each product's net value per month, by product id then month; only the (product, month)
        pairs that have facts in the filter (a month whose facts net to zero is listed with 0)."""

    @abstractmethod
    def first_sale_dates(self, filters: Filters) -> list[CompanyFirstSale]:
        """Each company's first ``sale`` day over all history up to ``filters.period.end`` (the
        period's start is ignored: "first" means first ever; no period: all history), within the
        other filters (region, supplier, category, salesperson, tier), by company id. Companies
        unknown on the fact are left out."""

    @abstractmethod
    def abc(
        self, filters: Filters, measure: Measure = Measure.REVENUE, cutoffs: Cutoffs = DEFAULT_CUTOFFS
    ) -> list[ABCRow]:
        """Products classified A/B/C/N, in rank order (A first; N last)."""

    @abstractmethod
    def abc_by_group(
        self,
        filters: Filters,
        dimension: Dimension,
        measure: Measure = Measure.REVENUE,
        cutoffs: Cutoffs = DEFAULT_CUTOFFS,
    ) -> list[ABCGroup]:
        """``abc`` within each province / supplier / category (``dimension``) with products in the
        filters, in one request: each group's rows equal ``abc`` with the filters narrowed to that
        group. Groups by key (province code, or id ascending); facts without a supplier or
        category are left out (they cannot be filtered on), facts without a province form the
        group "" (as in ``performance``)."""

    @abstractmethod
    def monthly_values_by_group(
        self, filters: Filters, dimension: Dimension, measure: Measure
    ) -> list[GroupMonthlyValue]:
        """``monthly_values`` within each group of ``dimension`` (as ``abc_by_group``), by group,
        product, month, in one request."""

    @abstractmethod
    def company_counts(
        self, filters: Filters, dimension: Dimension | None, buckets: Sequence[Period]
    ) -> dict[tuple[str, int], CompanyCounts]:
        """(row key, bucket index) → active, new and repurchasing companies of the row in that
        bucket (``dimension`` None: one row ""). ``buckets`` are periods that do not overlap
        (``filters.period`` is replaced by them). A company's first sale is looked for over all
        history up to the last bucket's end, within the row and the other filters; companies
        unknown on the fact are left out. A (row, bucket) with facts of known companies is listed
        even when none is active (zeros); one without is absent."""

    @abstractmethod
    def performance(self, filters: Filters, dimension: Dimension, *, by_month: bool = False) -> list[PerformanceRow]:
        """Revenue, cost, orders, active companies, quantity per value of ``dimension`` (and month)."""
