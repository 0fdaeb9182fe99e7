"""Demo refunds (called by plugins.finance.demo after receipts and invoices, before settlement):

- a sales return on a paid transfer order, approved and paid back (before any supplier payout);
- a sales allowance waiting in the queue (待审核) for the operator to approve;
- when a paid settlement batch exists already (the settlement demo ran first), an allowance on a
  settled supplier order, paid back: the supplier owes its share (``clawback:<id>``).

Idempotent: nothing is added when refunds exist already."""

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.demo import data
from core.money import fen
from core.orders import status as order_status
from plugins.finance.models import Refund, SettlementLine
from plugins.finance.selectors import refunds as selectors
from plugins.finance.services import refunds as services

User = get_user_model()
Order = get_model("order", "Order")


def _candidates():
    """Paid transfer orders of a company, not cancelled, split into supplier orders, newest first."""
    from core.orders import payments

    orders = payments.paid_orders(Order.objects.filter(company__isnull=False, supplier_orders__isnull=False))
    return orders.exclude(status=order_status.CANCELLED).distinct().order_by("-date_placed", "-id")


def _refundable(order) -> bool:
    return selectors.method_of(order) == Refund.Method.TRANSFER and selectors.refundable_for_order(order) > 0


def _unsettled(order) -> bool:
    return not services.settled_supplier_order_ids(order.supplier_orders.values_list("pk", flat=True))


def seed(report, *, now, rng) -> None:
    if Refund.objects.exists():
        return
    operator = User.objects.filter(email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}").first()
    if operator is None or not operator.is_superuser:
        return
    made = []
    picked = [o for o in _candidates()[:40] if _refundable(o) and _unsettled(o)]
    if picked:
        order = picked[0]
        line = order.lines.order_by("-quantity", "id").first()
        returned = services.request_refund(
            order, reason=Refund.Reason.RETURN, lines=[(line, 1)], note="包装破损，退回一件", by=operator
        )
        services.approve(returned, operator)
        services.execute(returned, payout_reference=f"DEMO-TK-{returned.pk:04d}", by=operator)
        made.append(returned)
    if len(picked) > 1:
        order = picked[1]
        line = order.lines.order_by("id").first()
        allowance = min(fen(line.line_price_incl_tax * rng.choice([5, 8, 10]) / 100), fen(line.line_price_incl_tax))
        made.append(
            services.request_refund(
                order,
                reason=Refund.Reason.ALLOWANCE,
                lines=[(line, 0, max(allowance, fen("0.01")))],
                note="外观瑕疵，协商折让",
                by=operator,
            )
        )
    settled = (
        SettlementLine.objects.filter(batch__state="paid", supplier_order__isnull=False)
        .select_related("supplier_order__order")
        .order_by("id")
    )
    for row in settled[:40]:
        order = row.supplier_order.order
        if order.status == order_status.CANCELLED or not _refundable(order):
            continue
        line = row.supplier_order.lines.order_by("id").first()
        if line is None:
            continue
        amount = max(min(fen(line.line_total * 3 / 100), selectors.refundable_for_order(order)), fen("0.01"))
        after = services.request_refund(
            order,
            reason=Refund.Reason.ALLOWANCE,
            lines=[(line.order_line, 0, amount)],
            note="结算后质量折让，由供应商承担",
            by=operator,
        )
        services.approve(after, operator)
        services.execute(after, payout_reference=f"DEMO-TK-{after.pk:04d}", by=operator)
        made.append(after)
        break
    report.notes.append(_("Refunds: %(count)d refunds (before and after supplier payout).") % {"count": len(made)})
