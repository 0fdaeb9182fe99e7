"""XYZ classes from the variation of monthly demand (pure: no database).

Demand is a product's net quantity per calendar month (Asia/Shanghai) over every month of the
period — a month without facts counts as 0. With n months and values v₁…vₙ:

    mean μ = Σv / n,  standard deviation σ = √(Σ(v − μ)² / n)  (population, ddof 0),
    coefficient of variation CV = σ / μ.

A product is X when CV ≤ the X cut-off (default 0.5: steady), Y when CV ≤ the Y cut-off (default
1.0), else Z (erratic). When μ ≤ 0 there is no demand to vary around: no XYZ class ("").

The comparison is exact on integers: CV ≤ c ⇔ n·Σv² − (Σv)² ≤ c²·(Σv)² (both sides × n²/μ²,
μ > 0), with c as a fraction; the CV shown is rounded half up to 4 decimals afterwards.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

from plugins.bigdata.backends.base import MonthlyValue, Period

#: the largest XYZ cut-off accepted (a CV above it is unusual even for erratic demand)
MAX_CUTOFF = Decimal(100)


@dataclass(frozen=True)
class XyzCutoffs:
    """CV cut-offs: X while CV ≤ ``x``, Y while CV ≤ ``y``, else Z."""

    x: Decimal = Decimal("0.5")
    y: Decimal = Decimal("1.0")

    def __post_init__(self):
        if not (Decimal(0) < self.x <= self.y <= MAX_CUTOFF):
            raise ValueError("XYZ cut-offs must satisfy 0 < X ≤ Y ≤ 100")


DEFAULT_XYZ = XyzCutoffs()


@dataclass(frozen=True)
class Variation:
    grade: str  # "X", "Y", "Z" or ""
    cv: Decimal | None  # rounded to 4 decimals; None without a positive mean


def months(start: date, end: date) -> list[date]:
    """The first day of every month from ``start``'s to ``end``'s, both included."""
    out, year, month = [], start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(date(year, month, 1))
        year, month = year + (month == 12), month % 12 + 1
    return out


def period_months(period: Period | None, values: Iterable[MonthlyValue]) -> list[date]:
    """The months demand is measured over: the period's, else the span of the data."""
    if period is not None:
        return months(period.start, period.end)
    seen = [v.month for v in values]
    return months(min(seen), max(seen)) if seen else []


def variation(values: list[int], n: int, cutoffs: XyzCutoffs = DEFAULT_XYZ) -> Variation:
    """The class of one product's monthly values (``n`` months; missing months are zeros)."""
    total = sum(values)
    if n <= 0 or total <= 0:
        return Variation("", None)
    spread = n * sum(v * v for v in values) - total * total  # n²σ², never negative
    squared = Fraction(total * total)
    if spread <= Fraction(cutoffs.x) ** 2 * squared:
        grade = "X"
    elif spread <= Fraction(cutoffs.y) ** 2 * squared:
        grade = "Y"
    else:
        grade = "Z"
    with localcontext() as context:
        context.prec = 40
        cv = (Decimal(spread).sqrt() / Decimal(total)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return Variation(grade, cv)


def classify(
    values: Iterable[MonthlyValue], month_list: list[date], cutoffs: XyzCutoffs = DEFAULT_XYZ
) -> dict[int, Variation]:
    """product id → its XYZ class over ``month_list`` (products without monthly values: absent)."""
    wanted = set(month_list)
    per_product: dict[int, list[int]] = defaultdict(list)
    for v in values:
        if v.month in wanted:
            per_product[v.product_id].append(v.value)
    return {pid: variation(vals, len(month_list), cutoffs) for pid, vals in per_product.items()}
