"""Splitting an order into one supplier order per supplier, and forwarding each once.

This runs when the order's payment is secured (the kernel's ``payment_secured``), never before:
an unpaid order waits, pending payment, and no supplier sees it. The acceptance deadline
counts from then. Each supplier order copies what its supplier must read: the delivery address
with its delivery notes (配送备注) and the buyer's remark to that supplier; the buyer's
purchase-order number is read from the order (it never changes)."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from oscar.core.loading import get_model

from core.freight import order_freight
from core.money import ZERO, fen
from plugins.s2b2b_orders.models import (
    State,
    SupplierOrder,
    SupplierOrderEvent,
    SupplierOrderLine,
    SupplierProfile,
)
from plugins.s2b2b_orders.services.notify import notify_many

Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")
DEFAULT_ACCEPTANCE_HOURS = 24


def freight_by_supplier(order: Order) -> dict[int, Decimal]:
    """Freight per supplier part, from the freight provider (none without one)."""
    return order_freight(order)


def split_order(order: Order, *, now: datetime | None = None) -> list[SupplierOrder]:
    """Create the supplier orders of `order` (idempotent: a retry returns the existing ones).

    The order row is locked first, so a concurrent retry waits and then finds the parts made.
    Every part is written at once (supplier orders, their lines, their first events, their
    outbox messages: one statement each), so an order to ten suppliers costs the queries of an
    order to one."""
    now = now or timezone.now()
    with transaction.atomic():
        Order.objects.select_for_update().filter(pk=order.pk).exists()
        lines = list(order.lines.select_related("stockrecord").order_by("id"))
        groups: dict[int, list] = {}
        for line in lines:
            if line.partner_id:
                groups.setdefault(line.partner_id, []).append(line)
        parts = list(SupplierOrder.objects.filter(order=order))  # with replacements: their numbers are taken
        existing = {so.partner_id: so for so in parts if so.replaces_id is None}
        missing = [pid for pid in groups if pid not in existing]
        if not missing:
            return sorted(existing.values(), key=lambda so: so.sequence)
        freight = freight_by_supplier(order)
        profiles = {p.partner_id: p for p in SupplierProfile.objects.filter(partner_id__in=missing)}
        partners = Partner.objects.in_bulk(missing)
        address = _address_snapshot(order.shipping_address)
        used = {so.sequence for so in parts}
        made = []
        for index, partner_id in enumerate(groups, start=1):
            if partner_id in existing:
                continue
            sequence = index
            while sequence in used:
                sequence += 1
            used.add(sequence)
            profile = profiles.get(partner_id)
            hours = profile.acceptance_hours if profile else DEFAULT_ACCEPTANCE_HOURS
            made.append(
                SupplierOrder(
                    number=f"{order.number}-S{sequence}",
                    order=order,
                    partner=partners[partner_id],
                    sequence=sequence,
                    currency=order.currency,
                    subtotal=fen(sum((line.line_price_incl_tax for line in groups[partner_id]), ZERO)),
                    freight=fen(freight.get(partner_id, ZERO)),
                    deadline_at=now + timedelta(hours=hours),
                    buyer_remark=_remark_to(order, partner_id),
                    **address,
                )
            )
        SupplierOrder.objects.bulk_create(made)
        SupplierOrderLine.objects.bulk_create(
            [_line_snapshot(so, line) for so in made for line in groups[so.partner_id]]
        )
        SupplierOrderEvent.objects.bulk_create(
            [SupplierOrderEvent(supplier_order=so, from_state="", to_state=State.FORWARDED) for so in made]
        )
        prefetch_related_objects(made, "lines")
        notify_many(made, "supplier_order.forwarded")
        existing.update({so.partner_id: so for so in made})
        return sorted(existing.values(), key=lambda so: so.sequence)


def _remark_to(order: Order, partner_id: int) -> str:
    """What the buyer wrote at checkout to this supplier (the order's remarks, by partner id)."""
    remarks = getattr(order, "supplier_remarks", None) or {}
    return str(remarks.get(str(partner_id), "") or "")


def _address_snapshot(address) -> dict:
    if address is None:
        return {}
    return {
        "consignee": address.last_name or "",
        "company": address.line2 or "",
        "phone": str(address.phone_number or ""),
        "province": address.state or "",
        "city": address.line4 or "",
        "district": address.line3 or "",
        "street": address.line1 or "",
        "postcode": address.postcode or "",
        "buyer_note": getattr(address, "notes", "") or "",
    }


def _line_snapshot(so: SupplierOrder, line, unit_cost=None) -> SupplierOrderLine:
    stockrecord = line.stockrecord
    if unit_cost is None and stockrecord is not None and stockrecord.partner_id == so.partner_id:
        unit_cost = stockrecord.cost
    return SupplierOrderLine(
        supplier_order=so,
        order_line=line,
        sku=line.partner_sku or line.upc or "",
        name=line.title,
        quantity=line.quantity,
        unit_price=fen(line.unit_price_incl_tax or ZERO),
        line_total=fen(line.line_price_incl_tax),
        unit_cost=unit_cost,
    )
