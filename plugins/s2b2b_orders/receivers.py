"""Signal receivers: split a placed order into supplier orders, inside the order's transaction."""

from plugins.s2b2b_orders.services.split import split_order


def on_order_placed(sender, order, user=None, **kwargs):
    split_order(order)
