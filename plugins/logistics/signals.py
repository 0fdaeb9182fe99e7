"""Signals of logistics that other plugins listen to (logistics imports none of them).

``shipment_delivered`` is the kernel's (core.shipments): logistics sends it, inside the
transaction that marks a shipment delivered, with ``shipment``.
"""

from core.shipments import shipment_delivered

__all__ = ["shipment_delivered"]
