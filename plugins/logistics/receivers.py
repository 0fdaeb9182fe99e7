"""Signal receivers: store the freight of each supplier part when an order is placed."""

from django.dispatch import receiver
from oscar.apps.order.signals import order_placed

from plugins.logistics.services.freight import ensure_order_freight


@receiver(order_placed, dispatch_uid="logistics_order_freight")
def store_order_freight(sender, order, **kwargs):
    ensure_order_freight(order)
