"""The kernel's own listeners: Oscar's status signal becomes the kernel's order events."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_status_changed
from oscar.core.loading import get_model

from core.orders import events, status


@receiver(order_status_changed, dispatch_uid="core.orders.cancelled")
def announce_cancellation(sender, order, old_status, new_status, **kwargs):
    """Whatever path cancelled the order (the back office, its supplier parts, a service), the
    listeners hear ``order_cancelled`` in the same transaction."""
    if new_status == status.CANCELLED and old_status != status.CANCELLED:
        events.order_cancelled.send(
            sender=get_model("order", "Order"),
            order=order,
            previous_status=old_status,
            reason=getattr(order, "_status_reason", ""),
            actor=getattr(order, "_status_actor", None),
        )
