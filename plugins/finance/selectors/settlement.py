"""Read side of settlement, scoped to who asks: operators see every batch, a supplier's staff only
their supplier's; anyone else nothing. Lists cost a fixed number of queries."""

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet, Sum
from django.db.models.functions import TruncMonth
from oscar.core.loading import get_model

from core.access import is_operator, supplier_partner_ids
from core.money import from_fen
from plugins.finance import chart
from plugins.finance.models import CategoryCommission, Posting, RefundAllocation, SettlementBatch, SettlementLine

Partner = get_model("partner", "Partner")


def batches_for(user, *, state: str = "", supplier_id: int | None = None) -> QuerySet[SettlementBatch]:
    qs = SettlementBatch.objects.select_related("supplier")
    if not is_operator(user):
        qs = qs.filter(supplier_id__in=supplier_partner_ids(user))
    if state:
        qs = qs.filter(state=state)
    if supplier_id:
        qs = qs.filter(supplier_id=supplier_id)
    return qs.order_by("-period_end", "-id")


def batch_for(user, number: str) -> SettlementBatch | None:
    return batches_for(user).select_related("created_by", "confirmed_by", "paid_by").filter(number=number).first()


def lines_of(batch: SettlementBatch) -> QuerySet[SettlementLine]:
    """The batch's lines with their supplier order (and a clawback's refund), in one query."""
    return (
        SettlementLine.objects.filter(batch=batch)
        .select_related(
            "supplier_order",
            "supplier_order__order",
            "refund_allocation__refund",
            "refund_allocation__supplier_order",
        )
        .order_by("id")
    )


def iter_lines(batch: SettlementBatch, chunk: int = 2000) -> Iterator[SettlementLine]:
    """The lines streamed (exports of big batches stay flat in memory)."""
    return lines_of(batch).iterator(chunk_size=chunk)


def suppliers() -> QuerySet:
    return Partner.objects.filter(supplier_profile__isnull=False).select_related("supplier_profile").order_by("name")


def rates_of(supplier) -> list[CategoryCommission]:
    return list(
        CategoryCommission.objects.filter(supplier=supplier).select_related("category").order_by("category__path")
    )


def commission_income(start: date | None = None, end: date | None = None) -> dict:
    """Commission income (佣金收入, account 6051: settlements less clawbacks) by month and
    supplier, in yuan: {"months": [...], "rows": [(supplier, {month: amount}, total)], "totals":
    {month: amount}, "total": amount}. Four queries whatever the size of the books."""
    postings = Posting.objects.filter(account__code=chart.COMMISSION)
    if start:
        postings = postings.filter(entry__posted_on__gte=start)
    if end:
        postings = postings.filter(entry__posted_on__lte=end)
    by_key = (
        postings.annotate(month=TruncMonth("entry__posted_on"))
        .values_list("entry__key", "month")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    rows = list(by_key)
    batches = {
        f"settlement:{number}": supplier
        for number, supplier in SettlementBatch.objects.filter(
            number__in=[k.split(":", 1)[1] for k, _m, _s in rows if k.startswith("settlement:")]
        ).values_list("number", "supplier_id")
    }
    claw_ids = [int(k.split(":", 1)[1]) for k, _m, _s in rows if k.startswith("clawback:") and k[9:].isdigit()]
    clawbacks = {
        f"clawback:{pk}": supplier
        for pk, supplier in RefundAllocation.objects.filter(pk__in=claw_ids).values_list(
            "pk", "supplier_order__partner_id"
        )
    }
    owner = {**batches, **clawbacks}
    table: dict[int | None, dict[date, int]] = defaultdict(lambda: defaultdict(int))
    for key, month, cents in rows:
        month = month.date() if hasattr(month, "date") else month
        table[owner.get(key)][month] -= cents  # income is a credit
    names = dict(Partner.objects.filter(pk__in=[s for s in table if s]).values_list("pk", "name"))
    months = sorted({m for per in table.values() for m in per})
    out_rows = []
    for supplier_id, per in sorted(table.items(), key=lambda kv: names.get(kv[0], "")):
        out_rows.append(
            (names.get(supplier_id, "—"), [from_fen(per.get(m, 0)) for m in months], from_fen(sum(per.values())))
        )
    totals = [from_fen(sum(per.get(m, 0) for per in table.values())) for m in months]
    return {
        "months": months,
        "rows": out_rows,
        "totals": totals,
        "total": sum(totals, Decimal("0.00")),
    }
