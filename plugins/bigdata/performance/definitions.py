"""Every sales-performance metric, defined once: the text the pages show (``PERFORMANCE`` and
``TARGETS``, (term, definition) pairs) and the pure arithmetic the page, the exports and GraphQL
all call. No ORM here; the numbers come from ``selectors``.

- **Net revenue**: goods' value of sales, less refunds on the refund date and cancellations on
  the cancellation date (freight excluded) — the facts' definition (backends/base.py).
- **Orders**: orders with a sale in the period less orders cancelled in the period.
- **Average order value** (客单价): net revenue ÷ orders, to the fen, half up; "—" without orders.
- **Active companies**: companies whose net revenue in the row and period is above zero.
- **New companies**: active companies whose first sale ever *within the row* (this salesperson,
  province, category, supplier or tier, and the page's filters) falls in the period; a company
  handed to another salesperson is new to them at its first order credited to them.
  **Repeat companies**: the other active companies (they bought in the row before the period).
- **Repurchase rate** (复购率): active companies with two or more orders (net, as above) in the
  row and period ÷ active companies, in percent to 0.1, half up; "—" without active companies.
- **Growth** (环比 / 同比): (this − base) ÷ base, in percent to 0.1, half up; "—" when the base
  is zero or negative. Month-on-month compares a month with the month before; over a longer
  period the base is the period just before of the same length (as many whole months, else
  days); year-on-year compares with the same dates a year earlier.
- **Share**: the row's net revenue ÷ the total of the rows, in percent.
- **Collections** (回款): money of approved receipts received (the bank's day) in the period and
  applied to orders credited to the salesperson / shipped to the province, orders since
  cancelled left out (their money went back to the company's balance). Read from finance; "—"
  without finance, and "—" when a supplier or category filter is set (a receipt pays a whole
  order, not one supplier's or category's part of it).
- **Achievement** (达成率): actual ÷ target, in percent to 0.1, half up; "—" without a target.
- **Weighted score**: Σ weightᵢ × min(max(achievementᵢ, 0), cap) ÷ Σ weightᵢ over the components
  that have an achievement (a component without a target, or collections without finance, drops
  out and the others' weights are scaled up to 100 %); computed on exact achievements and
  rounded once, to 0.1, half up. Default weights: revenue 60 %, new companies 20 %, collections
  20 %; cap 120 % (an over-achievement counts up to the cap; no cap when the operator clears it).
- **Ranking**: by weighted score (or, on the leaderboard, net revenue), highest first; equal
  values share a rank and the next rank is skipped (1, 2, 2, 4); rows without a score are not
  ranked. A salesperson, who sees only their own rows, is shown no rank.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

TENTH = Decimal("0.1")

PERFORMANCE = (
    (
        _("Net revenue"),
        _(
            "Goods' value of sales, less refunds on the day they were paid and cancellations on the day "
            "of the cancellation; freight excluded."
        ),
    ),
    (_("Number of orders"), _("Orders with a sale in the period less orders cancelled in the period.")),
    (_("Average order value"), _("Net revenue ÷ orders, to the fen; “—” without orders.")),
    (_("Active companies"), _("Companies whose net revenue in the row and period is above zero.")),
    (
        _("New companies"),
        _(
            "Active companies whose first sale ever within the row (this salesperson, province, category, "
            "supplier or tier, and the filters) falls in the period. A company handed to another salesperson "
            "is new to them at its first order credited to them."
        ),
    ),
    (_("Repeat companies"), _("The other active companies: they bought within the row before the period.")),
    (
        _("Repurchase rate"),
        _("Active companies with two or more orders in the row and period ÷ active companies."),
    ),
    (
        _("Growth vs previous period"),
        _(
            "(This − base) ÷ base. The base is the period just before of the same length (a month: the month "
            "before); “—” when the base is zero or negative."
        ),
    ),
    (_("Year-on-year growth"), _("The same, against the same dates a year earlier.")),
    (_("Share"), _("The row's net revenue ÷ the total of the rows.")),
)

TARGETS = (
    (
        _("Targets"),
        _(
            "Set by operators per salesperson or per province for a month, a quarter or a year. The page lists "
            "the targets whose period begins in the chosen period; each is measured over its whole period, "
            "within the other filters."
        ),
    ),
    (_("Revenue"), _("Net revenue over the target's period, as on the performance page.")),
    (_("New companies"), _("New companies over the target's period, as on the performance page.")),
    (
        _("Collections"),
        _(
            "Money of approved receipts received in the target's period and applied to orders credited to the "
            "salesperson or shipped to the province; orders since cancelled are left out. “—” without finance "
            "or with a supplier or category filter (a receipt pays a whole order)."
        ),
    ),
    (_("Achievement"), _("Actual ÷ target; “—” without a target.")),
    (
        _("Weighted score"),
        _(
            "Each achievement counts between 0 % and the cap, weighted by the operators' weights; a component "
            "without a target or without figures drops out and the other weights are scaled up to 100 %."
        ),
    ),
    (
        _("Ranking"),
        _(
            "By weighted score within each period, highest first; equal scores share a rank. Salespeople see "
            "only their own rows and no rank."
        ),
    ),
)


def half_up(value: Fraction | Decimal | int, quantum: Decimal = TENTH) -> Decimal:
    """``value`` rounded half up to ``quantum`` (exact for fractions: no float on the way)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
        # 28 significant digits are far more than any sum of fen needs before rounding to 0.1
    return Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)


def percent(numerator: int, denominator: int) -> Fraction | None:
    """numerator ÷ denominator in percent, exact; None when the denominator is not positive."""
    if denominator is None or denominator <= 0 or numerator is None:
        return None
    return Fraction(numerator * 100, denominator)


def shown(value: Fraction | None) -> Decimal | None:
    """A percentage as shown and exported: 0.1 %, half up."""
    return None if value is None else half_up(value)


def growth(current: int, base: int | None) -> Decimal | None:
    """(current − base) ÷ base in percent, to 0.1 half up; None when the base is 0, negative or unknown."""
    if base is None or base <= 0:
        return None
    return half_up(Fraction((current - base) * 100, base))


def repurchase_rate(repurchasing: int, active: int) -> Decimal | None:
    return shown(percent(repurchasing, active))


def achievement(actual: int | None, target: int | None) -> Fraction | None:
    """actual ÷ target in percent, exact (None without a target or without an actual)."""
    if actual is None or not target:
        return None
    return Fraction(actual * 100, target)


@dataclass(frozen=True)
class Weights:
    """The weighted score's weights in percent (summing to 100) and the cap on an achievement."""

    revenue: int = 60
    new_customers: int = 20
    collections: int = 20
    #: the most an achievement counts for, in percent (None: no cap)
    cap: int | None = 120


DEFAULT_WEIGHTS = Weights()


def score(
    achievements: tuple[Fraction | None, Fraction | None, Fraction | None], weights: Weights = DEFAULT_WEIGHTS
) -> Decimal | None:
    """The weighted score of (revenue, new companies, collections) achievements: components
    without an achievement drop out and the remaining weights are scaled up to 100 %."""
    total, weight_sum = Fraction(0), 0
    for value, weight in zip(achievements, (weights.revenue, weights.new_customers, weights.collections), strict=True):
        if value is None:
            continue
        counted = max(value, Fraction(0))
        if weights.cap is not None:
            counted = min(counted, Fraction(weights.cap))
        total += weight * counted
        weight_sum += weight
    if weight_sum == 0:
        return None
    return half_up(total / weight_sum)


T = TypeVar("T")


def ranks(items: Sequence[T], key: Callable[[T], object]) -> list[int | None]:
    """Competition ranks (1, 2, 2, 4) of ``items`` by ``key`` descending; None for a None key."""
    values = [key(item) for item in items]
    ordered = sorted((v for v in values if v is not None), reverse=True)
    first = {}
    for position, value in enumerate(ordered, start=1):
        first.setdefault(value, position)
    return [None if v is None else first[v] for v in values]
