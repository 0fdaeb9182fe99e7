"""Read side of the customers area: one row per company (never a fact) for ``measures``, in a
fixed number of queries whatever the number of companies or facts — facts are grouped in SQL.

Which companies a company-based report covers (funnel, value grades), from the filters:

- **region**: the company's registered province (and city), ``Company.province`` / ``city``;
- **tier**: its current member_tiers tier;
- **salesperson** (and a salesperson's own scope): the companies the salesperson owns now in
  member_tiers, plus those with at least one sale credited to them in the facts;
- period: the funnel takes the companies *registered* in it; grades ignore it (a grade is current);
- supplier and category: not applied (they describe goods, not companies).

The fact-based reports (sales cycle, RFM) obey every filter on the facts, as every analytics
report does (a salesperson: only the sales credited to them).

The kernel's rows (companies, baskets, orders) are read directly; member_tiers' through its
selectors, and only when it is installed.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import connection
from django.db.models import Case, Count, F, Min, Q, QuerySet, When
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from oscar.core.loading import get_model

from companies.models import Company
from core.regions import PROVINCES
from plugins.bigdata.backends.base import Filters
from plugins.bigdata.backends.postgres import _where
from plugins.bigdata.customers.measures import SHANGHAI, CompanyRfm, FirstSale, Timeline
from plugins.bigdata.models import FactKind, SalesFact

FACTS = SalesFact._meta.db_table
COMPANIES = Company._meta.db_table
_PROVINCE_NAMES = {p.code: p.name for p in PROVINCES}


def member_tiers_installed() -> bool:
    return apps.is_installed("plugins.member_tiers")


def _members() -> QuerySet:
    from plugins.member_tiers.selectors import member_dimensions

    return member_dimensions()


def _as_datetime(value) -> datetime | None:
    """A timestamp from raw SQL (SQLite hands back text in UTC)."""
    if value is None or isinstance(value, datetime):
        return value
    parsed = parse_datetime(str(value))
    return parsed if parsed is None or timezone.is_aware(parsed) else parsed.replace(tzinfo=UTC)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return parse_date(str(value)[:10])


def _rows(sql: str, params: list) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in cursor.fetchall()]


def _bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The period's days in Asia/Shanghai as [since, until)."""
    since = datetime.combine(start, time.min, tzinfo=SHANGHAI)
    return since, datetime.combine(end + timedelta(days=1), time.min, tzinfo=SHANGHAI)


def registration():
    """When a company registered: the earlier of its record's creation and its application (a
    corrected re-application keeps the first date; a company migrated from a distributor who bought
    alone dates from that person's sign-up)."""
    return Case(When(created_at__lt=F("applied_at"), then=F("created_at")), default=F("applied_at"))


def companies(filters: Filters) -> QuerySet[Company]:
    """The companies a company-based report covers (see the module docstring), unevaluated."""
    qs = Company.objects.order_by()
    if filters.regions:
        where = Q(pk__in=[])
        for region in filters.regions:
            part = Q(province=_PROVINCE_NAMES.get(region.province_code, region.province_code))
            if region.city:
                part &= Q(city=region.city)
            where |= part
        qs = qs.filter(where)
    if filters.tier_codes:
        if not member_tiers_installed():
            return qs.none()
        qs = qs.filter(pk__in=_members().filter(tier_code__in=filters.tier_codes).values("company_id"))
    if filters.salesperson_ids:
        credited = SalesFact.objects.filter(
            salesperson_id__in=filters.salesperson_ids, company_id__isnull=False
        ).values("company_id")
        scope = Q(pk__in=credited)
        if member_tiers_installed():
            scope |= Q(pk__in=_members().filter(salesperson_id__in=filters.salesperson_ids).values("company_id"))
        qs = qs.filter(scope)
    return qs


# --- conversion funnel -------------------------------------------------------------------------------


def timelines(filters: Filters) -> list[Timeline]:
    """The stage timestamps of the companies registered in the period (four queries):

    - registered: ``registration()``;
    - verified: ``Company.verified_at`` (stamped at the first verification, kept through a suspension);
    - first basket: the earliest basket line (``basket.Line.date_created``) in a basket of any of the
      company's people (``CompanyMember``, active or not);
    - first order: the earliest ``Order.date_placed`` of the company's orders (whatever became of them);
    - first payment: the earliest ``sale`` fact of the company (its payment secured: reserved on the
      credit line or received; ``SalesFact.occurred_at``);
    - repeat order: the first ``sale`` fact of a second order of the company.
    """
    since, until = _bounds(filters.period.start, filters.period.end) if filters.period else (None, None)
    cohort = companies(filters).annotate(registered=registration())
    if since is not None:
        cohort = cohort.filter(registered__gte=since, registered__lt=until)
    base = list(cohort.values_list("pk", "registered", "verified_at"))
    if not base:
        return []
    ids = cohort.values("pk")
    BasketLine = get_model("basket", "Line")
    Order = get_model("order", "Order")
    company_of_line = "basket__owner__company_members__company_id"
    baskets = dict(
        BasketLine.objects.order_by()
        .filter(**{f"{company_of_line}__in": ids})
        .values(company_of_line)
        .annotate(first=Min("date_created"))
        .values_list(company_of_line, "first")
    )
    orders = dict(
        Order.objects.order_by()
        .filter(company_id__in=ids)
        .values("company_id")
        .annotate(first=Min("date_placed"))
        .values_list("company_id", "first")
    )
    payments = _first_two_sales(ids)
    return [
        Timeline(
            company_id=pk,
            registered=registered,
            verified=verified,
            first_basket=baskets.get(pk),
            first_order=orders.get(pk),
            first_payment=payments.get(pk, (None, None))[0],
            repeat_order=payments.get(pk, (None, None))[1],
        )
        for pk, registered, verified in base
    ]


def _first_two_sales(ids: QuerySet) -> dict[int, tuple[datetime | None, datetime | None]]:
    """company id → (first sale, first sale of a second order), from the facts in one query."""
    inner, params = ids.query.sql_with_params()
    sql = f"""
        SELECT company_id, at, n FROM (
            SELECT company_id, at, ROW_NUMBER() OVER (PARTITION BY company_id ORDER BY at, order_id) AS n
            FROM (
                SELECT company_id, order_id, MIN(occurred_at) AS at FROM {FACTS}
                WHERE kind = %s AND company_id IN ({inner})
                GROUP BY company_id, order_id
            ) o
        ) r WHERE n <= 2
    """  # noqa: S608
    found: dict[int, list] = {}
    for company_id, at, n in _rows(sql, [FactKind.SALE.value, *params]):
        found.setdefault(company_id, [None, None])[n - 1] = _as_datetime(at)
    return {k: (v[0], v[1]) for k, v in found.items()}


# --- sales cycle -----------------------------------------------------------------------------------


def first_sales(filters: Filters) -> list[FirstSale]:
    """Each company's first ``sale`` over all history up to the period's end within the other
    filters (region, supplier, category, salesperson, tier on the facts), when it falls in the
    period; with the company's registration and the last assignment to the salesperson credited
    with that sale before it (member_tiers' history). One query."""
    where, params = _where(replace(filters, period=None))
    if filters.period is not None:
        where += " AND date <= %s"
        params.append(filters.period.end)
    assigned, assigned_params = "NULL", []
    if member_tiers_installed():
        from plugins.member_tiers.selectors import salesperson_assignments

        inner, assigned_params = salesperson_assignments().query.sql_with_params()
        assigned = f"""(SELECT MAX(a.created_at) FROM ({inner}) a
            WHERE a.assigned_company_id = f.company_id AND a.to_user_id = f.salesperson_id
            AND a.created_at <= f.occurred_at)"""  # noqa: S608
    start_clause, start_params = ("", [])
    if filters.period is not None:
        start_clause, start_params = " AND f.date >= %s", [filters.period.start]
    sql = f"""
        WITH f AS (
            SELECT company_id, date, occurred_at, salesperson_id, salesperson_name,
                   ROW_NUMBER() OVER (PARTITION BY company_id ORDER BY occurred_at, order_id, id) AS n
            FROM {FACTS} WHERE {where} AND kind = %s AND company_id IS NOT NULL
        )
        SELECT f.company_id, f.date, f.salesperson_id, f.salesperson_name,
               CASE WHEN c.created_at < c.applied_at THEN c.created_at ELSE c.applied_at END,
               {assigned}
        FROM f LEFT JOIN {COMPANIES} c ON c.id = f.company_id
        WHERE f.n = 1{start_clause}
        ORDER BY f.company_id
    """  # noqa: S608
    rows = _rows(sql, [*params, FactKind.SALE.value, *assigned_params, *start_params])
    return [
        FirstSale(
            company_id=company_id,
            day=_as_date(day),
            salesperson_id=salesperson_id,
            salesperson_name=salesperson_name or "",
            registered=_as_datetime(registered),
            assigned=_as_datetime(assigned_at),
        )
        for company_id, day, salesperson_id, salesperson_name, registered, assigned_at in rows
    ]


# --- customer value ------------------------------------------------------------------------------------


def rfm_rows(filters: Filters) -> list[CompanyRfm]:
    """Each company's recency, frequency and monetary value in the filter (see ``measures``):
    companies with net revenue above zero and a sale in the period. One grouped query."""
    where, params = _where(filters)
    sql = f"""
        SELECT company_id, MAX(company_name), SUM(revenue),
               COUNT(DISTINCT CASE WHEN kind = 'sale' THEN order_id END)
               - COUNT(DISTINCT CASE WHEN kind = 'cancellation' THEN order_id END),
               MAX(CASE WHEN kind = 'sale' THEN date END)
        FROM {FACTS} WHERE {where} AND company_id IS NOT NULL
        GROUP BY company_id
        HAVING SUM(revenue) > 0 AND MAX(CASE WHEN kind = 'sale' THEN date END) IS NOT NULL
        ORDER BY company_id
    """  # noqa: S608
    end = filters.period.end if filters.period else timezone.localdate()
    return [
        CompanyRfm(company_id, name or "", (end - _as_date(last)).days, orders, revenue)
        for company_id, name, revenue, orders, last in _rows(sql, params)
    ]


def value_grades(filters: Filters) -> dict[str, int] | None:
    """member_tiers' value grade → how many of the covered companies have it ("" for no grade yet,
    a company without a membership included); None when member_tiers is not installed. Two queries."""
    if not member_tiers_installed():
        return None
    covered = companies(filters)
    counts = dict(
        _members()
        .filter(company_id__in=covered.values("pk"))
        .values("grade")
        .annotate(n=Count("company_id"))
        .values_list("grade", "n")
    )
    ungraded = covered.count() - sum(counts.values())
    counts[""] = counts.get("", 0) + ungraded
    return counts


def finance_installed() -> bool:
    return apps.is_installed("plugins.finance")


def payment_behaviour(company_ids: list[int], filters: Filters) -> dict:
    """finance's payment behaviour of the companies over the period (company id → its
    ``CompanyPayments``); call only with finance installed and a period. Two queries."""
    from plugins.finance.selectors.payment_behaviour import payment_behaviour as read

    return read(company_ids, filters.period.start, filters.period.end)
