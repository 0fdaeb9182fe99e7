"""Signal receivers. Supplier orders exist once the order's payment is secured (the kernel's
``payment_secured``): then the order is split and each part forwarded. A cancelled order cancels
its parts; a rejected part is escalated; a part is delivered when the carrier has delivered all
of its shipments. All run inside the transaction of the event."""

from plugins.s2b2b_orders.models import State
from plugins.s2b2b_orders.services import escalation, lifecycle
from plugins.s2b2b_orders.services.split import split_order


def on_payment_secured(sender, order, **kwargs):
    split_order(order)


def on_order_cancelled(sender, order, reason="", actor=None, **kwargs):
    lifecycle.cancel_parts_of(order, reason=reason, actor=actor)


def on_supplier_order_transitioned(sender, instance, to_state, **kwargs):
    if to_state == State.REJECTED:
        escalation.escalate(instance, reason="rejected")


def on_shipment_delivered(sender, shipment, **kwargs):
    lifecycle.mark_delivered_by_carrier(shipment)
