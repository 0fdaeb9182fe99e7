"""Credit on account: limits, an append-only ledger, atomic reservation at checkout, overdue blocking."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.selectors import on_account_refusal
from core.money import fen, yuan
from core.orders.services import record_payment
from plugins.member_tiers import signals
from plugins.member_tiers.models import ZERO, CreditAccount, CreditEntry, Membership
from storefront.payments import ON_ACCOUNT

Order = get_model("order", "Order")


class CreditRefused(Exception):
    """On-account payment refused; the message is shown to the buyer."""


def _accounts_of(user):
    """The credit account of the company the user buys for (active people only)."""
    return CreditAccount.objects.filter(
        membership__company__members__user=user, membership__company__members__is_active=True
    )


def account_of(user) -> CreditAccount | None:
    return _accounts_of(user).select_related("membership").first()


def _entry(account: CreditAccount, kind: str, amount: Decimal, *, source: str = "", **fields) -> CreditEntry:
    """Record a change of the line; a money movement is also published (``credit_moved``), in
    this transaction and under the account's row lock, so the ledger that owns money owed posts
    it with the movement or refuses it."""
    entry = CreditEntry.objects.create(
        account=account,
        kind=kind,
        amount=amount,
        balance_after=account.balance,
        limit_after=account.limit,
        created_at=timezone.now(),
        **fields,
    )
    if kind in signals.MONEY_KINDS:
        signals.credit_moved.send(
            sender=CreditAccount,
            kind=kind,
            amount=amount,
            company_id=Membership.objects.filter(pk=account.membership_id).values_list("company_id", flat=True)[0],
            order_number=entry.order_number,
            movement_id=entry.pk,
            reason=entry.reason,
            by=entry.created_by,
            at=entry.created_at,
            source=source,
        )
    return entry


@transaction.atomic
def set_credit_line(
    membership: Membership,
    *,
    limit: Decimal,
    payment_terms_days: int,
    allow_exceed: bool = False,
    reason: str,
    by=None,
) -> CreditAccount:
    reason = (reason or "").strip()
    errors = {}
    if limit is None or limit < 0:
        errors["limit"] = _("The credit limit cannot be negative.")
    if payment_terms_days is None or payment_terms_days < 0:
        errors["payment_terms_days"] = _("Payment terms cannot be negative.")
    if not reason:
        errors["reason"] = _("Give a reason for the change.")
    if errors:
        raise ValidationError(errors)
    limit = fen(limit)
    account = CreditAccount.objects.select_for_update().filter(membership=membership).first()
    if account is None:
        account = CreditAccount.objects.create(
            membership=membership, limit=limit, payment_terms_days=payment_terms_days, allow_exceed=allow_exceed
        )
        _entry(account, CreditEntry.ALLOCATED, limit, reason=reason, created_by=by)
        return account
    change = limit - account.limit
    account.limit, account.payment_terms_days, account.allow_exceed = limit, payment_terms_days, allow_exceed
    account.save(update_fields=["limit", "payment_terms_days", "allow_exceed"])
    _entry(account, CreditEntry.UPDATED, change, reason=reason, created_by=by)
    return account


def overdue(account: CreditAccount, today: date | None = None) -> tuple[date, Decimal] | None:
    """The oldest unpaid purchase past its due date (repayments settle purchases oldest first)."""
    today = today or timezone.localdate()
    entries = CreditEntry.objects.filter(account=account)
    repaid = -(
        entries.filter(kind__in=[CreditEntry.REIMBURSED, CreditEntry.REFUNDED, CreditEntry.REVERTED]).aggregate(
            s=Sum("amount")
        )["s"]
        or ZERO
    )
    cumulative = ZERO
    for purchase in entries.filter(kind=CreditEntry.PURCHASED).order_by("created_at", "id"):
        cumulative += purchase.amount
        if cumulative > repaid:
            if purchase.due_date and purchase.due_date < today:
                return purchase.due_date, min(cumulative - repaid, purchase.amount)
            return None
    return None


def _no_credit_line() -> str:
    return _("Your company has no credit line; choose bank transfer or ask us for one.")


def _refusal(account: CreditAccount, amount: Decimal) -> str | None:
    """Why ``account`` cannot take an order of ``amount`` now (overdue, or not enough credit)."""
    late = overdue(account)
    if late is not None:
        return _(
            "%(amount)s on your account was due on %(date)s and is still unpaid; pay it before ordering on account."
        ) % {"amount": yuan(late[1]), "date": late[0].isoformat()}
    if not account.allow_exceed and account.balance + amount > account.limit:
        return _("Not enough credit: %(available)s available, this order is %(amount)s.") % {
            "available": yuan(account.available),
            "amount": yuan(amount),
        }
    return None


@dataclass(frozen=True)
class Standing:
    """Whether the buyer may order ``amount`` on account now, as the payment step shows it."""

    #: the credit available now (None: no credit line to speak of)
    available: Decimal | None
    amount: Decimal
    #: why not (the message ``reserve`` would refuse with), or None
    refusal: str | None


def standing(user, amount: Decimal) -> Standing:
    """What ``reserve`` would answer for ``amount`` now, without reserving (a read; the payment
    step shows it before the buyer chooses, ``reserve`` decides under the row lock)."""
    amount = fen(amount)
    refusal = on_account_refusal(user)
    if refusal:
        return Standing(None, amount, refusal)
    account = _accounts_of(user).first()
    if account is None:
        return Standing(None, amount, _no_credit_line())
    return Standing(account.available, amount, _refusal(account, amount))


@transaction.atomic
def reserve(user, amount: Decimal, order_number: str) -> CreditEntry:
    """Charge an order to the account of the buyer's company; the row lock makes concurrent
    checkouts (by any of its people) queue here. Only a verified company's ordering roles may."""
    amount = fen(amount)
    refusal = on_account_refusal(user)
    if refusal:
        raise CreditRefused(refusal)
    account_id = _accounts_of(user).values_list("pk", flat=True).first()
    if account_id is None:
        raise CreditRefused(_no_credit_line())
    account = CreditAccount.objects.select_for_update().get(pk=account_id)
    refusal = _refusal(account, amount)
    if refusal:
        raise CreditRefused(refusal)
    account.balance += amount
    account.save(update_fields=["balance"])
    return _entry(
        account,
        CreditEntry.PURCHASED,
        amount,
        order_number=order_number,
        due_date=timezone.localdate() + timedelta(days=account.payment_terms_days),
    )


@transaction.atomic
def record_repayment(account: CreditAccount, amount: Decimal, *, reason: str, by=None, source: str = "") -> CreditEntry:
    """The buyer paid back part of what it owes. Repayments settle purchases oldest first; every
    order whose purchase is now settled in full is paid (the kernel's ``order_paid``: points).
    ``source`` tells the listeners where the money came from (e.g. "receipt": finance applied a
    receipt already in the bank, so the ledger takes it from the company's unapplied money)."""
    entry = _reduce_balance(account, amount, CreditEntry.REIMBURSED, reason=reason, by=by, source=source)
    numbers = repaid_order_numbers(entry.account)
    for order in Order.objects.filter(number__in=numbers).order_by("date_placed", "id"):
        record_payment(order, amount=order.total_incl_tax, reference=f"credit:{entry.pk}", method=ON_ACCOUNT, actor=by)
    return entry


def repaid_order_numbers(account: CreditAccount) -> list[str]:
    """The orders bought on account whose purchase repayments have settled in full, oldest first
    (up to the first order still owing: repayments settle purchases in the order they were made)."""
    settled = []
    for number, left in outstanding_by_order(account).items():
        if left > ZERO:
            break
        settled.append(number)
    return settled


def outstanding_by_order(account: CreditAccount) -> dict[str, Decimal]:
    """What each order bought on account (and not cancelled) still owes, oldest purchase first.

    A refund on an order lowers what that order owes; repayments (and refunds on no particular
    order) settle purchases in the order they were made. A cancelled order released what it still
    owed; what had been repaid for it stays applied to it (giving that back is a refund)."""
    entries = CreditEntry.objects.filter(account=account)
    released = {
        number: -total
        for number, total in entries.filter(kind=CreditEntry.REVERTED)
        .values("order_number")
        .annotate(total=Sum("amount"))
        .values_list("order_number", "total")
    }
    refunded = {
        number: -total
        for number, total in entries.filter(kind=CreditEntry.REFUNDED)
        .values("order_number")
        .annotate(total=Sum("amount"))
        .values_list("order_number", "total")
    }
    repaid = -(entries.filter(kind=CreditEntry.REIMBURSED).aggregate(s=Sum("amount"))["s"] or ZERO)
    repaid += refunded.pop("", ZERO)  # a refund on no particular order counts like a repayment
    outstanding: dict[str, Decimal] = {}
    for number, amount in (
        entries.filter(kind=CreditEntry.PURCHASED).order_by("created_at", "id").values_list("order_number", "amount")
    ):
        owed = max(amount - refunded.get(number, ZERO), ZERO)
        if number in released:
            # cancelled: what was released is not owed; what was repaid before stays paid
            repaid -= min(max(owed - released[number], ZERO), repaid)
            continue
        applied = min(owed, repaid)
        repaid -= applied
        outstanding[number] = owed - applied
    return outstanding


@transaction.atomic
def refund(account: CreditAccount, amount: Decimal, *, order_number: str = "", reason: str, by=None) -> CreditEntry:
    return _reduce_balance(account, amount, CreditEntry.REFUNDED, order_number=order_number, reason=reason, by=by)


def _reduce_balance(
    account: CreditAccount,
    amount: Decimal,
    operation: str,
    *,
    order_number: str = "",
    reason: str,
    by=None,
    source: str = "",
) -> CreditEntry:
    """Money comes back (a repayment or a refund): at most what is owed, always with a reason."""
    reason = (reason or "").strip()
    account = CreditAccount.objects.select_for_update().get(pk=account.pk)
    errors = {}
    if amount is None or amount <= 0:
        errors["amount"] = _("The amount must be positive.")
    elif amount > account.balance:
        errors["amount"] = _("The account owes only ¥%(balance)s.") % {"balance": account.balance}
    if not reason:
        errors["reason"] = _("Give a reason for the change.")
    if errors:
        raise ValidationError(errors)
    amount = fen(amount)
    account.balance -= amount
    account.save(update_fields=["balance"])
    return _entry(account, operation, -amount, order_number=order_number, reason=reason, created_by=by, source=source)


@transaction.atomic
def revert_order(order_number: str) -> CreditEntry | None:
    """Release the credit a cancelled order still holds; once per order. Money already repaid
    for it is not credit any more: giving it back is a refund (finance)."""
    purchase = CreditEntry.objects.filter(kind=CreditEntry.PURCHASED, order_number=order_number).first()
    if (
        purchase is None
        or CreditEntry.objects.filter(
            account_id=purchase.account_id, kind=CreditEntry.REVERTED, order_number=order_number
        ).exists()
    ):
        return None
    account = CreditAccount.objects.select_for_update().get(pk=purchase.account_id)
    # only what this order still owes: its refunds were given back already, and repayments applied
    # to it stay paid (what other orders owe is never released with it)
    released = min(outstanding_by_order(account).get(order_number, ZERO), account.balance)
    account.balance -= released
    account.save(update_fields=["balance"])
    return _entry(
        account,
        CreditEntry.REVERTED,
        -released,
        order_number=order_number,
        reason=_("Order %(number)s cancelled") % {"number": order_number},
    )
