"""Read side of invoices (发票): what a company may invoice, what was invoiced per order, the
requests and invoices scoped to who asks, an order's tax by rate."""

from decimal import Decimal

from django.db.models import Exists, OuterRef, Q, QuerySet, Sum
from oscar.core.loading import get_model

from core.access import is_operator
from core.orders import payments
from plugins.finance.access import company_for_finance
from plugins.finance.models import Invoice, InvoiceLine, InvoiceRequest, Refund

#: refunds that count as money given back (the refund ceiling's definition)
COUNTED_REFUNDS = (Refund.State.APPROVED, Refund.State.REFUNDED)


def open_blue_requests() -> QuerySet:
    """Blue requests that still cover their orders: requested, or issued and not offset by an
    issued full red-letter invoice."""
    full_red = InvoiceRequest.objects.filter(
        blue_invoice__request=OuterRef("pk"),
        red_kind=InvoiceRequest.RedKind.FULL,
        state=InvoiceRequest.State.ISSUED,
    )
    return (
        InvoiceRequest.objects.filter(
            red_kind="", state__in=[InvoiceRequest.State.REQUESTED, InvoiceRequest.State.ISSUED]
        )
        .annotate(_offset=Exists(full_red))
        .filter(_offset=False)
    )


def invoiced_order_ids(order_ids) -> set[int]:
    return set(
        InvoiceRequest.orders.through.objects.filter(
            order_id__in=list(order_ids), invoicerequest_id__in=open_blue_requests().values("pk")
        ).values_list("order_id", flat=True)
    )


def invoiceable_orders(company) -> QuerySet:
    """The company's paid orders (not cancelled) that no open blue request covers, newest first."""
    Order = get_model("order", "Order")
    covered = InvoiceRequest.orders.through.objects.filter(
        order_id=OuterRef("pk"), invoicerequest_id__in=open_blue_requests().values("pk")
    )
    orders = payments.paid_orders(Order.objects.filter(company=company))
    return orders.annotate(_covered=Exists(covered)).filter(_covered=False).order_by("-date_placed", "-id")


def requests_for(user) -> QuerySet:
    """Invoice requests ``user`` may see: operators all, a company's 财务/admin its own, else none."""
    qs = InvoiceRequest.objects.select_related("company", "blue_invoice", "refund").prefetch_related("orders")
    if is_operator(user):
        return qs
    company = company_for_finance(user)
    return qs.filter(company=company) if company is not None else qs.none()


def invoices_for(user) -> QuerySet:
    qs = Invoice.objects.select_related("request", "request__company", "request__blue_invoice")
    if is_operator(user):
        return qs
    company = company_for_finance(user)
    return qs.filter(request__company=company) if company is not None else qs.none()


def invoiced_by_order(order_ids=None) -> dict[int, Decimal]:
    """order id → net invoiced amount incl. tax (blue − red) of issued invoices."""
    lines = InvoiceLine.objects.filter(invoice__isnull=False, order__isnull=False)
    if order_ids is not None:
        lines = lines.filter(order_id__in=list(order_ids))
    rows = lines.values("order_id").annotate(amount=Sum("amount"), tax=Sum("tax"))
    return {row["order_id"]: row["amount"] + row["tax"] for row in rows}


def refunded_by_order(order_ids) -> dict[int, Decimal]:
    rows = (
        Refund.objects.filter(order_id__in=list(order_ids), state__in=COUNTED_REFUNDS)
        .values("order_id")
        .annotate(total=Sum("amount"))
    )
    return {row["order_id"]: row["total"] for row in rows}


def red_total(invoice: Invoice, *, states=(InvoiceRequest.State.REQUESTED, InvoiceRequest.State.ISSUED)) -> Decimal:
    """What red-letter requests of ``invoice`` take back (a positive amount incl. tax)."""
    total = invoice.red_requests.filter(state__in=states).aggregate(total=Sum("amount_incl_tax"))["total"]
    return -(total or Decimal("0.00"))


def order_tax_summary(order) -> dict:
    """The order's goods by VAT rate (from its lines as priced) and its issued invoices."""
    rows: dict[str, dict] = {}
    for line in order.lines.all():
        if not line.tax_code:
            continue
        row = rows.setdefault(line.tax_code, {"rate": line.tax_code, "incl": Decimal(0), "excl": Decimal(0)})
        row["incl"] += line.line_price_incl_tax
        row["excl"] += line.line_price_excl_tax
    for row in rows.values():
        row["tax"] = row["incl"] - row["excl"]
    invoices = Invoice.objects.filter(Q(lines__order=order)).distinct().order_by("issued_at", "id")
    return {"rows": sorted(rows.values(), key=lambda r: r["rate"], reverse=True), "invoices": list(invoices)}
