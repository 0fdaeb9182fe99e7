"""Supplier settlement (结算): what the platform owes each supplier, batched per supplier and
period, confirmed by the supplier in its portal and paid by finance.

A supplier order is **settleable** when it is delivered (state delivered or completed), its
after-sales window (``FINANCE_AFTER_SALES_DAYS`` days after ``delivered_at``) is over, it was
delivered by the end of the batch's period and it is in no live batch (a batch that is not
cancelled). Orders delivered before the period that were never settled are taken along, so
nothing is left behind.

One line per supplier order (figures in yuan, to the fen):

- goods = the sum of its lines; commission = Σ line total × rate (the supplier's rate or its
  category override, ``services.commission``), summed exactly and rounded **once per supplier
  order** (ROUND_HALF_UP); freight = its freight share;
- refunds = refunds executed before it was settled (their allocations: goods + freight −
  commission; only allocations for which no ``clawback:<id>`` entry was posted);
- payable = goods − commission + freight − refunds.

Plus one line per **clawback** (a refund executed after its supplier order was settled: the
refunds area posted ``clawback:<allocation id>``, the supplier owes it back) not yet netted in a
live batch: refunds = goods + freight − commission of the allocation, payable = −refunds.

The batch: payable = max(0, Σ line payable − netted), where netted is the debit balance the
supplier carried from its earlier confirmed batches (what a batch could not net because the
supplier owed more than it earned); a debit left over carries to the next batch.

Lifecycle (core.statemachine, audited in core.TransitionLog):

=========  ==============================  =====================================================
from       to                              by
=========  ==============================  =====================================================
draft      confirmed, disputed             the supplier's staff in the portal (confirm posts
                                           ``settlement:<number>``; refused when the figures
                                           changed since the draft: finance refreshes it first)
draft      cancelled                       finance (its supplier orders become settleable again)
disputed   draft (refresh), cancelled      finance
confirmed  paid                            finance, with a unique payout reference (posts
                                           ``payout:<number>``)
=========  ==============================  =====================================================

A supplier has at most one open (draft or disputed) batch: drafting locks the supplier's row.
The batch's lines are computed in a fixed number of queries whatever the number of orders: on
PostgreSQL one ``INSERT … SELECT`` (the rates go in as a VALUES list, one row per product of the
supplier's lines, exact ``numeric`` arithmetic and ``ROUND`` half away from zero = ROUND_HALF_UP);
elsewhere the reference computation in Python (``engine="python"``; the tests hold both equal).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.access import supplier_partner_ids
from core.money import ZERO, fen, to_fen
from core.numbering import next_number
from core.statemachine import StateMachine
from plugins.finance import chart
from plugins.finance.access import may_manage_finance
from plugins.finance.models import (
    CategoryCommission,
    JournalEntry,
    Refund,
    RefundAllocation,
    SettlementBatch,
    SettlementLine,
)
from plugins.finance.services import commission as rates
from plugins.finance.services.ledger import SHANGHAI, account, business_date, post

Partner = get_model("partner", "Partner")
S = SettlementBatch.State
LIVE = (S.DRAFT, S.DISPUTED, S.CONFIRMED, S.PAID)
OPEN = (S.DRAFT, S.DISPUTED)
SETTLED = (S.CONFIRMED, S.PAID)
VIA_PORTAL, VIA_BACK_OFFICE = "portal", "back office"

MACHINE = StateMachine(
    name="settlement_batch",
    transitions={
        S.DRAFT: frozenset({S.CONFIRMED, S.DISPUTED, S.CANCELLED}),
        S.DISPUTED: frozenset({S.DRAFT, S.CANCELLED}),
        S.CONFIRMED: frozenset({S.PAID}),
        S.PAID: frozenset(),
        S.CANCELLED: frozenset(),
    },
    labels=dict(S.choices),
    subject=gettext_lazy("Settlement batch %(subject)s"),
    timestamps={S.CONFIRMED: "confirmed_at", S.PAID: "paid_at"},
)


def after_sales_days() -> int:
    return int(getattr(settings, "FINANCE_AFTER_SALES_DAYS", 7))


@dataclass(frozen=True)
class Figures:
    """Totals of a batch's supplier-order lines, with the refunds split for the posting."""

    count: int = 0
    goods: Decimal = ZERO
    commission: Decimal = ZERO
    freight: Decimal = ZERO
    refunds: Decimal = ZERO  # refund_goods_freight − refund_commission
    refund_goods_freight: Decimal = ZERO
    refund_commission: Decimal = ZERO

    @property
    def payable(self) -> Decimal:
        return self.goods - self.commission + self.freight - self.refunds

    def shown(self) -> tuple:
        """What the supplier saw (compared when it confirms)."""
        return (self.count, self.goods, self.commission, self.freight, self.refunds)


# --- who may -----------------------------------------------------------------------------------


def _refuse(message: str, field: str = "batch", code: str = "invalid") -> None:
    raise ValidationError({field: ValidationError(message, code=code)})


def _require_finance(by) -> None:
    if not may_manage_finance(by):
        _refuse(_("Only the platform's finance staff may do this."), code="forbidden")


def _require_supplier_staff(batch: SettlementBatch, by) -> None:
    if batch.supplier_id not in supplier_partner_ids(by):
        _refuse(_("Only the supplier's own staff may confirm or dispute its settlement."), code="forbidden")


# --- what is settleable ------------------------------------------------------------------------


def cutoff(period_end: date, now: datetime | None = None) -> Q:
    """Delivered by the end of ``period_end`` (Beijing) and at least the after-sales window ago."""
    now = now or timezone.now()
    end = datetime.combine(period_end + timedelta(days=1), time.min, tzinfo=SHANGHAI)
    return Q(delivered_at__lt=end, delivered_at__lte=now - timedelta(days=after_sales_days()))


def settleable(supplier_id: int, period_end: date, now: datetime | None = None) -> QuerySet:
    """The supplier's orders a new batch ending ``period_end`` would settle."""
    from plugins.s2b2b_orders.models import State, SupplierOrder

    in_live_batch = SettlementLine.objects.filter(supplier_order=OuterRef("pk"), batch__state__in=LIVE)
    return (
        SupplierOrder.objects.filter(partner_id=supplier_id, state__in=(State.DELIVERED, State.COMPLETED))
        .filter(cutoff(period_end, now))
        .exclude(Exists(in_live_batch))
    )


def _clawback_posted() -> Exists:
    key = Concat(Value("clawback:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    return Exists(JournalEntry.objects.filter(key=key))


def pending_clawbacks(supplier_id: int) -> QuerySet:
    """Refund allocations of the supplier that were clawed back (posted) and are in no live batch."""
    netted = SettlementLine.objects.filter(refund_allocation=OuterRef("pk"), batch__state__in=LIVE)
    return (
        RefundAllocation.objects.filter(supplier_order__partner_id=supplier_id)
        .filter(_clawback_posted())
        .exclude(Exists(netted))
        .order_by("pk")
    )


def carried_debit(supplier_id: int) -> Decimal:
    """What the supplier still owes the platform after its confirmed and paid batches (≥ 0):
    Σ (payable − (goods − commission + freight − refunds)) telescopes to the last carry-out."""
    row = SettlementBatch.objects.filter(supplier_id=supplier_id, state__in=SETTLED).aggregate(
        p=Sum("payable"), g=Sum("goods"), c=Sum("commission"), f=Sum("freight"), r=Sum("refunds")
    )
    if row["p"] is None:
        return ZERO
    return fen(row["p"] - (row["g"] - row["c"] + row["f"] - row["r"]))


# --- the lines ---------------------------------------------------------------------------------


def _rates_for(supplier_id: int, supplier_orders: QuerySet) -> tuple[Decimal, dict[int, Decimal]]:
    """(the supplier's own rate, product id → rate where an override applies): one query for the
    products of the lines plus the rate table's (at most four)."""
    from plugins.s2b2b_orders.models import SupplierOrderLine

    table = rates.rate_table([supplier_id], [])
    default = table.rate(supplier_id, None)
    if not CategoryCommission.objects.filter(supplier_id=supplier_id).exists():
        return default, {}
    product_ids = set(
        SupplierOrderLine.objects.filter(supplier_order__in=supplier_orders)
        .values_list("order_line__product_id", flat=True)
        .distinct()
        .order_by()
    )
    product_ids.discard(None)
    table = rates.rate_table([supplier_id], product_ids)
    overrides = {pid: table.rate(supplier_id, pid) for pid in product_ids}
    return default, {pid: rate for pid, rate in overrides.items() if rate != default}


def _refunds_before(supplier_orders: QuerySet) -> QuerySet:
    """Executed refunds' allocations to these supplier orders that were not clawed back."""
    return RefundAllocation.objects.filter(
        supplier_order__in=supplier_orders, refund__state=Refund.State.REFUNDED
    ).exclude(_clawback_posted())


def _effective_rate(raw: Decimal, goods: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    if lo == hi:
        return lo
    if goods == 0:
        return lo
    return (fen(raw) / goods).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _lines_python(batch, supplier_orders: QuerySet, default: Decimal, overrides: dict[int, Decimal], write: bool):
    """The reference computation (and SQLite's): Figures, and the lines written when ``write``."""
    from plugins.s2b2b_orders.models import SupplierOrderLine

    freight = dict(supplier_orders.values_list("pk", "freight").order_by())
    per: dict[int, list] = {pk: [ZERO, ZERO, None, None] for pk in freight}  # goods, raw, lo, hi
    for so_id, product_id, total in (
        SupplierOrderLine.objects.filter(supplier_order__in=supplier_orders)
        .values_list("supplier_order_id", "order_line__product_id")
        .annotate(total=Sum("line_total"))
        .order_by()
    ):
        rate = overrides.get(product_id, default)
        row = per[so_id]
        row[0] += total
        row[1] += total * rate
        row[2] = rate if row[2] is None else min(row[2], rate)
        row[3] = rate if row[3] is None else max(row[3], rate)
    refunds = {
        so_id: (gf, c)
        for so_id, gf, c in _refunds_before(supplier_orders)
        .values_list("supplier_order_id")
        .annotate(gf=Sum(F("goods") + F("freight")), c=Sum("commission"))
        .values_list("supplier_order_id", "gf", "c")
        .order_by()
    }
    lines, totals = [], [0, ZERO, ZERO, ZERO, ZERO, ZERO, ZERO]
    for so_id, (goods, raw, lo, hi) in per.items():
        commission = fen(raw)
        rate = default if lo is None else _effective_rate(raw, goods, lo, hi)
        gf, c = refunds.get(so_id, (ZERO, ZERO))
        line = SettlementLine(
            batch=batch,
            supplier_order_id=so_id,
            goods=goods,
            commission_rate=rate,
            commission=commission,
            freight=freight[so_id],
            refunds=gf - c,
            payable=goods - commission + freight[so_id] - (gf - c),
        )
        for i, value in enumerate((1, goods, commission, freight[so_id], gf - c, gf, c)):
            totals[i] += value
        if write:
            lines.append(line)
    if write and lines:
        SettlementLine.objects.bulk_create(lines)
    return Figures(*totals)


def _figures_sql(supplier_orders: QuerySet, default: Decimal, overrides: dict[int, Decimal]) -> tuple[str, list]:
    """The CTE ``figures(id, goods, rate, commission, freight, refunds, refund_gf, refund_c)``."""
    from plugins.s2b2b_orders.models import SupplierOrderLine

    OrderLine = get_model("order", "Line")
    scope, scope_params = supplier_orders.values("pk", "freight").order_by().query.sql_with_params()
    params: list = list(scope_params)
    if overrides:
        values = ", ".join(["(%s::integer, %s::numeric)"] * len(overrides))
        for pid, rate in overrides.items():
            params += [pid, rate]
        rates_sql = f"VALUES {values}"
    else:
        rates_sql = "SELECT NULL::integer, NULL::numeric WHERE false"
    refund_scope = _refunds_before(supplier_orders).values("pk").order_by()
    refund_sql, refund_params = refund_scope.query.sql_with_params()
    # table names come from the models, every value is a bound parameter
    sql = f"""
        WITH so(id, freight) AS ({scope}),
        rates(product_id, rate) AS ({rates_sql}),
        goods AS (
            SELECT l.supplier_order_id AS id, SUM(l.line_total) AS goods,
                   SUM(l.line_total * COALESCE(r.rate, %s::numeric)) AS raw,
                   MIN(COALESCE(r.rate, %s::numeric)) AS lo, MAX(COALESCE(r.rate, %s::numeric)) AS hi
            FROM {SupplierOrderLine._meta.db_table} l
            JOIN so ON so.id = l.supplier_order_id
            JOIN {OrderLine._meta.db_table} ol ON ol.id = l.order_line_id
            LEFT JOIN rates r ON r.product_id = ol.product_id
            GROUP BY l.supplier_order_id
        ),
        refunds AS (
            SELECT ra.supplier_order_id AS id, SUM(ra.goods + ra.freight) AS gf, SUM(ra.commission) AS c
            FROM {RefundAllocation._meta.db_table} ra
            WHERE ra.id IN ({refund_sql})
            GROUP BY ra.supplier_order_id
        ),
        figures AS (
            SELECT so.id,
                   COALESCE(g.goods, 0) AS goods,
                   CASE WHEN g.lo IS NULL THEN %s::numeric WHEN g.lo = g.hi OR g.goods = 0 THEN g.lo
                        ELSE ROUND(ROUND(g.raw, 2) / g.goods, 4) END AS rate,
                   ROUND(COALESCE(g.raw, 0), 2) AS commission,
                   so.freight,
                   COALESCE(rf.gf, 0) - COALESCE(rf.c, 0) AS refunds,
                   COALESCE(rf.gf, 0) AS refund_gf,
                   COALESCE(rf.c, 0) AS refund_c
            FROM so LEFT JOIN goods g ON g.id = so.id LEFT JOIN refunds rf ON rf.id = so.id
        )
    """  # noqa: S608
    params += [default, default, default, *refund_params, default]
    return sql, params


_TOTALS = """SELECT COUNT(*), COALESCE(SUM(goods), 0), COALESCE(SUM(commission), 0), COALESCE(SUM(freight), 0),
    COALESCE(SUM(refunds), 0), COALESCE(SUM(refund_gf), 0), COALESCE(SUM(refund_c), 0) FROM figures"""


def _lines_sql(batch, supplier_orders: QuerySet, default: Decimal, overrides: dict[int, Decimal], write: bool):
    """One statement (one snapshot): the lines inserted by a data-modifying CTE, the totals read
    from the same figures."""
    cte, params = _figures_sql(supplier_orders, default, overrides)
    if write:
        cte += f""", written AS (
            INSERT INTO {SettlementLine._meta.db_table}
                (batch_id, supplier_order_id, goods, commission_rate, commission, freight, refunds, payable)
            SELECT %s, id, goods, rate, commission, freight, refunds, goods - commission + freight - refunds
            FROM figures RETURNING 1
        )"""  # noqa: S608
        params = [*params, batch.pk]
    with connection.cursor() as cursor:
        cursor.execute(f"{cte} {_TOTALS}", params)
        count, *money = cursor.fetchone()
    return Figures(count, *(fen(m) for m in money))


def _compute(batch, supplier_orders: QuerySet, *, write: bool, engine: str | None = None) -> Figures:
    default, overrides = _rates_for(batch.supplier_id, supplier_orders)
    engine = engine or ("sql" if connection.vendor == "postgresql" else "python")
    compute = _lines_sql if engine == "sql" else _lines_python
    return compute(batch, supplier_orders, default, overrides, write)


def _batch_orders(batch) -> QuerySet:
    from plugins.s2b2b_orders.models import SupplierOrder

    return SupplierOrder.objects.filter(
        pk__in=SettlementLine.objects.filter(batch=batch, supplier_order__isnull=False).values("supplier_order_id")
    )


def _write_clawbacks(batch) -> Decimal:
    rows = list(pending_clawbacks(batch.supplier_id).values_list("pk", "goods", "freight", "commission"))
    SettlementLine.objects.bulk_create(
        SettlementLine(batch=batch, refund_allocation_id=pk, refunds=g + f - c, payable=-(g + f - c))
        for pk, g, f, c in rows
    )
    return sum((g + f - c for _pk, g, f, c in rows), ZERO)


def _fill(batch: SettlementBatch, *, now: datetime | None = None, engine: str | None = None) -> SettlementBatch:
    """(Re)compute a draft's lines and totals (the caller holds the supplier's lock)."""
    SettlementLine.objects.filter(batch=batch).delete()
    figures = _compute(batch, settleable(batch.supplier_id, batch.period_end, now), write=True, engine=engine)
    clawed = _write_clawbacks(batch)
    if figures.count == 0 and clawed == 0:
        _refuse(
            _(
                "Nothing to settle for %(supplier)s up to %(end)s: no delivered order is past its %(days)d-day after-sales window and no refund is to be clawed back."  # noqa: E501
            )
            % {"supplier": batch.supplier.name, "end": f"{batch.period_end:%Y-%m-%d}", "days": after_sales_days()},
            field="period_end",
            code="empty",
        )
    _set_totals(batch, figures, clawed, carried_debit(batch.supplier_id))
    batch.save()
    return batch


def _set_totals(batch, figures: Figures, clawed: Decimal, netted: Decimal) -> None:
    batch.goods, batch.commission, batch.freight = figures.goods, figures.commission, figures.freight
    batch.refunds = figures.refunds + clawed
    batch.netted = netted
    batch.payable = max(ZERO, figures.payable - clawed - netted)


# --- the use cases -----------------------------------------------------------------------------


def _lock_supplier(supplier_id: int) -> None:
    Partner.objects.select_for_update().filter(pk=supplier_id).exists()


def draft_batch(
    supplier, *, period_start: date, period_end: date, by, now: datetime | None = None, engine: str | None = None
) -> SettlementBatch:
    """A draft batch of everything settleable for ``supplier`` up to ``period_end`` (finance)."""
    _require_finance(by)
    if period_start is None or period_end is None:
        _refuse(_("Give the period's first and last day."), field="period_start")
    if period_end < period_start:
        _refuse(_("The period ends before it starts."), field="period_end")
    if period_end > business_date(now):
        _refuse(_("The period cannot end in the future."), field="period_end")
    with transaction.atomic():
        _lock_supplier(supplier.pk)
        open_batch = SettlementBatch.objects.filter(supplier=supplier, state__in=OPEN).first()
        if open_batch is not None:
            _refuse(
                _("%(supplier)s already has an open settlement batch %(number)s: refresh, settle or cancel it first.")
                % {"supplier": supplier.name, "number": open_batch.number},
                field="supplier",
                code="open_batch",
            )
        batch = SettlementBatch.objects.create(
            number=next_number(SettlementBatch, "JS", now),
            supplier=supplier,
            period_start=period_start,
            period_end=period_end,
            created_by=by if getattr(by, "pk", None) else None,
        )
        return _fill(batch, now=now, engine=engine)


def refresh(batch: SettlementBatch, *, by, now: datetime | None = None) -> SettlementBatch:
    """Recompute a draft (or a disputed batch, which becomes a draft again) from today's data."""
    _require_finance(by)
    with transaction.atomic():
        _lock_supplier(batch.supplier_id)
        locked = SettlementBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.state == S.DISPUTED:
            locked = MACHINE.transition(locked, S.DRAFT, actor=by, via=VIA_BACK_OFFICE, reason=_("Refreshed"))
        elif locked.state != S.DRAFT:
            MACHINE.check(locked, S.DRAFT)
        _fill(locked, now=now)
    batch.refresh_from_db()
    return batch


def _lock_orders(supplier_orders: QuerySet) -> None:
    """Lock the distributors' orders of these supplier orders (one statement, one row back): a
    refund executed at the same time (the refunds area locks its order row) either commits
    first — the figures below then see it and the stale batch is refused — or waits and finds
    its supplier order settled (a clawback)."""
    Order = get_model("order", "Order")
    orders = Order.objects.filter(pk__in=supplier_orders.values("order_id")).select_for_update().values("pk")
    sql, params = orders.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({sql}) AS locked", params)  # noqa: S608


def confirm(batch: SettlementBatch, *, by, now: datetime | None = None) -> SettlementBatch:
    """The supplier's staff confirm a draft: the figures are checked against today's data (a
    refund or a rate change since the draft refuses it), and the settlement posts."""
    _require_supplier_staff(batch, by)
    with transaction.atomic():
        _lock_supplier(batch.supplier_id)
        locked = SettlementBatch.objects.select_for_update().get(pk=batch.pk)
        MACHINE.check(locked, S.CONFIRMED)
        _lock_orders(_batch_orders(locked))
        figures = _compute(locked, _batch_orders(locked), write=False)
        stored = SettlementLine.objects.filter(batch=locked, supplier_order__isnull=False).aggregate(
            g=Sum("goods"), c=Sum("commission"), f=Sum("freight"), r=Sum("refunds")
        )
        count = SettlementLine.objects.filter(batch=locked, supplier_order__isnull=False).count()
        shown = (count, *(fen(stored[k] or ZERO) for k in "gcfr"))
        clawed = fen(
            SettlementLine.objects.filter(batch=locked, refund_allocation__isnull=False).aggregate(r=Sum("refunds"))[
                "r"
            ]
            or ZERO
        )
        expected = SettlementBatch(payable=ZERO)
        _set_totals(expected, figures, clawed, carried_debit(locked.supplier_id))
        if figures.shown() != shown or expected.payable != locked.payable or expected.netted != locked.netted:
            _refuse(
                _(
                    "Settlement batch %(number)s changed since it was drafted (a refund, a rate or a delivery); finance must refresh it before it can be confirmed."  # noqa: E501
                )
                % {"number": locked.number},
                code="stale",
            )
        locked = MACHINE.transition(
            locked, S.CONFIRMED, actor=by, via=VIA_PORTAL, now=now, changes={"confirmed_by": by}
        )
        _post_settlement(locked, figures, by)
    batch.refresh_from_db()
    return batch


def _post_settlement(batch: SettlementBatch, figures: Figures, by) -> JournalEntry | None:
    cost = to_fen(figures.goods + figures.freight - figures.refund_goods_freight)
    commission = to_fen(figures.commission - figures.refund_commission)
    payable = to_fen(figures.payable)
    lines = chart.settlement_lines(cost=cost, commission=commission, payable=payable)
    if len(lines) < 2:
        return None  # only clawbacks (already posted) or nothing left after refunds
    accounts = {
        chart.COST_OF_GOODS: account(chart.COST_OF_GOODS),
        chart.COMMISSION: account(chart.COMMISSION),
        chart.PAYABLE: account(chart.PAYABLE, supplier_id=batch.supplier_id),
    }
    return post(
        key=f"settlement:{batch.number}",
        kind=chart.SETTLEMENT,
        lines=[(accounts[code], amount) for code, amount in lines],
        memo=_("Settlement %(number)s confirmed by %(supplier)s")
        % {"number": batch.number, "supplier": batch.supplier.name},
        by=by,
    )


def dispute(batch: SettlementBatch, *, reason: str, by) -> SettlementBatch:
    """The supplier's staff dispute a draft, with a reason finance answers by refreshing it."""
    _require_supplier_staff(batch, by)
    reason = (reason or "").strip()
    if not reason:
        _refuse(_("Say what is wrong with the settlement."), field="reason", code="required")
    return MACHINE.transition(
        batch, S.DISPUTED, actor=by, via=VIA_PORTAL, reason=reason, changes={"dispute_reason": reason[:255]}
    )


def pay(batch: SettlementBatch, *, payout_reference: str, by, now: datetime | None = None) -> SettlementBatch:
    """Finance paid the supplier the batch's payable (a bank transfer with ``payout_reference``)."""
    _require_finance(by)
    reference = (payout_reference or "").strip()
    if not reference:
        _refuse(_("Give the payout's bank reference."), field="payout_reference", code="required")
    if len(reference) > 64:
        _refuse(_("The payout reference is at most 64 characters."), field="payout_reference")
    duplicate = _("The payout reference %(reference)s was already used for another batch.") % {"reference": reference}
    try:
        return _pay(batch, reference, duplicate, by=by, now=now)
    except IntegrityError:  # the same reference written by a concurrent payout of another batch
        _refuse(duplicate, field="payout_reference", code="duplicate")


def _pay(batch: SettlementBatch, reference: str, duplicate: str, *, by, now) -> SettlementBatch:
    with transaction.atomic():
        if SettlementBatch.objects.filter(payout_reference=reference).exclude(pk=batch.pk).exists():
            _refuse(duplicate, field="payout_reference", code="duplicate")
        locked = MACHINE.transition(
            batch,
            S.PAID,
            actor=by,
            via=VIA_BACK_OFFICE,
            now=now,
            changes={"paid_by": by, "payout_reference": reference},
        )
        cents = to_fen(locked.payable)
        if cents:
            post(
                key=f"payout:{locked.number}",
                kind=chart.PAYOUT,
                lines=[
                    (account(chart.PAYABLE, supplier_id=locked.supplier_id), cents),
                    (account(chart.BANK), -cents),
                ],
                memo=_("Settlement %(number)s paid, reference %(reference)s")
                % {"number": locked.number, "reference": reference},
                by=by,
            )
    batch.refresh_from_db()
    return batch


def cancel(batch: SettlementBatch, *, by, reason: str = "") -> SettlementBatch:
    """Finance drops a draft or disputed batch; its orders and clawbacks become settleable again."""
    _require_finance(by)
    return MACHINE.transition(batch, S.CANCELLED, actor=by, via=VIA_BACK_OFFICE, reason=reason)


# --- commission rates --------------------------------------------------------------------------


def _valid_rate(rate, field: str = "rate") -> Decimal:
    try:
        value = Decimal(str(rate))
    except Exception:
        value = None
    if value is None or not value.is_finite() or not (0 <= value < 1) or value != value.quantize(Decimal("0.0001")):
        _refuse(
            _("A commission rate is a fraction from 0 up to 1 with at most four decimals, e.g. 0.05 for 5 %."), field
        )
    return value


def set_supplier_rate(supplier, *, rate, by) -> Decimal:
    """The supplier's own commission rate (its profile's)."""
    from plugins.s2b2b_orders.models import SupplierProfile
    from plugins.s2b2b_orders.services.profiles import save_profile

    _require_finance(by)
    value = _valid_rate(rate)
    profile = SupplierProfile.objects.filter(partner=supplier).first()
    if profile is None:
        _refuse(_("%(supplier)s has no supplier profile yet.") % {"supplier": supplier.name}, field="supplier")
    profile.commission_rate = value
    save_profile(profile)
    return value


def set_category_rate(supplier, *, category, rate, by) -> CategoryCommission:
    """The supplier's rate for a category (and its sub-categories without their own)."""
    _require_finance(by)
    value = _valid_rate(rate)
    if category is None:
        _refuse(_("Choose a category."), field="category")
    found, _created = CategoryCommission.objects.update_or_create(
        supplier=supplier, category=category, defaults={"rate": value}
    )
    return found


def remove_category_rate(override: CategoryCommission, *, by) -> None:
    _require_finance(by)
    override.delete()
