"""finance_check's part for refunds (ten aggregate queries, whatever the size of the books):

- every executed refund is in the ledger: per order, the refunds in state refunded equal what
  their ``refund:<number>`` entries took out (of revenue or the company's held money) plus the
  credit restored for the order (member_tiers' credit refunds); less posted is an error (money
  paid with no entry), more is a warning (a credit refund made on the credit line directly);
- no order's executed refunds exceed what was received for it (approved ones that do — the order
  was cancelled after approval, so paying them out is refused — are a warning: reject them);
- a refund's allocations never exceed its goods and freight;
- every clawback entry takes back exactly its allocation (goods + freight from 6401, the
  commission on 6051, the rest from the supplier's 2202).
"""

from collections import defaultdict

from django.db.models import F, Q, Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import from_fen, to_fen
from core.orders import payments
from plugins.finance import chart
from plugins.finance.models import Posting, ReceiptAllocation, Refund, RefundAllocation
from plugins.finance.selectors.refunds import CHARGE_KINDS, DECIDED


def _yuan(cents: int) -> str:
    return f"¥{from_fen(cents)}"


def _by_order(rows) -> dict[str, int]:
    return {number: to_fen(total or 0) for number, total in rows}


def check(report) -> None:
    refunded = _by_order(
        Refund.objects.filter(state=Refund.State.REFUNDED)
        .values_list("order__number")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    decided = _by_order(
        Refund.objects.filter(state__in=DECIDED).values_list("order__number").annotate(s=Sum("amount")).order_by()
    )
    out = dict(
        Posting.objects.filter(entry__kind=chart.REFUND, entry__key__startswith="refund:", amount__gt=0)
        .exclude(entry__key__endswith=":payout")
        .values_list("entry__order_number")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    restored = dict(
        Posting.objects.filter(entry__kind=chart.CREDIT_REFUND, account__code=chart.REVENUE)
        .exclude(entry__order_number="")
        .values_list("entry__order_number")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    for number in sorted(set(refunded) | set(out)):
        documents, posted = refunded.get(number, 0), out.get(number, 0) + restored.get(number, 0)
        if documents > posted:
            report.errors.append(
                _("Order %(number)s: refunds of %(refunded)s were paid, the ledger shows %(posted)s.")
                % {"number": number, "refunded": _yuan(documents), "posted": _yuan(posted)}
            )
        elif documents < posted:
            report.warnings.append(
                _("Order %(number)s: %(posted)s refunded in the ledger, %(refunded)s by refund documents.")
                % {"number": number, "refunded": _yuan(documents), "posted": _yuan(posted)}
            )

    decided_numbers = Refund.objects.filter(state__in=DECIDED).values("order__number")
    # received: on account the credit charged, otherwise approved allocations + earlier payments
    charged = dict(
        Posting.objects.filter(entry__kind__in=CHARGE_KINDS, account__code=chart.RECEIVABLE_ON_ACCOUNT)
        .filter(entry__order_number__in=decided_numbers)
        .values_list("entry__order_number")
        .annotate(s=Sum("amount"))
        .order_by()
    )
    PaymentEvent = get_model("order", "PaymentEvent")
    received = defaultdict(int)
    for number, total in (
        ReceiptAllocation.objects.filter(order__number__in=decided_numbers, receipt__state="approved")
        .values_list("order__number")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        received[number] += to_fen(total)
    for number, total in (
        PaymentEvent.objects.filter(order__number__in=decided_numbers, event_type__code=payments.PAID)
        .exclude(reference__startswith="receipt:")
        .values_list("order__number")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        received[number] += to_fen(total)
    for number, total in sorted(decided.items()):
        limit = charged[number] if number in charged else received.get(number, 0)
        if refunded.get(number, 0) > limit:
            report.errors.append(
                _("Order %(number)s: refunds of %(refunded)s exceed the %(received)s received.")
                % {"number": number, "refunded": _yuan(refunded[number]), "received": _yuan(limit)}
            )
        elif total > limit:  # e.g. the order was cancelled after approval: paying it out is refused
            report.warnings.append(
                _("Order %(number)s: approved refunds of %(refunded)s exceed the %(received)s received; reject them.")
                % {"number": number, "refunded": _yuan(total), "received": _yuan(limit)}
            )

    for number, goods, freight, allocated_goods, allocated_freight in (
        Refund.objects.annotate(g=Sum("allocations__goods"), f=Sum("allocations__freight"))
        .filter(Q(g__gt=F("goods_amount")) | Q(f__gt=F("freight_amount")))
        .values_list("number", "goods_amount", "freight_amount", "g", "f")
    ):
        report.errors.append(
            _("Refund %(number)s allocates %(allocated)s to supplier orders, more than its %(amount)s.")
            % {
                "number": number,
                "allocated": f"¥{allocated_goods + allocated_freight}",
                "amount": f"¥{goods + freight}",
            }
        )

    posted: dict[int, dict[str, int]] = defaultdict(dict)
    for key, code, total in (
        Posting.objects.filter(entry__kind=chart.CLAWBACK, entry__key__startswith="clawback:")
        .values_list("entry__key", "account__code")
        .annotate(s=Sum("amount"))
        .order_by()
    ):
        posted[int(key.split(":", 1)[1])][code] = total
    allocations = {
        pk: (to_fen(goods + freight), to_fen(commission))
        for pk, goods, freight, commission in RefundAllocation.objects.filter(pk__in=list(posted)).values_list(
            "pk", "goods", "freight", "commission"
        )
    }
    for pk, codes in sorted(posted.items()):
        expected = allocations.get(pk)
        if expected is None:
            report.errors.append(_("Clawback entry for refund allocation #%(id)s, which does not exist.") % {"id": pk})
            continue
        wanted = dict(chart.clawback_lines(*expected)) if expected[0] > 0 else {}
        if codes != wanted:
            report.errors.append(
                _("Clawback of refund allocation #%(id)s posts %(posted)s instead of %(wanted)s.")
                % {"id": pk, "posted": codes, "wanted": wanted}
            )
