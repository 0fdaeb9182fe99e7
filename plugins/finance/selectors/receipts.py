"""Read side of receipts (收款单): what is left of a receipt, a company's unapplied money, what
an order still waits for, and the receipts each party may see."""

from datetime import date
from decimal import Decimal

from django.apps import apps
from django.db.models import Q, QuerySet, Sum
from oscar.core.loading import get_model

from core.access import is_operator
from core.money import from_fen, to_fen
from core.orders import payments
from core.orders import status as order_status
from plugins.finance import chart
from plugins.finance.access import company_for_finance
from plugins.finance.models import Account, Receipt, ReceiptAllocation
from plugins.finance.selectors.ledger import balance, is_on_account

ZERO = Decimal("0.00")


def allocated_of(receipt: Receipt) -> Decimal:
    """What of ``receipt`` is applied to orders that stand (proposed, or posted once approved);
    an order cancelled since gave its part back (the ledger holds it in 2203 again)."""
    return (
        ReceiptAllocation.objects.filter(receipt=receipt)
        .exclude(order__status=order_status.CANCELLED)
        .aggregate(s=Sum("amount"))["s"]
        or ZERO
    )


def left_of(receipt: Receipt) -> Decimal:
    """What of ``receipt`` is not applied to any standing order."""
    return receipt.amount - allocated_of(receipt)


def unapplied_of(company) -> Decimal:
    """The company's money the platform holds with no order to apply it to (its 2203 account:
    approved receipts not applied, plus payments of orders cancelled after payment, less what was
    refunded or written off), in yuan; 0 when it never had any."""
    found = Account.objects.filter(code=chart.UNAPPLIED, company_id=getattr(company, "pk", company)).first()
    return from_fen(-balance(found)) if found else ZERO


def allocated_to_order(order, *, approved_only: bool = False) -> Decimal:
    """What receipts (not void) apply to ``order``; ``approved_only``: only posted allocations."""
    rows = ReceiptAllocation.objects.filter(order=order).exclude(receipt__state=Receipt.State.VOID)
    if approved_only:
        rows = rows.filter(receipt__state=Receipt.State.APPROVED)
    return rows.aggregate(s=Sum("amount"))["s"] or ZERO


def owed_on_account(order) -> Decimal | None:
    """What an order bought on account still owes its credit line (None: not an on-account order)."""
    if not is_on_account(order.number) or not apps.is_installed("plugins.member_tiers"):
        return None
    from plugins.member_tiers.models import CreditAccount
    from plugins.member_tiers.services.credit import outstanding_by_order

    account = CreditAccount.objects.filter(membership__company_id=order.company_id).first()
    if account is None:
        return ZERO
    return outstanding_by_order(account).get(order.number, ZERO)


def due_of(order) -> Decimal:
    """What receipts may still apply to ``order``: nothing once it is cancelled or paid; on account
    what its credit purchase still owes less pending allocations; otherwise its total less what
    receipts already apply to it."""
    if order.status == order_status.CANCELLED:
        return ZERO
    owed = owed_on_account(order)
    if owed is not None:
        pending = (
            ReceiptAllocation.objects.filter(order=order, receipt__state=Receipt.State.PENDING).aggregate(
                s=Sum("amount")
            )["s"]
            or ZERO
        )
        return max(owed - pending, ZERO)
    if payments.is_paid(order):
        return ZERO
    return max(order.total_incl_tax - allocated_to_order(order), ZERO)


def open_orders(company) -> QuerySet:
    """The company's orders a receipt may pay: waiting for payment (bank transfer), or bought on
    account and not yet repaid (the caller checks ``due_of``)."""
    Order = get_model("order", "Order")
    return (
        Order.objects.filter(company=company)
        .exclude(status=order_status.CANCELLED)
        .filter(Q(status=order_status.PENDING_PAYMENT) | Q(number__in=_on_account_numbers(company)))
        .order_by("date_placed", "id")
    )


def _on_account_numbers(company) -> QuerySet:
    from plugins.finance.models import JournalEntry

    return JournalEntry.objects.filter(
        kind=chart.CREDIT_RESERVE, postings__account__company_id=getattr(company, "pk", company)
    ).values("order_number")


def receipts_for(user) -> QuerySet[Receipt]:
    """Receipts ``user`` may see: operators all; a company's 财务/admin its company's; else none."""
    qs = Receipt.objects.select_related("company").order_by("-received_on", "-id")
    if is_operator(user):
        return qs
    company = company_for_finance(user)
    if company is None:
        return qs.none()
    return qs.filter(company=company)


def unclaimed_for(user) -> QuerySet[Receipt]:
    """The 待认领 queue as ``user`` may see it: operators all of it; a company's 财务/admin only the
    transfers whose payer name is its legal name or invoice title (probably its own; claiming still
    asks for proof); anyone else nothing."""
    qs = Receipt.objects.filter(state=Receipt.State.UNCLAIMED).order_by("received_on", "id")
    if is_operator(user):
        return qs
    company = company_for_finance(user)
    if company is None:
        return qs.none()
    names = {n for n in (company.legal_name, company.invoice_title) if n}
    return qs.filter(payer_name__in=names)


def mask_account(account: str) -> str:
    """A payer account as shown to a distributor: the last four digits only."""
    account = (account or "").replace(" ", "")
    return f"****{account[-4:]}" if account else ""


def applied_by_order_and_day(start: date, end: date) -> list[tuple[int, date, int]]:
    """Collections (回款) for analytics: what approved receipts received (the bank's day) from
    ``start`` to ``end``, both included, apply to orders that stand — an order cancelled since gave
    its part back — as (order id, day received, fen), by order then day. Read-only."""
    rows = (
        ReceiptAllocation.objects.filter(
            receipt__state=Receipt.State.APPROVED, receipt__received_on__gte=start, receipt__received_on__lte=end
        )
        .exclude(order__status=order_status.CANCELLED)
        .values("order_id", "receipt__received_on")
        .annotate(total=Sum("amount"))
        .order_by("order_id", "receipt__received_on")
        .values_list("order_id", "receipt__received_on", "total")
    )
    return [(order_id, day, to_fen(total)) for order_id, day, total in rows]
