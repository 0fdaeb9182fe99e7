"""Post the money history written before the ledger existed: member_tiers' credit entries and
the kernel's order payment events (core.orders.payments), by the same rules and keys as the live
postings (plugins.finance.chart), so running it again — or after live postings — adds nothing.

It takes an app registry, so the data migration runs it on the historical models and the demo
seed on the current ones. It only inserts (entries and postings, checked to balance before
writing); a credit account whose stored balance differs from its migrated history gets an
``opening`` entry against 1901 Suspense, reported for review.
"""

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import Sum
from django.utils import timezone

from core.money import to_fen
from core.orders import status as order_status
from plugins.finance import chart

SHANGHAI = ZoneInfo("Asia/Shanghai")


class _Writer:
    def __init__(self, registry):
        self.Account = registry.get_model("finance", "Account")
        self.Entry = registry.get_model("finance", "JournalEntry")
        self.Posting = registry.get_model("finance", "Posting")
        self.accounts: dict[tuple, object] = {}
        self.posted = 0

    def account(self, code: str, company_id):
        owner = company_id if chart.CHART[code].owner == chart.COMPANY else None
        if (code, owner) not in self.accounts:
            spec = chart.CHART[code]
            self.accounts[code, owner], _created = self.Account.objects.get_or_create(
                code=code, company_id=owner, supplier_id=None, defaults={"name": spec.name, "type": spec.type}
            )
        return self.accounts[code, owner]

    def post(self, *, key, kind, lines, company_id, at: datetime | None, memo="", order_number="", reverses=None):
        found = self.Entry.objects.filter(key=key).first()
        if found is not None:
            return found
        problem = chart.lines_balance([amount for _code, amount in lines])
        if problem:
            raise ValueError(f"{key}: {problem}")
        entry = self.Entry.objects.create(
            key=key,
            kind=kind,
            posted_on=timezone.localtime(at or timezone.now(), SHANGHAI).date(),
            memo=memo[:255],
            order_number=order_number,
            reverses=reverses,
        )
        self.Posting.objects.bulk_create(
            self.Posting(entry=entry, account=self.account(code, company_id), amount=amount) for code, amount in lines
        )
        self.posted += 1
        return entry

    def receivable_in(self, entry) -> int:
        rows = self.Posting.objects.filter(entry=entry, account__code=chart.RECEIVABLE_ON_ACCOUNT)
        return rows.aggregate(s=Sum("amount"))["s"] or 0


def credit_history(registry, writer: _Writer) -> None:
    CreditEntry = registry.get_model("member_tiers", "CreditEntry")
    movements = (
        CreditEntry.objects.filter(kind__in=chart.CREDIT_KINDS)
        .select_related("account__membership")
        .order_by("created_at", "id")
    )
    for movement in movements:
        cents = to_fen(movement.amount)
        if cents == 0:
            continue
        company_id = movement.account.membership.company_id
        kind, lines = chart.credit_lines(movement.kind, cents)
        reverses = None
        if kind == chart.CREDIT_REVERT:
            reservation = writer.Entry.objects.filter(
                kind=chart.CREDIT_RESERVE,
                order_number=movement.order_number,
                reversed_by__isnull=True,
                postings__account__code=chart.RECEIVABLE_ON_ACCOUNT,
                postings__account__company_id=company_id,
            ).first()
            if reservation is not None and writer.receivable_in(reservation) == -cents:
                kind, reverses = chart.REVERSAL, reservation
        writer.post(
            key=f"credit:{movement.pk}",
            kind=kind,
            lines=lines,
            company_id=company_id,
            at=movement.created_at,
            memo=movement.reason,
            order_number=movement.order_number,
            reverses=reverses,
        )
    # a stored balance its history does not explain: stated, against suspense, for review
    CreditAccount = registry.get_model("member_tiers", "CreditAccount")
    for credit in CreditAccount.objects.select_related("membership").order_by("pk"):
        company_id = credit.membership.company_id
        posted = (
            writer.Posting.objects.filter(
                account__code=chart.RECEIVABLE_ON_ACCOUNT, account__company_id=company_id
            ).aggregate(s=Sum("amount"))["s"]
            or 0
        )
        difference = to_fen(credit.balance) - posted
        if difference:
            writer.post(
                key=f"credit-opening:{credit.pk}",
                kind=chart.OPENING,
                lines=[(chart.RECEIVABLE_ON_ACCOUNT, difference), (chart.SUSPENSE, -difference)],
                company_id=company_id,
                at=None,
                memo="credit balance not explained by its history (migrated)",
            )


def order_history(registry, writer: _Writer) -> None:
    PaymentEvent = registry.get_model("order", "PaymentEvent")
    events: dict[int, dict[str, tuple]] = defaultdict(dict)
    for order_id, code, amount, when in (
        PaymentEvent.objects.filter(event_type__code__in=["secured", "paid"])
        .order_by("date_created", "id")
        .values_list("order_id", "event_type__code", "amount", "date_created")
    ):
        events[order_id].setdefault(code, (amount, when))
    Order = registry.get_model("order", "Order")
    reserved = dict(
        writer.Posting.objects.filter(entry__kind=chart.CREDIT_RESERVE, account__code=chart.RECEIVABLE_ON_ACCOUNT)
        .values_list("entry__order_number")
        .annotate(s=Sum("amount"))
    )
    for order in Order.objects.filter(pk__in=events).order_by("date_placed", "id"):
        number, company_id, seen = order.number, order.company_id, events[order.pk]
        on_account = number in reserved
        secured_entry = paid_entry = None
        if "secured" in seen:
            amount, when = seen["secured"]
            cents = to_fen(amount) - (reserved[number] if on_account else 0)
            if cents:
                secured_entry = writer.post(
                    key=f"order:{number}:secured",
                    kind=chart.ORDER_SECURED,
                    lines=chart.secured_lines(cents, on_account=on_account),
                    company_id=company_id,
                    at=when,
                    memo=f"Order {number} payment secured",
                    order_number=number,
                )
        if "paid" in seen and not on_account:
            amount, when = seen["paid"]
            if to_fen(amount):
                paid_entry = writer.post(
                    key=f"order:{number}:paid",
                    kind=chart.ORDER_PAID,
                    lines=chart.paid_lines(to_fen(amount)),
                    company_id=company_id,
                    at=when,
                    memo=f"Order {number} paid",
                    order_number=number,
                )
        if order.status != order_status.CANCELLED:
            continue
        if secured_entry is not None:
            writer.post(
                key=f"order:{number}:cancelled",
                kind=chart.REVERSAL,
                lines=[(p.account.code, -p.amount) for p in secured_entry.postings.select_related("account")],
                company_id=company_id,
                at=None,
                memo=f"Order {number} cancelled",
                order_number=number,
                reverses=secured_entry,
            )
        if paid_entry is not None:
            writer.post(
                key=f"order:{number}:unapplied",
                kind=chart.ORDER_UNAPPLIED,
                lines=chart.unapplied_lines(to_fen(seen["paid"][0])),
                company_id=company_id,
                at=None,
                memo=f"Order {number} cancelled after payment: money held for the company",
                order_number=number,
            )


def backfill(registry) -> int:
    """Post the whole money history; returns how many entries were added."""
    writer = _Writer(registry)
    try:
        registry.get_model("member_tiers", "CreditEntry")
    except LookupError:  # member_tiers is not installed: no credit lines
        pass
    else:
        credit_history(registry, writer)
    order_history(registry, writer)
    return writer.posted
