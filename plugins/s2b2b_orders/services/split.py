"""Splitting an order into one supplier order per supplier, and forwarding each once.

This runs when the order's payment is secured (the kernel's ``payment_secured``), never before:
an unpaid order waits, pending payment, and no supplier sees it. The acceptance deadline
counts from then."""

from collections import OrderedDict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
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
from plugins.s2b2b_orders.services.notify import notify

Order = get_model("order", "Order")
DEFAULT_ACCEPTANCE_HOURS = 24


def freight_by_supplier(order: Order) -> dict[int, Decimal]:
    """Freight per supplier part, from the freight provider (none without one)."""
    return order_freight(order)


def split_order(order: Order, *, now: datetime | None = None) -> list[SupplierOrder]:
    """Create the supplier orders of `order` (idempotent: a retry returns the existing ones)."""
    now = now or timezone.now()
    with transaction.atomic():
        lines = list(order.lines.select_related("stockrecord").order_by("id"))
        groups: OrderedDict[int, list] = OrderedDict()
        for line in lines:
            if line.partner_id:
                groups.setdefault(line.partner_id, []).append(line)
        existing = {so.partner_id: so for so in SupplierOrder.objects.filter(order=order, replaces__isnull=True)}
        missing = [pid for pid in groups if pid not in existing]
        if not missing:
            return sorted(existing.values(), key=lambda so: so.sequence)
        freight = freight_by_supplier(order)
        profiles = {p.partner_id: p for p in SupplierProfile.objects.filter(partner_id__in=missing)}
        address = order.shipping_address
        used = set(SupplierOrder.objects.filter(order=order).values_list("sequence", flat=True))
        for index, partner_id in enumerate(groups, start=1):
            if partner_id in existing:
                continue
            sequence = index
            while sequence in used:
                sequence += 1
            used.add(sequence)
            profile = profiles.get(partner_id)
            hours = profile.acceptance_hours if profile else DEFAULT_ACCEPTANCE_HOURS
            part = groups[partner_id]
            try:
                with transaction.atomic():  # a concurrent retry that got here first wins
                    so = SupplierOrder.objects.create(
                        number=f"{order.number}-S{sequence}",
                        order=order,
                        partner_id=partner_id,
                        sequence=sequence,
                        currency=order.currency,
                        subtotal=fen(sum((line.line_price_incl_tax for line in part), ZERO)),
                        freight=fen(freight.get(partner_id, ZERO)),
                        deadline_at=now + timedelta(hours=hours),
                        **_address_snapshot(address),
                    )
            except IntegrityError:
                existing_so = SupplierOrder.objects.filter(order=order, partner_id=partner_id, replaces__isnull=True)
                existing[partner_id] = existing_so.get()
                continue
            SupplierOrderLine.objects.bulk_create([_line_snapshot(so, line) for line in part])
            SupplierOrderEvent.objects.create(supplier_order=so, from_state="", to_state=State.FORWARDED)
            notify(so, "supplier_order.forwarded")
            existing[partner_id] = so
        return sorted(existing.values(), key=lambda so: so.sequence)


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
