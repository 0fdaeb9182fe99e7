"""Signals other plugins listen to (logistics imports none of them)."""

from django.dispatch import Signal

#: Sent inside the transaction that marks a shipment delivered (every parcel signed for),
#: with ``shipment``. Receivers run in that transaction, so their writes commit with it.
shipment_delivered = Signal()
