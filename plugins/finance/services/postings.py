"""What the platform's money events post (the table in plugins.finance.chart). Called by the
receivers inside the event's transaction: a posting that fails refuses the event."""

from datetime import datetime
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from core.money import to_fen
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Posting
from plugins.finance.services.ledger import account, business_date, post, reverse


def _accounts(lines: list[tuple[str, int]], company_id: int | None) -> list:
    return [
        (account(code, company_id=company_id if chart.CHART[code].owner == chart.COMPANY else None), amount)
        for code, amount in lines
    ]


def credit_movement(
    *,
    kind: str,
    amount: Decimal,
    company_id: int,
    order_number: str = "",
    movement_id: int,
    reason: str = "",
    by=None,
    at: datetime | None = None,
    source: str = "",
) -> JournalEntry | None:
    """A movement on a company's credit line, posted under ``credit:<movement_id>``. A released
    reservation is the reversing entry of the reservation when it gives back all of it; a
    repayment from a receipt (``source="receipt"``) comes out of the company's unapplied money."""
    cents = to_fen(amount)
    key = f"credit:{movement_id}"
    if cents == 0:
        if chart.CREDIT_KINDS[kind] == chart.CREDIT_REVERT:  # a cancelled order that was repaid in full
            _hold_repaid_part(key=key, company_id=company_id, order_number=order_number, reason=reason, by=by, at=at)
        return None
    entry_kind, lines = chart.credit_lines(kind, cents, source=source)
    if entry_kind == chart.CREDIT_REVERT:
        reservation = (
            JournalEntry.objects.filter(kind=chart.CREDIT_RESERVE, order_number=order_number, reversed_by__isnull=True)
            .filter(postings__account__code=chart.RECEIVABLE_ON_ACCOUNT, postings__account__company_id=company_id)
            .first()
        )
        if reservation is not None and _receivable_of(reservation) == -cents:
            return reverse(entry=reservation, reason=reason, by=by, key=key)
        entry = post(
            key=key,
            kind=entry_kind,
            lines=_accounts(lines, company_id),
            posted_on=business_date(at),
            memo=reason,
            order_number=order_number,
            by=by,
        )
        _hold_repaid_part(key=key, company_id=company_id, order_number=order_number, reason=reason, by=by, at=at)
        return entry
    return post(
        key=key,
        kind=entry_kind,
        lines=_accounts(lines, company_id),
        posted_on=business_date(at),
        memo=reason,
        order_number=order_number,
        by=by,
    )


def _hold_repaid_part(*, key: str, company_id: int, order_number: str, reason: str, by, at) -> None:
    """A cancelled order on account released only what it still owed: what had been repaid for it
    is the company's money now, so its revenue moves to unapplied receipts (2203)."""
    repaid = (
        Posting.objects.filter(
            entry__order_number=order_number,
            account__code=chart.RECEIVABLE_ON_ACCOUNT,
            account__company_id=company_id,
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    if repaid > 0:
        post(
            key=f"{key}:unapplied",
            kind=chart.ORDER_UNAPPLIED,
            lines=_accounts([(chart.REVENUE, repaid), (chart.UNAPPLIED, -repaid)], company_id),
            posted_on=business_date(at),
            memo=reason,
            order_number=order_number,
            by=by,
        )


def _receivable_of(entry: JournalEntry) -> int:
    return (
        Posting.objects.filter(entry=entry, account__code=chart.RECEIVABLE_ON_ACCOUNT).aggregate(s=Sum("amount"))["s"]
        or 0
    )


def _reserved_for(order_number: str) -> int | None:
    """Fen reserved on credit for the order (None when none was)."""
    rows = Posting.objects.filter(
        entry__kind=chart.CREDIT_RESERVE, entry__order_number=order_number, account__code=chart.RECEIVABLE_ON_ACCOUNT
    )
    if not rows.exists():
        return None
    return rows.aggregate(s=Sum("amount"))["s"] or 0


def payment_secured(order, *, amount: Decimal, by=None) -> JournalEntry | None:
    """Revenue for the order: on account the reservation already stated the credit part, so
    only the rest (points) posts here; any other way the whole is owed by the company."""
    cents = to_fen(amount)
    reserved = _reserved_for(order.number)
    if reserved is not None:
        cents -= reserved
    if cents == 0:
        return None
    return post(
        key=f"order:{order.number}:secured",
        kind=chart.ORDER_SECURED,
        lines=_accounts(chart.secured_lines(cents, on_account=reserved is not None), order.company_id),
        memo=_("Order %(number)s payment secured") % {"number": order.number},
        order_number=order.number,
        by=by,
    )


#: the payment reference of an order paid by receipt allocations (plugins.finance.services.receipts)
RECEIPT_REFERENCE = "receipt:"


def order_paid(order, *, amount: Decimal, reference: str = "", by=None) -> JournalEntry | None:
    """Money for the order came in; on account it came with the repayment (already posted), and
    by receipt it came with the receipt (its allocations posted it)."""
    cents = to_fen(amount)
    if cents == 0 or _reserved_for(order.number) is not None or (reference or "").startswith(RECEIPT_REFERENCE):
        return None
    return post(
        key=f"order:{order.number}:paid",
        kind=chart.ORDER_PAID,
        lines=_accounts(chart.paid_lines(cents), order.company_id),
        memo=_("Order %(number)s paid") % {"number": order.number},
        order_number=order.number,
        by=by,
    )


def order_cancelled(order, *, reason: str = "", by=None) -> list[JournalEntry]:
    """Take back the revenue the order's securing stated (credit reservations are given back by
    member_tiers' own movement); a paid order's money waits as an unapplied receipt."""
    posted = []
    secured = JournalEntry.objects.filter(key=f"order:{order.number}:secured").first()
    if secured is not None:
        memo = _("Order %(number)s cancelled") % {"number": order.number}
        posted.append(reverse(entry=secured, reason=reason or memo, by=by, key=f"order:{order.number}:cancelled"))
    paid = JournalEntry.objects.filter(key=f"order:{order.number}:paid").first()
    cents = 0
    if paid is not None:
        cents = paid.postings.filter(account__code=chart.BANK).aggregate(s=Sum("amount"))["s"] or 0
    # what receipts had applied to it (allocations credit 112202) waits as unapplied money again
    cents -= (
        Posting.objects.filter(
            entry__kind=chart.RECEIPT_APPLIED,
            entry__order_number=order.number,
            account__code=chart.RECEIVABLE_ORDERS,
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    if cents > 0:
        posted.append(
            post(
                key=f"order:{order.number}:unapplied",
                kind=chart.ORDER_UNAPPLIED,
                lines=_accounts(chart.unapplied_lines(cents), order.company_id),
                memo=_("Order %(number)s cancelled after payment: money held for the company")
                % {"number": order.number},
                order_number=order.number,
                by=by,
            )
        )
    return posted
