"""Listeners: which rule priced each line when an order is placed; the kernel's payment events
move points and credit (inside the event's transaction)."""

from plugins.member_tiers.services import orders


def order_placed(sender, order, **kwargs):
    orders.record_line_prices(order)


def order_paid(sender, order, **kwargs):
    orders.on_paid(order)


def order_cancelled(sender, order, actor=None, **kwargs):
    orders.on_cancelled(order, actor=actor)
