"""The read side of sales performance and targets: the numbers the pages, their exports and
GraphQL show (definitions in ``definitions``). ``filters`` are already scoped to who asks (a
salesperson's carry their own id: ``screens.scope``).

Revenue and orders come from the selected analytics backend (``performance``), and so do company
counts (active, new, repeat, repurchasing: ``Backend.company_counts`` — each company's first sale
within the row and its orders per period; one statement on PostgreSQL, composites on
Elasticsearch). For a single row it equals ``Backend.first_sale_dates`` with the row as filter
(tested). Collections come from finance's receipts when finance is installed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from core.money import to_fen
from plugins.bigdata.backends import backend
from plugins.bigdata.backends.base import CompanyCounts, Dimension, Filters, PerformanceRow, Period, average
from plugins.bigdata.backends.names import province_name
from plugins.bigdata.models import FactKind, MonthlySales, SalesFact
from plugins.bigdata.performance import definitions as d
from plugins.bigdata.performance import periods as p
from plugins.bigdata.performance.models import SalesTarget, ScoreWeights, TargetOwner

# --- company counts -----------------------------------------------------------------------------


def company_counts(
    filters: Filters, dimension: Dimension | None, buckets: Sequence[Period]
) -> dict[tuple[str, int], CompanyCounts]:
    """(row key, bucket index) → active, new and repurchasing companies of the row in that bucket,
    from the selected backend (``Backend.company_counts``)."""
    return backend().company_counts(filters, dimension, buckets)


# --- the leaderboard ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    rank: int | None
    key: str
    name: str
    revenue: int
    share: Decimal | None
    orders: int
    average_order_value: int | None
    active: int
    new: int
    repeat: int
    repurchase_rate: Decimal | None
    growth_previous: Decimal | None
    growth_year: Decimal | None


def _revenue_by_key(rows: Iterable[PerformanceRow]) -> dict[str, int]:
    return {r.key: r.revenue for r in rows}


def _label(dimension: Dimension, row: PerformanceRow) -> str:
    if dimension == Dimension.PROVINCE and row.key:
        return province_name(row.key) or row.name
    return row.name


def leaderboard(filters: Filters, dimension: Dimension) -> list[LeaderRow]:
    """One row per value of ``dimension`` over ``filters.period``, by net revenue (highest first)."""
    period = filters.period
    engine = backend()
    rows = engine.performance(filters, dimension)
    before = _revenue_by_key(engine.performance(replace(filters, period=p.previous(period)), dimension))
    year = _revenue_by_key(engine.performance(replace(filters, period=p.last_year(period)), dimension))
    counts = company_counts(filters, dimension, [period])
    total = sum(r.revenue for r in rows)
    rows = sorted(rows, key=lambda r: (-r.revenue, _label(dimension, r), r.key))
    ranked = d.ranks(rows, key=lambda r: r.revenue)
    result = []
    for rank, r in zip(ranked, rows, strict=True):
        c = counts.get((r.key, 0), CompanyCounts())
        result.append(
            LeaderRow(
                rank=rank,
                key=r.key,
                name=_label(dimension, r),
                revenue=r.revenue,
                share=d.shown(d.percent(r.revenue, total)),
                orders=r.orders,
                average_order_value=r.average_order_value,
                active=c.active,
                new=c.new,
                repeat=c.repeat,
                repurchase_rate=d.repurchase_rate(c.repurchasing, c.active),
                growth_previous=d.growth(r.revenue, before.get(r.key, 0)),
                growth_year=d.growth(r.revenue, year.get(r.key, 0)),
            )
        )
    return result


@dataclass(frozen=True)
class Totals:
    revenue: int
    orders: int
    average_order_value: int | None
    active: int
    new: int
    repeat: int
    repurchase_rate: Decimal | None
    growth_previous: Decimal | None
    growth_year: Decimal | None


def _sums(filters: Filters) -> tuple[int, int]:
    """Net revenue and orders of the whole selection: the rows of an order-level dimension
    (every row of an order carries its order's salesperson) add up without counting an order twice."""
    rows = backend().performance(filters, Dimension.SALESPERSON)
    return sum(r.revenue for r in rows), sum(r.orders for r in rows)


def totals(filters: Filters) -> Totals:
    revenue, orders = _sums(filters)
    before, _ = _sums(replace(filters, period=p.previous(filters.period)))
    year, _ = _sums(replace(filters, period=p.last_year(filters.period)))
    c = company_counts(filters, None, [filters.period]).get(("", 0), CompanyCounts())
    return Totals(
        revenue=revenue,
        orders=orders,
        average_order_value=average(revenue, orders),
        active=c.active,
        new=c.new,
        repeat=c.repeat,
        repurchase_rate=d.repurchase_rate(c.repurchasing, c.active),
        growth_previous=d.growth(revenue, before),
        growth_year=d.growth(revenue, year),
    )


# --- the monthly trend ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: date
    revenue: int
    orders: int
    average_order_value: int | None
    active: int
    new: int
    repeat: int
    repurchase_rate: Decimal | None
    growth_month: Decimal | None
    growth_year: Decimal | None


def _monthly_sums(filters: Filters) -> dict[date, tuple[int, int]]:
    sums: dict[date, list[int]] = defaultdict(lambda: [0, 0])
    for r in backend().performance(filters, Dimension.SALESPERSON, by_month=True):
        sums[r.month][0] += r.revenue
        sums[r.month][1] += r.orders
    return {m: (v[0], v[1]) for m, v in sums.items()}


def month_buckets(period: Period) -> list[Period]:
    """Each calendar month of ``period``, clipped to it."""
    return [Period(max(m, period.start), min(p.month_end(m), period.end)) for m in p.months_of(period)]


def trend(filters: Filters) -> list[MonthRow]:
    """Each month of the period (months clipped to the period); growth against whole calendar
    months (the month before; the same month a year earlier)."""
    period = filters.period
    months = p.months_of(period)
    inside = _monthly_sums(filters)
    whole = _monthly_sums(replace(filters, period=Period(p.add_months(months[0], -12), period.end)))
    counts = company_counts(filters, None, month_buckets(period))
    result = []
    for i, month in enumerate(months):
        revenue, orders = inside.get(month, (0, 0))
        c = counts.get(("", i), CompanyCounts())
        result.append(
            MonthRow(
                month=month,
                revenue=revenue,
                orders=orders,
                average_order_value=average(revenue, orders),
                active=c.active,
                new=c.new,
                repeat=c.repeat,
                repurchase_rate=d.repurchase_rate(c.repurchasing, c.active),
                growth_month=d.growth(revenue, whole.get(p.add_months(month, -1), (0, 0))[0]),
                growth_year=d.growth(revenue, whole.get(p.add_months(month, -12), (0, 0))[0]),
            )
        )
    return result


def trend_by_row(filters: Filters, dimension: Dimension, keys: Sequence[str]) -> dict[str, dict[date, int]]:
    """Net revenue per month of the rows ``keys`` (for the trend chart's lines)."""
    wanted = set(keys)
    lines: dict[str, dict[date, int]] = {k: {} for k in keys}
    for r in backend().performance(filters, dimension, by_month=True):
        if r.key in wanted:
            lines[r.key][r.month] = r.revenue
    return lines


# --- collections (finance) ------------------------------------------------------------------------


def collections_available(filters: Filters) -> bool:
    """Whether collections can be shown: finance installed, and no supplier or category filter (a
    receipt pays a whole order, not a supplier's or a category's part of it)."""
    return apps.is_installed("plugins.finance") and not filters.supplier_ids and not filters.category_ids


@dataclass(frozen=True)
class _OrderDims:
    salesperson_id: int | None
    province_code: str
    city: str
    tier_code: str


def _order_dimensions(order_ids: Sequence[int], chunk: int = 2000) -> dict[int, _OrderDims]:
    """order id → the order's dimensions as its sale facts carry them (every row of an order has
    the same order-level dimensions)."""
    found: dict[int, _OrderDims] = {}
    ids = sorted(set(order_ids))
    for i in range(0, len(ids), chunk):
        rows = (
            SalesFact.objects.filter(kind=FactKind.SALE, order_id__in=ids[i : i + chunk])
            .values_list("order_id", "salesperson_id", "province_code", "city", "tier_code")
            .distinct()
        )
        for order_id, salesperson_id, province_code, city, tier_code in rows:
            found.setdefault(order_id, _OrderDims(salesperson_id, province_code, city, tier_code))
    return found


def _matches(filters: Filters, dims: _OrderDims) -> bool:
    if filters.salesperson_ids and dims.salesperson_id not in filters.salesperson_ids:
        return False
    if filters.tier_codes and dims.tier_code not in filters.tier_codes:
        return False
    if filters.regions:
        return any(
            r.province_code == dims.province_code and (not r.city or r.city == dims.city) for r in filters.regions
        )
    return True


def collections(filters: Filters, owner: str, buckets: Sequence[Period]) -> dict[tuple[str, int], int] | None:
    """(owner key, bucket index) → fen collected; ``owner`` "salesperson" (key: the id) or
    "region" (key: the province code). None when collections cannot be shown (see above). Orders
    with no sale fact yet (the fact queue not drained) are not counted until they have one."""
    if not collections_available(filters) or not buckets:
        return None
    from plugins.finance.selectors.receipts import applied_by_order_and_day

    start, end = min(b.start for b in buckets), max(b.end for b in buckets)
    applied = applied_by_order_and_day(start, end)
    dims = _order_dimensions([order_id for order_id, _day, _fen in applied])
    result: dict[tuple[str, int], int] = defaultdict(int)
    for order_id, day, fen in applied:
        found = dims.get(order_id)
        if found is None or not _matches(filters, found):
            continue
        key = found.province_code if owner == TargetOwner.REGION else str(found.salesperson_id or "")
        for i, b in enumerate(buckets):
            if b.start <= day <= b.end:
                result[(key, i)] += fen
                break
    return dict(result)


# --- targets ------------------------------------------------------------------------------------


def weights() -> d.Weights:
    """The operators' weights (the defaults until they set some)."""
    row = ScoreWeights.objects.order_by("pk").first()
    if row is None:
        return d.DEFAULT_WEIGHTS
    return d.Weights(row.revenue, row.new_customers, row.collections, row.cap)


@dataclass(frozen=True)
class TargetResult:
    target_id: int
    owner_kind: str
    owner_key: str
    owner_name: str
    period: p.TargetPeriod
    revenue_target: int | None
    revenue: int
    revenue_achievement: Fraction | None
    new_target: int | None
    new: int
    new_achievement: Fraction | None
    collections_target: int | None
    collections: int | None
    collections_achievement: Fraction | None
    score: Decimal | None
    rank: int | None

    def shown(self, name: str) -> Decimal | None:
        return d.shown(getattr(self, name))


def salesperson_names(ids: Iterable[int]) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=set(ids))
    return {u.pk: (u.get_full_name() or u.get_username()) for u in users}


def targets_of(filters: Filters, level: p.Level, owner: str) -> QuerySet[SalesTarget]:
    """The targets of ``level`` for ``owner`` whose period starts within ``filters.period``, within
    the salesperson (salesperson targets) or province (region targets) filter."""
    starts = [tp.start for tp in p.starting_within(level, filters.period)]
    qs = SalesTarget.objects.filter(level=level, owner_kind=owner, period_start__in=starts)
    if owner == TargetOwner.SALESPERSON and filters.salesperson_ids:
        qs = qs.filter(salesperson_id__in=filters.salesperson_ids)
    if owner == TargetOwner.REGION and filters.regions:
        qs = qs.filter(province_code__in=[r.province_code for r in filters.regions])
    return qs.order_by("period_start", "pk")


def targets_report(
    filters: Filters, level: p.Level, owner: str, *, ranked: bool = True, weights_used: d.Weights | None = None
) -> list[TargetResult]:
    """Each target with its actuals over its own period (within the other filters), achievements,
    weighted score and rank within its period; by period, then rank."""
    weights_used = weights_used or weights()
    targets = list(targets_of(filters, level, owner))
    if not targets:
        return []
    target_periods = sorted({t.period for t in targets})
    index = {tp: i for i, tp in enumerate(target_periods)}
    buckets = [tp.period for tp in target_periods]
    span = replace(filters, period=Period(buckets[0].start, buckets[-1].end))
    dimension = Dimension.SALESPERSON if owner == TargetOwner.SALESPERSON else Dimension.PROVINCE

    revenue: dict[tuple[str, date], int] = defaultdict(int)
    for r in backend().performance(span, dimension, by_month=True):
        revenue[(r.key, r.month)] += r.revenue
    counts = company_counts(span, dimension, buckets)
    collected = collections(span, owner, buckets)
    names = salesperson_names(t.salesperson_id for t in targets if t.salesperson_id)

    results = []
    for t in targets:
        key = str(t.salesperson_id) if owner == TargetOwner.SALESPERSON else t.province_code
        tp = t.period
        i = index[tp]
        actual_revenue = sum(revenue.get((key, m), 0) for m in tp.months())
        new = counts.get((key, i), CompanyCounts()).new
        actual_collections = None if collected is None else collected.get((key, i), 0)
        revenue_target = to_fen(t.revenue) if t.revenue is not None else None
        collections_target = to_fen(t.collections) if t.collections is not None else None
        achieved = (
            d.achievement(actual_revenue, revenue_target),
            d.achievement(new, t.new_customers),
            d.achievement(actual_collections, collections_target),
        )
        results.append(
            TargetResult(
                target_id=t.pk,
                owner_kind=owner,
                owner_key=key,
                owner_name=names.get(t.salesperson_id, "") if t.salesperson_id else province_name(t.province_code),
                period=tp,
                revenue_target=revenue_target,
                revenue=actual_revenue,
                revenue_achievement=achieved[0],
                new_target=t.new_customers,
                new=new,
                new_achievement=achieved[1],
                collections_target=collections_target,
                collections=actual_collections,
                collections_achievement=achieved[2],
                score=d.score(achieved, weights_used),
                rank=None,
            )
        )
    by_period: dict[p.TargetPeriod, list[TargetResult]] = defaultdict(list)
    for r in results:
        by_period[r.period].append(r)
    ordered = []
    for tp in target_periods:
        group = by_period[tp]
        group_ranks = d.ranks(group, key=lambda r: r.score) if ranked else [None] * len(group)
        group = [replace(r, rank=rank) for r, rank in zip(group, group_ranks, strict=True)]
        group.sort(key=lambda r: (r.rank is None, r.rank or 0, r.owner_name, r.owner_key))
        ordered += group
    return ordered


# --- who targets can be set for -------------------------------------------------------------------


def salesperson_candidates() -> QuerySet:
    """People a target may be set for: active staff (member_tiers' owners are staff) and anyone
    sales are credited to on the facts."""
    credited = MonthlySales.objects.exclude(salesperson_id=0).values_list("salesperson_id", flat=True).distinct()
    return (
        get_user_model()
        .objects.filter(Q(is_active=True, is_staff=True) | Q(pk__in=credited))
        .order_by("last_name", "first_name", "username")
    )
