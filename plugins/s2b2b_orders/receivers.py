"""Signal receivers: split a placed order into supplier orders, inside the order's transaction;
a supplier order is delivered when the carrier has delivered all of its shipments."""

from plugins.s2b2b_orders.services.lifecycle import mark_delivered_by_carrier
from plugins.s2b2b_orders.services.split import split_order


def on_order_placed(sender, order, user=None, **kwargs):
    split_order(order)


def on_shipment_delivered(sender, shipment, **kwargs):
    mark_delivered_by_carrier(shipment)
