"""Builders for the settlement tests (and benchmarks/finance_settlement.py): suppliers with
profiles and staff, delivered supplier orders (many at once, written in bulk), refunds executed
before settlement, and clawbacks as the refunds area posts them (``clawback:<allocation id>``,
the posting of plugins/finance/chart.py's table)."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone
from oscar.core.loading import get_model

from core.money import to_fen
from core.numbering import next_number
from core.orders import status as order_status
from plugins.finance import chart
from plugins.finance.models import Refund, RefundAllocation
from plugins.finance.services.ledger import account, post
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierOrderLine, SupplierProfile
from tests import factories

Order = get_model("order", "Order")
Line = get_model("order", "Line")
D = Decimal


def supplier_with_staff(code: str, name: str, *, rate: str = "0.0500"):
    partner = factories.supplier(code, name)
    SupplierProfile.objects.update_or_create(partner=partner, defaults={"legal_name": name, "commission_rate": D(rate)})
    staff = factories.supplier_staff(partner, f"{code}staff")
    return partner, staff


def finance_operator(key: str = "caiwu"):
    return factories.operator(key)


def long_ago(days: int = 30) -> datetime:
    return timezone.now() - timedelta(days=days)


def delivered_orders(
    supplier,
    items: list[list[tuple]],
    *,
    delivered_at: datetime | None = None,
    freight: str | list[str] = "0.00",
    state: str = State.DELIVERED,
    company=None,
) -> list[SupplierOrder]:
    """One Oscar order and its supplier order per entry of ``items`` (each a list of (product,
    quantity, unit price)), delivered at ``delivered_at``; written in bulk (a fixed number of
    statements however many), as the split would have made them."""
    delivered_at = delivered_at or long_ago()
    now = timezone.now()
    start = (Order.objects.aggregate(m=Max("pk"))["m"] or 0) + 1
    tag = f"{supplier.code}{start}"
    freights = freight if isinstance(freight, list) else [freight] * len(items)
    orders = Order.objects.bulk_create(
        Order(
            number=f"ST{tag}-{n:05d}",
            currency="CNY",
            total_incl_tax=sum((D(p) * q for _pr, q, p in lines), D(0)) + D(freights[n]),
            total_excl_tax=sum((D(p) * q for _pr, q, p in lines), D(0)) + D(freights[n]),
            shipping_incl_tax=D(freights[n]),
            shipping_excl_tax=D(freights[n]),
            status=order_status.CONFIRMED,
            date_placed=now,
            company=company,
        )
        for n, lines in enumerate(items)
    )
    order_lines = Line.objects.bulk_create(
        Line(
            order=order,
            partner=supplier,
            partner_name=supplier.name,
            partner_sku=product.upc,
            title=product.title,
            upc=product.upc,
            product=product,
            quantity=quantity,
            line_price_incl_tax=D(price) * quantity,
            line_price_excl_tax=D(price) * quantity,
            line_price_before_discounts_incl_tax=D(price) * quantity,
            line_price_before_discounts_excl_tax=D(price) * quantity,
            unit_price_incl_tax=D(price),
            unit_price_excl_tax=D(price),
            status="Delivered",
            num_allocated=quantity,
        )
        for order, lines in zip(orders, items, strict=True)
        for product, quantity, price in lines
    )
    supplier_orders = SupplierOrder.objects.bulk_create(
        SupplierOrder(
            number=f"{order.number}-S1",
            order=order,
            partner=supplier,
            sequence=1,
            state=state,
            subtotal=sum((D(p) * q for _pr, q, p in lines), D(0)),
            freight=D(freights[n]),
            deadline_at=now,
            delivered_at=delivered_at,
        )
        for n, (order, lines) in enumerate(zip(orders, items, strict=True))
    )
    by_order = {so.order_id: so for so in supplier_orders}
    SupplierOrderLine.objects.bulk_create(
        SupplierOrderLine(
            supplier_order=by_order[line.order_id],
            order_line=line,
            sku=line.partner_sku,
            name=line.title,
            quantity=line.quantity,
            unit_price=line.unit_price_incl_tax,
            line_total=line.line_price_incl_tax,
        )
        for line in order_lines
    )
    return supplier_orders


def executed_refund(
    so: SupplierOrder, *, goods: str, freight: str = "0.00", commission: str = "0.00"
) -> RefundAllocation:
    """A refund executed (state refunded) with one allocation to ``so``; the refunds area's
    revenue posting is not this area's concern and is left out (the refund row is what counts)."""
    from django.db import transaction

    with transaction.atomic():
        refund = Refund.objects.create(
            number=next_number(Refund, "TK"),
            order=so.order,
            reason=Refund.Reason.RETURN,
            goods_amount=D(goods),
            freight_amount=D(freight),
            amount=D(goods) + D(freight),
            method=Refund.Method.TRANSFER,
            state=Refund.State.REFUNDED,
        )
        return RefundAllocation.objects.create(
            refund=refund, supplier_order=so, goods=D(goods), freight=D(freight), commission=D(commission)
        )


def clawback(so: SupplierOrder, *, goods: str, freight: str = "0.00", commission: str = "0.00") -> RefundAllocation:
    """A refund after ``so`` was settled, with the clawback the refunds area posts:
    Dr 2202(supplier) goods + freight − commission / Dr 6051 commission / Cr 6401 goods + freight."""
    allocation = executed_refund(so, goods=goods, freight=freight, commission=commission)
    gf = to_fen(D(goods) + D(freight))
    c = to_fen(D(commission))
    lines = [(account(chart.PAYABLE, supplier_id=so.partner_id), gf - c), (account(chart.COST_OF_GOODS), -gf)]
    if c:
        lines.append((account(chart.COMMISSION), c))
    post(key=f"clawback:{allocation.pk}", kind=chart.CLAWBACK, lines=lines, supplier_order_number=so.number)
    return allocation
