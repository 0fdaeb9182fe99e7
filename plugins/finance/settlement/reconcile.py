"""finance_check's part for settlement (a fixed number of aggregate queries):

- every confirmed or paid batch posted ``settlement:<number>`` crediting the supplier's 2202 with
  the payable of its supplier-order lines, and no draft, disputed or cancelled batch posted one;
- every paid batch with a payable posted ``payout:<number>`` for exactly it, and no other batch
  posted a payout;
- each supplier's 2202 balance is what its batches and clawbacks say: what the platform owes it
  = payables of its confirmed, unpaid batches − the debit it carries − clawbacks posted but not
  yet netted in a confirmed or paid batch.
"""

from collections import defaultdict
from decimal import Decimal

from django.db.models import CharField, Exists, F, OuterRef, Sum, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from core.money import from_fen, to_fen
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Posting, RefundAllocation, SettlementBatch, SettlementLine

S = SettlementBatch.State
SETTLED = (S.CONFIRMED, S.PAID)


def _yuan(cents: int) -> str:
    return f"¥{from_fen(cents)}"


def check(report) -> None:
    batches = {
        number: (supplier_id, state, to_fen(payable))
        for number, supplier_id, state, payable in SettlementBatch.objects.values_list(
            "number", "supplier_id", "state", "payable"
        )
    }
    so_payable = {
        number: to_fen(total or 0)
        for number, total in SettlementLine.objects.filter(supplier_order__isnull=False)
        .values_list("batch__number")
        .annotate(total=Sum("payable"))
        .order_by()
    }
    posted = defaultdict(int)
    for key, amount in Posting.objects.filter(
        account__code=chart.PAYABLE, entry__kind__in=(chart.SETTLEMENT, chart.PAYOUT)
    ).values_list("entry__key", "amount"):
        posted[key] += amount
    for number, (_supplier, state, payable) in sorted(batches.items()):
        settled = -posted.pop(f"settlement:{number}", 0)
        expected = so_payable.get(number, 0) if state in SETTLED else 0
        if settled != expected:
            report.errors.append(
                _("Settlement %(number)s (%(state)s): payable of its supplier orders %(expected)s, posted %(posted)s.")
                % {"number": number, "state": state, "expected": _yuan(expected), "posted": _yuan(settled)}
            )
        paid = posted.pop(f"payout:{number}", 0)
        expected = payable if state == S.PAID else 0
        if paid != expected:
            report.errors.append(
                _("Settlement %(number)s (%(state)s): payout %(expected)s, posted %(posted)s.")
                % {"number": number, "state": state, "expected": _yuan(expected), "posted": _yuan(paid)}
            )
    for key in sorted(k for k, v in posted.items() if v):
        report.errors.append(_("Entry %(key)s posts to a supplier's payable for no settlement batch.") % {"key": key})

    # each supplier's 2202 against its batches and clawbacks
    balance = dict(
        Posting.objects.filter(account__code=chart.PAYABLE)
        .values_list("account__supplier_id")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    unpaid = dict(
        SettlementBatch.objects.filter(state=S.CONFIRMED)
        .values_list("supplier_id")
        .annotate(s=Sum("payable"))
        .order_by()
    )
    carried = {
        supplier_id: p - (g - c + f - r)
        for supplier_id, p, g, c, f, r in SettlementBatch.objects.filter(state__in=SETTLED)
        .values_list("supplier_id")
        .annotate(p=Sum("payable"), g=Sum("goods"), c=Sum("commission"), f=Sum("freight"), r=Sum("refunds"))
        .values_list("supplier_id", "p", "g", "c", "f", "r")
        .order_by()
    }
    key = Concat(Value("clawback:"), Cast(OuterRef("pk"), CharField()), output_field=CharField())
    netted = SettlementLine.objects.filter(refund_allocation=OuterRef("pk"), batch__state__in=SETTLED)
    outstanding = dict(
        RefundAllocation.objects.filter(Exists(JournalEntry.objects.filter(key=key)))
        .exclude(Exists(netted))
        .values_list("supplier_order__partner_id")
        .annotate(s=Sum(F("goods") + F("freight") - F("commission")))
        .order_by()
    )
    for supplier_id in sorted(set(balance) | set(unpaid) | set(carried) | set(outstanding), key=lambda s: s or 0):
        if supplier_id is None:
            continue
        owed = to_fen(unpaid.get(supplier_id) or Decimal(0)) - to_fen(carried.get(supplier_id) or Decimal(0))
        owed -= to_fen(outstanding.get(supplier_id) or Decimal(0))
        if -balance.get(supplier_id, 0) != owed:
            report.errors.append(
                _("Supplier #%(supplier)s: payable 2202 %(ledger)s, its batches and clawbacks say %(owed)s.")
                % {"supplier": supplier_id, "ledger": _yuan(-balance.get(supplier_id, 0)), "owed": _yuan(owed)}
            )
