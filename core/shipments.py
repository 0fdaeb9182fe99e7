"""Suppliers' shipments: the shipment provider hook and the delivery signal.

The supplier-order lifecycle (s2b2b_orders) ships a supplier's part with a carrier and
tracking numbers. It asks the one installed plugin that declares
``PluginAppConfig.shipment_provider`` (logistics: carriers with tracking-number rules,
parcels, vouchers, a tracking timeline) to record and read shipments. Without a provider the
plain fallback below validates that a carrier and tracking numbers were given and keeps
nothing of its own: the shipment lives in the supplier order's audit trail (its transition
reason names the carrier and the numbers), and there is no tracking.

A shipment, whoever records it, has ``carrier`` (``code``, ``name``), ``reference`` (the
supplier order number), ``partner_id``, ``tracking_numbers`` and ``line_items``: what it carries,
each with ``order_line_id``, ``sku``, ``name`` and ``quantity`` (empty for a shipment recorded
without quantities). How much of each line has shipped in all is the supplier order's own count
(s2b2b_orders), so partial shipments work with the plain fallback too; the provider keeps each
shipment's lines for the pages that show them.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from django.core.exceptions import ValidationError
from django.dispatch import Signal
from django.utils.translation import gettext as _

from core.plugins import provider

#: Sent by the shipment provider inside the transaction that marks a shipment delivered (every
#: parcel signed for), with ``shipment``. Receivers' writes commit with it.
shipment_delivered = Signal()


class ShipmentProvider(Protocol):
    def carrier_choices(self) -> list[tuple[str, str]]:
        """(code, name) of the carriers a supplier may choose; empty means "type the carrier"."""

    def record(
        self,
        *,
        order,
        partner,
        reference: str,
        carrier_code: str,
        tracking_numbers: Sequence[str],
        vouchers: Iterable = (),
        shipped_by=None,
        lines: Sequence["ShippedLine"] = (),
    ):
        """Record a shipment (carrying ``lines``) or raise ValidationError keyed by "carrier",
        "tracking_numbers", "vouchers" or "partner", writing nothing."""

    def for_order(self, order, *, partner=None, reference: str | None = None) -> list:
        """The order's shipments (the caller has scoped the order to the asker)."""

    def visible_to(self, user, *, references: Iterable[str], partner_ids: Iterable[int]) -> list:
        """The shipments with these references and suppliers that ``user`` may see."""

    def all_delivered(self, *, order_id: int, partner_id: int, reference: str) -> bool: ...


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str


@dataclass(frozen=True)
class ShippedLine:
    """One order line's quantity in one shipment (a snapshot of its SKU and name)."""

    order_line_id: int
    sku: str
    name: str
    quantity: int


@dataclass(frozen=True)
class RecordedShipment:
    carrier: Carrier
    reference: str
    partner_id: int | None
    tracking_numbers: list[str] = field(default_factory=list)
    line_items: list[ShippedLine] = field(default_factory=list)


class PlainShipments:
    """The fallback: a carrier named by the supplier, tracking numbers, nothing stored."""

    def carrier_choices(self) -> list[tuple[str, str]]:
        return []

    def record(
        self, *, order, partner, reference, carrier_code, tracking_numbers, vouchers=(), shipped_by=None, lines=()
    ):
        errors = {}
        carrier = (carrier_code or "").strip()
        numbers = [n.strip() for n in tracking_numbers or () if n and n.strip()]
        if not carrier:
            errors["carrier"] = [_("Name the carrier.")]
        if not numbers:
            errors["tracking_numbers"] = [_("Enter at least one tracking number.")]
        if errors:
            raise ValidationError(errors)
        return RecordedShipment(
            Carrier(carrier, carrier), reference, getattr(partner, "pk", None), numbers, list(lines or ())
        )

    def for_order(self, order, *, partner=None, reference=None) -> list:
        return []

    def visible_to(self, user, *, references, partner_ids) -> list:
        return []

    def all_delivered(self, *, order_id, partner_id, reference) -> bool:
        return False


def shipments() -> ShipmentProvider:
    """The installed shipment provider, or the plain fallback."""
    return provider("shipment_provider") or PlainShipments()
