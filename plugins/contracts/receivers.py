"""What the contracts plugin does when orders happen (connected in ``ContractsConfig.ready``)."""

from __future__ import annotations

from functools import partial

from django.db import transaction


def on_order_placed(sender, order, **kwargs):
    """A contract for the order, when the company's policy asks for one; made and rendered in a
    task after the order commits, so a PDF problem never stands in the way of placing it."""
    if getattr(order, "company_id", None) is None:
        return
    from plugins.contracts.tasks import contract_for_order

    transaction.on_commit(partial(contract_for_order.delay, order.pk))


def on_order_cancelled(sender, order, reason="", **kwargs):
    from plugins.contracts.services.contracts import order_changed

    order_changed(order=order, reason=reason or "订单取消")


def on_supplier_order_transitioned(sender, instance, to_state, reason="", **kwargs):
    if to_state not in ("rejected", "cancelled"):
        return
    from plugins.contracts.services.contracts import order_changed

    order_changed(order=instance.order, reason=f"{instance.number}: {reason}" if reason else instance.number)
