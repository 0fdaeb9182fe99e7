"""The buyer's order history as a spreadsheet: their orders, or the lines of those orders, as
CSV or XLSX (``core.tabular``: formula-safe cells, UTF-8 with a BOM for Excel), with the
filters of the order history page and the statuses in the reader's language. Rows are those
``storefront.selectors.orders_of`` lets the person see (their company's or their own)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.orders.status import status_label

OrderLine = get_model("order", "Line")

#: the most rows one export holds (a bound on one request's work; the page says to narrow the dates)
MAX_ROWS = 20_000


def _placed(order) -> str:
    return timezone.localtime(order.date_placed).strftime("%Y-%m-%d %H:%M")


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def order_table(orders: QuerySet) -> tuple[list[str], list[list]]:
    header = [
        _("Order number"),
        _("Date of purchase"),
        _("Status"),
        _("Purchase order number"),
        _("Placed by"),
        _("Number of items"),
        _("Goods"),
        _("Freight"),
        _("Order total"),
        _("Consignee"),
        _("Delivery address"),
    ]
    rows = []
    for order in orders.select_related("user", "shipping_address")[:MAX_ROWS]:
        address = order.shipping_address
        rows.append(
            [
                order.number,
                _placed(order),
                status_label(order.status),
                order.purchase_order_number,
                _person(order.user),
                order.num_items,
                order.total_incl_tax - order.shipping_incl_tax,
                order.shipping_incl_tax,
                order.total_incl_tax,
                address.name if address else "",
                " ".join(filter(None, [address.state, address.line4, address.line1])) if address else "",
            ]
        )
    return header, rows


def line_table(orders: QuerySet) -> tuple[list[str], list[list]]:
    header = [
        _("Order number"),
        _("Date of purchase"),
        _("Status"),
        _("SKU"),
        _("Product"),
        _("Supplier"),
        _("Quantity"),
        _("Unit price"),
        _("Line total"),
        _("Line status"),
    ]
    lines = (
        OrderLine.objects.filter(order__in=orders.values("pk"))
        .select_related("order")
        .order_by("-order__date_placed", "-order_id", "id")[:MAX_ROWS]
    )
    rows = [
        [
            line.order.number,
            _placed(line.order),
            status_label(line.order.status),
            line.partner_sku,
            line.title,
            line.partner_name,
            line.quantity,
            line.unit_price_incl_tax if line.unit_price_incl_tax is not None else Decimal("0.00"),
            line.line_price_incl_tax,
            status_label(line.status),
        ]
        for line in lines
    ]
    return header, rows
