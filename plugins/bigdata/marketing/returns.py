"""The return on each marketing campaign — the definitions (shown on the page, ``DEFINITIONS``):

**Campaigns.** Each Oscar offer applied without a voucher (``offer:<id>``), each voucher set
(``vouchers:<id>``), each voucher outside any set (``voucher:<id>``) — every discount an order
carries belongs to exactly one of these — and each operator-defined activity (``activity:<id>``).

**Attribution.** An order is attributed to an Oscar campaign when it carries that campaign's
discount (Oscar's ``OrderDiscount``: its offer without a voucher, or a voucher of the set, or the
voucher). It is attributed to an activity when its sale date lies in the activity's period and
it carries a discount of one of the activity's offers (with or without a voucher) or of a voucher
of one of its voucher sets, or it is an order of one of its companies, or it has a line of one of
its products. Only paid orders count: orders whose payment was secured, i.e. with sales facts.

**The period and the filters.** A campaign's orders in the period are its attributed orders
*sold* (payment secured, Asia/Shanghai date) in the period and matching the filters (a sale row
of the order in the region, supplier, category, salesperson, tier chosen). A campaign is judged
by what the orders it brought in came to: their **net revenue** is the sum of all their facts
within the filters — sales less their refunds and cancellations, whenever those happen (cohort
view; freight excluded). **Orders**: those orders less the cancelled ones. **New companies**:
companies whose first paid order ever is one of those orders, not cancelled.

**Cost** = discounts kept + budget. **Discounts kept**: per order, the campaign's discounts on it
(basket and shipping) × the order's net revenue within the filters ÷ the order's sold revenue, to
the fen (half up; 0 when the net is 0 or less) — a cancelled order gave nothing away, a refund
of half the goods takes back half the discount. **Budget** (activities): spread evenly over the
activity's days (the first k days hold ⌊budget × k ÷ days⌋ fen); a period counts the share of
its days. It is not split by region, supplier, category, salesperson or tier: with any of these
filters (a salesperson always sees their own customers only) the cost is the discounts alone.

**ROI** = (net revenue − cost) ÷ cost, in percent to one decimal; "—" when the cost is 0.
The monthly trend applies the same rules to the orders sold in each month.

Memory grows with the attributed orders (one small tuple each), never with the facts: the facts
are summed per order in SQL, filtered by the candidate orders there.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

from plugins.bigdata.backends.base import Filters
from plugins.bigdata.backends.postgres import _where
from plugins.bigdata.marketing import selectors
from plugins.bigdata.marketing.models import Activity
from plugins.bigdata.models import SalesFact

FACTS = SalesFact._meta.db_table
CHUNK = 1000

OFFER, VOUCHER_SET, VOUCHER, ACTIVITY = "offer", "vouchers", "voucher", "activity"
KIND_LABELS = {
    OFFER: _("Promotion"),
    VOUCHER_SET: _("Set of vouchers"),
    VOUCHER: _("Single voucher"),
    ACTIVITY: _("Marketing activity"),
}

DEFINITIONS = (
    (
        _("Attributed order"),
        _(
            "A paid order carrying the campaign's discount (the offer, a voucher of the set, the voucher); for an "
            "activity: sold within its period and carrying a discount of its offers or voucher sets, or placed by "
            "one of its companies, or with a line of one of its products."
        ),
    ),
    (
        _("Net revenue"),
        _(
            "What the attributed orders sold in the period came to within the filters: their sales less their "
            "refunds and cancellations, whenever these happen; freight excluded."
        ),
    ),
    (_("Orders"), _("Attributed orders sold in the period, less those cancelled.")),
    (_("New companies"), _("Companies whose first paid order is an attributed order of the period, not cancelled.")),
    (
        _("Discounts kept"),
        _(
            "The campaign's discounts on each order in proportion to what the order kept of its sold value "
            "(a cancelled order: nothing; half refunded: half), to the fen."
        ),
    ),
    (
        _("Budget"),
        _(
            "An activity's budget spread evenly over its days; the period counts the share of its days. Not counted "
            "when the report is narrowed to a region, supplier, category, salesperson or tier."
        ),
    ),
    (_("Marketing cost"), _("Discounts kept plus budget.")),
    (_("ROI"), _("(net revenue − marketing cost) ÷ marketing cost; — when the cost is 0.")),
)


@dataclass
class Totals:
    discounts: int = 0
    budget: int = 0
    revenue: int = 0
    orders: int = 0
    new_companies: int = 0

    @property
    def cost(self) -> int:
        return self.discounts + self.budget

    @property
    def roi(self) -> Decimal | None:
        return roi(self.revenue, self.cost)


@dataclass
class CampaignReturn(Totals):
    key: str = ""
    kind: str = ""
    name: str = ""
    start: date | None = None
    end: date | None = None
    #: first of month → Totals of the orders sold that month (and the budget's share of it)
    months: dict[date, Totals] = field(default_factory=dict)


def roi(revenue: int, cost: int) -> Decimal | None:
    """(revenue − cost) ÷ cost in percent, one decimal, half up (None when the cost is 0)."""
    if cost == 0:
        return None
    return (Decimal(100 * (revenue - cost)) / Decimal(cost)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def kept(discount: int, net: int, sold: int) -> int:
    """The part of ``discount`` the order kept: discount × net ÷ sold, half up (0 when nothing is kept)."""
    if discount == 0 or sold <= 0 or net <= 0:
        return 0
    quotient, remainder = divmod(discount * net, sold)
    return quotient + (1 if 2 * remainder >= sold else 0)


def budget_share(budget: int, start: date, end: date, first: date, last: date) -> int:
    """The budget of an activity over [start, end] that falls on the days [first, last]."""
    days = (end - start).days + 1
    first, last = max(first, start), min(last, end)
    if last < first:
        return 0

    def through(day: date) -> int:  # the budget of the activity's days up to ``day`` included
        k = (day - start).days + 1
        return budget * k // days

    return through(last) - through(first - timedelta(days=1))


def _month(day: date) -> date:
    return day.replace(day=1)


def _next_month(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def narrowed(filters: Filters) -> bool:
    """Whether the report is narrowed by a dimension (budgets are then not counted)."""
    return bool(
        filters.regions or filters.supplier_ids or filters.category_ids or filters.salesperson_ids or filters.tier_codes
    )


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])  # SQLite returns text


@dataclass(frozen=True)
class OrderSums:
    order_id: int
    company_id: int | None
    sale_date: date
    sold: int  # revenue of its sale rows (all of them)
    net: int  # revenue of all its rows within the filters
    in_filter: bool  # a sale row within the filters
    cancelled: bool


def _order_sums(filters: Filters) -> dict[int, OrderSums]:
    """Per candidate order sold in the period: its sums from the facts (one statement). Candidates
    are the orders carrying a discount and the orders of the activities' companies and products —
    chosen in SQL, so no order id list travels."""
    discount_table = get_model("order", "OrderDiscount")._meta.db_table
    companies = Activity.companies.through._meta.db_table
    products = Activity.products.through._meta.db_table
    dims, params = _where(replace(filters, period=None))
    period = filters.period
    sold_in, having, period_params = "", "", []
    if period is not None:
        # the orders sold in the period (the date index), then their rows of any date
        sold_in = f"AND order_id IN (SELECT order_id FROM {FACTS} WHERE kind = 'sale' AND date BETWEEN %s AND %s)"  # noqa: S608
        having = "HAVING MIN(CASE WHEN kind = 'sale' THEN date END) BETWEEN %s AND %s"
        period_params = [period.start, period.end]
    sql = f"""
        WITH candidates AS (
            SELECT order_id FROM {discount_table} WHERE offer_id IS NOT NULL OR voucher_id IS NOT NULL
            UNION SELECT order_id FROM {FACTS}
                  WHERE kind = 'sale' AND company_id IN (SELECT company_id FROM {companies})
            UNION SELECT order_id FROM {FACTS}
                  WHERE kind = 'sale' AND product_id IN (SELECT product_id FROM {products})
        )
        SELECT order_id, MAX(company_id), MIN(CASE WHEN kind = 'sale' THEN date END),
               SUM(CASE WHEN kind = 'sale' THEN revenue ELSE 0 END),
               SUM(CASE WHEN {dims} THEN revenue ELSE 0 END),
               MAX(CASE WHEN kind = 'sale' AND {dims} THEN 1 ELSE 0 END),
               MAX(CASE WHEN kind = 'cancellation' THEN 1 ELSE 0 END)
        FROM {FACTS} WHERE order_id IN (SELECT order_id FROM candidates) {sold_in}
        GROUP BY order_id {having}
    """  # noqa: S608  (table names are the models', values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params + params + period_params + period_params)
        found = {}
        for order_id, company_id, sale_date, sold, net, in_filter, cancelled in cursor.fetchall():
            if sale_date is None:
                continue  # no sale row (cannot happen for a paid order; kept for safety)
            found[order_id] = OrderSums(
                order_id, company_id, _as_date(sale_date), int(sold), int(net), bool(in_filter), bool(cancelled)
            )
        return found


def _first_orders(company_ids: Iterable[int]) -> dict[int, int]:
    """company id → the order of its first sale ever (by time, then order id)."""
    ids = sorted(set(company_ids))
    found: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        sql = f"""
            SELECT company_id, order_id FROM (
                SELECT company_id, order_id,
                       ROW_NUMBER() OVER (PARTITION BY company_id ORDER BY occurred_at, order_id) AS n
                FROM {FACTS} WHERE kind = 'sale' AND company_id IN ({", ".join(["%s"] * len(chunk))})
            ) ranked WHERE n = 1
        """  # noqa: S608
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            found.update(cursor.fetchall())
    return found


def _orders_with_products(product_ids: set[int], order_ids: set[int]) -> dict[int, set[int]]:
    """product id → the given orders with a sale of it."""
    found: dict[int, set[int]] = defaultdict(set)
    ids = sorted(product_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        sql = (
            f"SELECT DISTINCT product_id, order_id FROM {FACTS} "  # noqa: S608
            f"WHERE kind = 'sale' AND product_id IN ({', '.join(['%s'] * len(chunk))})"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, chunk)
            for product_id, order_id in cursor.fetchall():
                if order_id in order_ids:
                    found[product_id].add(order_id)
    return found


def _add_order(totals: Totals, order: OrderSums, discount: int, first_orders: dict[int, int]) -> None:
    totals.revenue += order.net
    totals.discounts += kept(discount, order.net, order.sold)
    if not order.cancelled:
        totals.orders += 1
        if order.company_id is not None and first_orders.get(order.company_id) == order.order_id:
            totals.new_companies += 1


def campaign_returns(filters: Filters) -> list[CampaignReturn]:
    """Every campaign with orders in the period, and every activity overlapping it, with its
    cost, net revenue, orders, new companies and ROI, and the same per month (``months``).
    Oscar's campaigns come by kind and name, the activities after them by start."""
    period = filters.period
    orders = {o.order_id: o for o in _order_sums(filters).values() if o.in_filter}
    first_orders = _first_orders(o.company_id for o in orders.values() if o.company_id is not None)
    discounts = selectors.discounts_of_orders(orders)

    # Oscar's campaigns: each discount belongs to one of them
    per_campaign: dict[tuple[str, int], dict[int, int]] = defaultdict(lambda: defaultdict(int))
    for d in discounts:
        if d.voucher_id is None:
            key = (OFFER, d.offer_id)
        elif d.voucher_set_id is not None:
            key = (VOUCHER_SET, d.voucher_set_id)
        else:
            key = (VOUCHER, d.voucher_id)
        per_campaign[key][d.order_id] += d.amount
    names = {
        OFFER: selectors.offer_names(k for kind, k in per_campaign if kind == OFFER),
        VOUCHER_SET: selectors.voucher_set_names(k for kind, k in per_campaign if kind == VOUCHER_SET),
        VOUCHER: selectors.voucher_codes(k for kind, k in per_campaign if kind == VOUCHER),
    }
    fallback = {}  # names as the discount recorded them, for offers or vouchers deleted since
    for d in discounts:
        fallback.setdefault((OFFER, d.offer_id), d.offer_name)
        fallback.setdefault((VOUCHER, d.voucher_id), d.voucher_code)

    results = []
    for (kind, pk), by_order in sorted(per_campaign.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        campaign = CampaignReturn(
            key=f"{kind}:{pk}", kind=kind, name=names[kind].get(pk) or fallback.get((kind, pk), "") or str(pk)
        )
        for order_id, amount in sorted(by_order.items()):
            _add(campaign, orders[order_id], amount, first_orders)
        results.append(campaign)

    # the operator's activities
    by_order_discounts: dict[int, list[selectors.Discount]] = defaultdict(list)
    for d in discounts:
        by_order_discounts[d.order_id].append(d)
    found = list(selectors.activities(period.start if period else None, period.end if period else None))
    product_ids = {p.pk for a in found for p in a.products.all()}
    with_products = _orders_with_products(product_ids, set(orders)) if product_ids else {}
    by_company: dict[int, list[int]] = defaultdict(list)
    for o in orders.values():
        if o.company_id is not None:
            by_company[o.company_id].append(o.order_id)
    budget_counts = not narrowed(filters)
    for activity in found:
        offers = {o.pk for o in activity.offers.all()}
        sets = {s.pk for s in activity.voucher_sets.all()}
        attributed: dict[int, int] = {}  # order → the activity's discounts on it
        for order_id, ds in by_order_discounts.items():
            mine = [d for d in ds if d.offer_id in offers or (d.voucher_set_id in sets)]
            if mine:
                attributed[order_id] = sum(d.amount for d in mine)
        for company in activity.companies.all():
            for order_id in by_company.get(company.pk, ()):
                attributed.setdefault(order_id, 0)
        for product in activity.products.all():
            for order_id in with_products.get(product.pk, ()):
                attributed.setdefault(order_id, 0)
        campaign = CampaignReturn(
            key=f"{ACTIVITY}:{activity.pk}", kind=ACTIVITY, name=activity.name, start=activity.start, end=activity.end
        )
        for order_id, amount in sorted(attributed.items()):
            order = orders[order_id]
            if activity.start <= order.sale_date <= activity.end:
                _add(campaign, order, amount, first_orders)
        if budget_counts:
            _add_budget(campaign, activity, filters)
        results.append(campaign)
    for campaign in results:
        campaign.months = dict(sorted(campaign.months.items()))
    return results


def _add(campaign: CampaignReturn, order: OrderSums, discount: int, first_orders: dict[int, int]) -> None:
    _add_order(campaign, order, discount, first_orders)
    _add_order(campaign.months.setdefault(_month(order.sale_date), Totals()), order, discount, first_orders)


def _add_budget(campaign: CampaignReturn, activity: Activity, filters: Filters) -> None:
    first, last = activity.start, activity.end
    if filters.period is not None:
        first, last = max(first, filters.period.start), min(last, filters.period.end)
    if last < first:
        return
    campaign.budget += budget_share(activity.budget, activity.start, activity.end, first, last)
    month = _month(first)
    while month <= last:
        month_end = min(last, _next_month(month) - timedelta(days=1))
        share = budget_share(activity.budget, activity.start, activity.end, max(first, month), month_end)
        if share:
            campaign.months.setdefault(month, Totals()).budget += share
        month = _next_month(month)
