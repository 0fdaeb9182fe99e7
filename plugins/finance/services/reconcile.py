"""Does the ledger explain the platform's money? (``manage.py finance_check``)

Read-only, a fixed number of aggregate queries whatever the size of the books:

- every journal entry has at least two postings and they sum to zero;
- every credit line's balance owed (member_tiers) equals its company's receivable 112201, and no
  company owes on 112201 without a credit line;
- every order whose payment was secured stated that amount as revenue when it was secured
  (credit reservation + ``order.secured``); every order paid other than on account booked that
  amount into the bank; every cancelled order that was secured has no revenue left standing.

Problems are *errors* (the command fails); *warnings* are states that can be legitimate for a
moment, e.g. credit reserved for an order number that was never placed (a checkout in flight, or
demo data), and are printed for a person to look at.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import from_fen, to_fen
from core.orders import payments
from core.orders import status as order_status
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Posting
from plugins.finance.selectors import receivables_on_account


@dataclass
class Report:
    entries: int = 0
    orders: int = 0
    credit_lines: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _yuan(cents: int) -> str:
    return f"¥{from_fen(cents)}"


def check_entries(report: Report) -> None:
    report.entries = JournalEntry.objects.count()
    bad = (
        JournalEntry.objects.annotate(n=Count("postings"), total=Sum("postings__amount"))
        .filter(Q(n__lt=2) | ~Q(total=0) | Q(total__isnull=True))
        .values_list("pk", "key", "n", "total")
        .order_by("pk")
    )
    for pk, key, n, total in bad:
        report.errors.append(
            _("Entry #%(id)s (%(key)s) does not balance: %(n)d postings summing to %(total)s fen.")
            % {"id": pk, "key": key, "n": n, "total": total or 0}
        )


def check_credit_lines(report: Report) -> None:
    receivable = receivables_on_account()
    owed: dict[int, int] = {}
    if apps.is_installed("plugins.member_tiers"):
        from plugins.member_tiers.selectors import credit_balances

        owed = {company: to_fen(balance) for company, balance in credit_balances().items()}
    report.credit_lines = len(owed)
    for company_id in sorted(set(owed) | set(receivable)):
        if owed.get(company_id, 0) != receivable.get(company_id, 0):
            report.errors.append(
                _("Company #%(company)s: credit used %(owed)s, receivable 112201 %(ledger)s.")
                % {
                    "company": company_id,
                    "owed": _yuan(owed.get(company_id, 0)),
                    "ledger": _yuan(receivable.get(company_id, 0)),
                }
            )


def _by_order(postings) -> dict[str, int]:
    return dict(postings.values_list("entry__order_number").annotate(s=Sum("amount")).order_by())


def check_orders(report: Report) -> None:
    PaymentEvent = get_model("order", "PaymentEvent")
    Order = get_model("order", "Order")
    events: dict[str, dict[str, int]] = defaultdict(dict)
    by_receipt: set[str] = set()  # paid by receipt allocations: the receipts' check explains their bank money
    for number, code, amount, reference in (
        PaymentEvent.objects.filter(event_type__code__in=[payments.SECURED, payments.PAID])
        .order_by("date_created", "id")
        .values_list("order__number", "event_type__code", "amount", "reference")
    ):
        events[number].setdefault(code, to_fen(amount))
        if code == payments.PAID and (reference or "").startswith("receipt:"):
            by_receipt.add(number)
    report.orders = len(events)
    revenue = Posting.objects.filter(account__code=chart.REVENUE)
    stated = _by_order(revenue.filter(entry__kind__in=chart.SECURING_KINDS))
    standing = _by_order(revenue)  # refunds and releases together bring a cancelled order to zero
    banked = _by_order(Posting.objects.filter(account__code=chart.BANK, entry__kind=chart.ORDER_PAID))
    on_account = set(
        JournalEntry.objects.filter(kind=chart.CREDIT_RESERVE).values_list("order_number", flat=True).distinct()
    )
    cancelled = set(Order.objects.filter(status=order_status.CANCELLED).values_list("number", flat=True))
    for number, seen in sorted(events.items()):
        secured = seen.get(payments.SECURED)
        if secured is not None and -stated.get(number, 0) != secured:
            report.errors.append(
                _("Order %(number)s: payment secured for %(secured)s, revenue posted %(posted)s.")
                % {"number": number, "secured": _yuan(secured), "posted": _yuan(-stated.get(number, 0))}
            )
        paid = seen.get(payments.PAID)
        if paid is not None and number not in (on_account | by_receipt) and banked.get(number, 0) != paid:
            report.errors.append(
                _("Order %(number)s: paid %(paid)s, bank posting %(posted)s.")
                % {"number": number, "paid": _yuan(paid), "posted": _yuan(banked.get(number, 0))}
            )
        if secured is not None and number in cancelled and standing.get(number, 0):
            report.errors.append(
                _("Order %(number)s is cancelled but %(amount)s of revenue stands.")
                % {"number": number, "amount": _yuan(-standing[number])}
            )
    placed = set(Order.objects.filter(number__in=on_account).values_list("number", flat=True))
    for number in sorted(on_account - placed):
        if standing.get(number, 0):
            report.warnings.append(
                _("Credit of %(amount)s is reserved for order %(number)s, which was not placed.")
                % {"number": number, "amount": _yuan(-standing[number])}
            )


#: each area's own reconciliation: a module with ``check(report: Report) -> None``
AREA_CHECKS = (
    "plugins.finance.receipts.reconcile",
    "plugins.finance.refunds.reconcile",
    "plugins.finance.settlement.reconcile",
    "plugins.finance.statements.reconcile",
    "plugins.finance.invoices.reconcile",
)


def check(*, skip_areas: tuple[str, ...] = ()) -> Report:
    """The whole reconciliation; ``skip_areas`` (e.g. ``("refunds",)``) leaves out areas' own
    parts — for tests whose world fakes another area's documents without their postings."""
    from importlib import import_module

    report = Report()
    check_entries(report)
    check_credit_lines(report)
    check_orders(report)
    for path in AREA_CHECKS:
        if path.split(".")[-2] not in skip_areas:
            import_module(path).check(report)
    return report
