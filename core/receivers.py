"""The kernel's own listeners: Oscar's status signal becomes the kernel's order events."""

from django.db.models.signals import post_delete, post_save
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


def _category_changed(sender, **kwargs):
    """A saved or deleted category: every process rebuilds its remembered category tree."""
    from core.templatetags.category_menu import bump_tree_version

    bump_tree_version()


for _signal in (post_save, post_delete):
    _signal.connect(
        _category_changed, sender=get_model("catalogue", "Category"), dispatch_uid=f"core.category_tree.{_signal}"
    )
