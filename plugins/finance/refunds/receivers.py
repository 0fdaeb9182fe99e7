"""Listeners of the refunds area (connected by plugins.finance.apps)."""

from plugins.finance.services import refunds


def order_cancelled(sender, *, order, actor=None, **kwargs):
    """A cancellation after refunds were executed must not hold what was refunded already."""
    refunds.order_cancelled(order, by=actor)
