"""Read side of refunds (退款单): what was received for an order, what is refunded or still
refundable, each line's refunded quantity and amount, refunds per supplier order; and the refund
lists scoped to who asks (operators: all; a company's 财务/admin: its own; anyone else: none).

"Received for an order" (the ceiling of its refunds):

- on account: the credit charged for it — the reservation less what its cancellation released
  (its 112201 postings other than credit refunds);
- otherwise: its approved receipt allocations plus payments recorded before receipts existed
  (the kernel's ``paid`` payment event whose reference does not start with ``receipt:``).

A refund *holds* its amount from the moment it is requested: requested, approved and refunded
refunds together may never exceed what was received ("committed"). "Refunded" (what the plan's
ceiling subtracts and what statements show) counts approved and refunded ones.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from oscar.core.loading import get_model

from core import access
from core.money import ZERO, fen, from_fen
from core.orders import payments
from plugins.finance import chart
from plugins.finance.models import Posting, ReceiptAllocation, Refund, RefundAllocation, RefundLine
from plugins.finance.selectors.ledger import is_on_account

#: refunds that hold part of what was received
LIVE = (Refund.State.REQUESTED, Refund.State.APPROVED, Refund.State.REFUNDED)
#: refunds that count as refunded
DECIDED = (Refund.State.APPROVED, Refund.State.REFUNDED)
#: the kinds whose 112201 postings for an order are its credit charged (reserved − released)
CHARGE_KINDS = (chart.CREDIT_RESERVE, chart.CREDIT_REVERT, chart.REVERSAL)


def method_of(order) -> str:
    """How the order was paid, as the refund goes back: on account (credit restored) or transfer."""
    return Refund.Method.ON_ACCOUNT if is_on_account(order.number) else Refund.Method.TRANSFER


def received_for_order(order) -> Decimal:
    """What the platform received for the order (see the module docstring), to the fen."""
    if is_on_account(order.number):
        cents = (
            Posting.objects.filter(
                entry__order_number=order.number,
                entry__kind__in=CHARGE_KINDS,
                account__code=chart.RECEIVABLE_ON_ACCOUNT,
            ).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        return from_fen(max(cents, 0))
    PaymentEvent = get_model("order", "PaymentEvent")
    allocated = (
        ReceiptAllocation.objects.filter(order_id=order.pk, receipt__state="approved").aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    legacy = (
        PaymentEvent.objects.filter(order_id=order.pk, event_type__code=payments.PAID)
        .exclude(reference__startswith="receipt:")
        .aggregate(s=Sum("amount"))["s"]
        or ZERO
    )
    return fen(allocated + legacy)


def _sum(refunds: QuerySet) -> Decimal:
    return fen(refunds.aggregate(s=Sum("amount"))["s"] or ZERO)


def refunded_for_order(order) -> Decimal:
    """Approved and executed refunds of the order."""
    return _sum(Refund.objects.filter(order_id=order.pk, state__in=DECIDED))


def committed_for_order(order, *, excluding: int | None = None) -> Decimal:
    """Requested, approved and executed refunds of the order (optionally without one of them)."""
    refunds = Refund.objects.filter(order_id=order.pk, state__in=LIVE)
    if excluding is not None:
        refunds = refunds.exclude(pk=excluding)
    return _sum(refunds)


def refundable_for_order(order) -> Decimal:
    """What may still be requested: received less every live refund (never negative)."""
    return max(received_for_order(order) - committed_for_order(order), ZERO)


def freight_committed(order, *, excluding: int | None = None) -> Decimal:
    refunds = Refund.objects.filter(order_id=order.pk, state__in=LIVE)
    if excluding is not None:
        refunds = refunds.exclude(pk=excluding)
    return fen(refunds.aggregate(s=Sum("freight_amount"))["s"] or ZERO)


@dataclass(frozen=True)
class LineTaken:
    quantity: int = 0
    amount: Decimal = ZERO


def lines_committed(order, *, excluding: int | None = None) -> dict[int, LineTaken]:
    """order line id → quantity and amount held by the order's live refunds (one query)."""
    rows = RefundLine.objects.filter(refund__order_id=order.pk, refund__state__in=LIVE)
    if excluding is not None:
        rows = rows.exclude(refund_id=excluding)
    return {
        line_id: LineTaken(quantity or 0, fen(amount or ZERO))
        for line_id, quantity, amount in rows.values_list("order_line_id")
        .annotate(q=Sum("quantity"), a=Sum("amount"))
        .values_list("order_line_id", "q", "a")
        .order_by()
    }


@dataclass(frozen=True)
class SupplierShare:
    """Executed refunds of one supplier order: goods and freight given back, the commission the
    platform gives back with them, and what the supplier's payable loses (goods + freight −
    commission)."""

    goods: Decimal = ZERO
    freight: Decimal = ZERO
    commission: Decimal = ZERO

    @property
    def clawback(self) -> Decimal:
        return self.goods + self.freight - self.commission


def refunded_by_supplier_order(ids) -> dict[int, SupplierShare]:
    """supplier order id → its share of executed (state refunded) refunds (one query)."""
    rows = (
        RefundAllocation.objects.filter(supplier_order_id__in=list(ids), refund__state=Refund.State.REFUNDED)
        .values_list("supplier_order_id")
        .annotate(g=Sum("goods"), f=Sum("freight"), c=Sum("commission"))
        .values_list("supplier_order_id", "g", "f", "c")
        .order_by()
    )
    return {so: SupplierShare(fen(g or ZERO), fen(f or ZERO), fen(c or ZERO)) for so, g, f, c in rows}


def clawed_back_allocation_ids(ids=None) -> set[int]:
    """Refund allocations whose supplier order had been settled when the refund was executed:
    a ``clawback:<id>`` entry was posted for them (the supplier owes it; netted in its next
    settlement batch by a SettlementLine with ``refund_allocation``)."""
    keys = Posting.objects.filter(entry__kind=chart.CLAWBACK, entry__key__startswith="clawback:")
    found = {int(key.split(":", 1)[1]) for key in keys.values_list("entry__key", flat=True).distinct()}
    return found if ids is None else found & set(ids)


# -- lists, scoped ------------------------------------------------------------------------------


def refunds_for(user, *, state: str = "", reason: str = "", search: str = "") -> QuerySet[Refund]:
    """Operators: every refund; a company's 财务/admin: its company's; anyone else: none."""
    from plugins.finance.access import company_for_finance

    qs = Refund.objects.select_related("order", "company", "requested_by", "decided_by", "refunded_by")
    if not access.is_operator(user):
        company = company_for_finance(user) if getattr(user, "is_authenticated", False) else None
        if company is None:
            return qs.none()
        qs = qs.filter(company=company)
    if state:
        qs = qs.filter(state=state)
    if reason:
        qs = qs.filter(reason=reason)
    if search:
        search = search.strip()
        qs = qs.filter(Q(number__icontains=search) | Q(order__number__icontains=search))
    return qs.order_by("-requested_at", "-id")


def refund_for(user, number: str) -> Refund | None:
    return (
        refunds_for(user)
        .prefetch_related("lines__order_line", "allocations__supplier_order__partner")
        .filter(number=number)
        .first()
    )


def refunds_of_order(order) -> list[Refund]:
    return list(Refund.objects.filter(order_id=order.pk).prefetch_related("lines__order_line").order_by("-id"))


def executed_refunds_of_orders(order_ids) -> list[Refund]:
    """The refunds paid back (state refunded) for the given orders, with their lines, oldest first
    (two queries): what the analytics plugin turns into refund facts."""
    return list(
        Refund.objects.filter(order_id__in=list(order_ids), state=Refund.State.REFUNDED)
        .prefetch_related("lines")
        .order_by("refunded_at", "id")
    )
