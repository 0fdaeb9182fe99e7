"""finance_check's part for receipts (a fixed number of aggregate queries, whatever the size of
the books):

- the bank (1002) received, through receipt entries and their void reversals, exactly the sum of
  the receipts not void; and 1002 moves only through the kinds that explain money in or out
  (receipts, legacy paid orders and credit repayments, refunds, payouts, opening differences);
- 2241 (awaiting claim) holds exactly the receipts not approved and not void;
- each company's 2203 moved by receipts (approval, allocations, repayments from receipts) by
  exactly its approved receipts less their allocations;
- every order paid by receipts (reference ``receipt:…``) was paid exactly its approved allocations.
"""

from collections import defaultdict

from django.db.models import Q, Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import from_fen, to_fen
from core.orders import payments
from plugins.finance import chart
from plugins.finance.models import Posting, Receipt, ReceiptAllocation

BANK_KINDS = frozenset(
    {
        chart.RECEIPT,
        chart.REVERSAL,
        chart.ORDER_PAID,
        chart.CREDIT_REPAYMENT,
        chart.REFUND,
        chart.PAYOUT,
        chart.OPENING,
    }
)


def _yuan(cents: int) -> str:
    return f"¥{from_fen(cents)}"


def check(report) -> None:
    State = Receipt.State
    totals = Receipt.objects.aggregate(
        live=Sum("amount", filter=~Q(state=State.VOID)),
        waiting=Sum("amount", filter=Q(state__in=[State.UNCLAIMED, State.PENDING])),
    )
    live, waiting = to_fen(totals["live"] or 0), to_fen(totals["waiting"] or 0)
    bank = Posting.objects.filter(account__code=chart.BANK)
    received = (
        bank.filter(
            Q(entry__kind=chart.RECEIPT) | Q(entry__kind=chart.REVERSAL, entry__reverses__kind=chart.RECEIPT)
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    if received != live:
        report.errors.append(
            _("Receipts not void total %(receipts)s, the bank received %(ledger)s through receipt entries.")
            % {"receipts": _yuan(live), "ledger": _yuan(received)}
        )
    for kind, cents in bank.exclude(entry__kind__in=BANK_KINDS).values_list("entry__kind").annotate(s=Sum("amount")):
        report.errors.append(
            _("The bank (1002) moved %(amount)s through “%(kind)s” entries, which do not move money.")
            % {"amount": _yuan(cents), "kind": kind}
        )
    unclaimed = Posting.objects.filter(account__code=chart.UNCLAIMED).aggregate(s=Sum("amount"))["s"] or 0
    if -unclaimed != waiting:
        report.errors.append(
            _("Receipts awaiting claim or approval total %(receipts)s, account 2241 holds %(ledger)s.")
            % {"receipts": _yuan(waiting), "ledger": _yuan(-unclaimed)}
        )

    expected: dict[int, int] = defaultdict(int)
    for company_id, amount in (
        Receipt.objects.filter(state=State.APPROVED).values_list("company_id").annotate(s=Sum("amount")).order_by()
    ):
        expected[company_id] -= to_fen(amount)
    for company_id, amount in (
        ReceiptAllocation.objects.filter(receipt__state=State.APPROVED)
        .values_list("receipt__company_id")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        expected[company_id] += to_fen(amount)
    moved = dict(
        Posting.objects.filter(
            account__code=chart.UNAPPLIED, entry__kind__in=[chart.RECEIPT_APPLIED, chart.CREDIT_REPAYMENT]
        )
        .values_list("account__company_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for company_id in sorted(set(expected) | set(moved)):
        if expected.get(company_id, 0) != moved.get(company_id, 0):
            report.errors.append(
                _(
                    "Company #%(company)s: approved receipts less allocations %(receipts)s, "
                    "2203 moved by receipts %(ledger)s."
                )
                % {
                    "company": company_id,
                    "receipts": _yuan(-expected.get(company_id, 0)),
                    "ledger": _yuan(-moved.get(company_id, 0)),
                }
            )

    PaymentEvent = get_model("order", "PaymentEvent")
    paid = dict(
        PaymentEvent.objects.filter(event_type__code=payments.PAID, reference__startswith="receipt:")
        .values_list("order_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    applied = dict(
        ReceiptAllocation.objects.filter(receipt__state=State.APPROVED, order_id__in=list(paid))
        .values_list("order_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for order_id, amount in sorted(paid.items()):
        if to_fen(applied.get(order_id, 0)) != to_fen(amount):
            report.errors.append(
                _("Order #%(order)s was paid %(paid)s by receipts whose allocations total %(applied)s.")
                % {"order": order_id, "paid": _yuan(to_fen(amount)), "applied": _yuan(to_fen(applied.get(order_id, 0)))}
            )
