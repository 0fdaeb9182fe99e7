"""finance_check's part for invoices: what was invoiced for an order (blue − red, issued) never
exceeds its total minus its refunds, and every invoice's amounts are the sums of its lines
(three aggregate queries, whatever the size of the books)."""

from decimal import Decimal

from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.money import fen
from plugins.finance.models import Invoice
from plugins.finance.selectors.invoices import invoiced_by_order, refunded_by_order


def check(report) -> None:
    Order = get_model("order", "Order")
    invoiced = invoiced_by_order()
    if invoiced:
        totals = dict(Order.objects.filter(pk__in=list(invoiced)).values_list("pk", "total_incl_tax"))
        numbers = dict(Order.objects.filter(pk__in=list(invoiced)).values_list("pk", "number"))
        refunded = refunded_by_order(list(invoiced))
        for order_id in sorted(invoiced):
            ceiling = totals.get(order_id, 0) - refunded.get(order_id, 0)
            if invoiced[order_id] > ceiling:
                report.errors.append(
                    _("Order %(number)s: invoiced ¥%(invoiced)s exceeds its total less refunds ¥%(ceiling)s.")
                    % {"number": numbers.get(order_id, order_id), "invoiced": invoiced[order_id], "ceiling": ceiling}
                )
            elif invoiced[order_id] < 0:
                report.errors.append(
                    _("Order %(number)s: red-letter invoices exceed its blue invoices (net ¥%(invoiced)s).")
                    % {"number": numbers.get(order_id, order_id), "invoiced": invoiced[order_id]}
                )
    # compared to the fen in Python: SQLite sums decimals as floats (9061.95 + 12.39 ≠ 9074.34)
    sums = Invoice.objects.annotate(n=Count("lines"), amount=Sum("lines__amount"), line_tax=Sum("lines__tax"))
    wrong = [
        number
        for number, n, amount, line_tax, excl, tax in sums.values_list(
            "number", "n", "amount", "line_tax", "amount_excl_tax", "tax"
        ).order_by("number")
        if n == 0 or fen(Decimal(str(amount))) != excl or fen(Decimal(str(line_tax))) != tax
    ]
    for number in wrong:
        report.errors.append(_("Invoice %(number)s: its amounts are not the sums of its lines.") % {"number": number})
