"""What the contracts plugin does when orders happen (connected in ``ContractsConfig.ready``)."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction


def on_order_placed(sender, order, **kwargs):
    """A contract for the order, when the company's policy asks for one; made and rendered in a
    task after the order commits, so a PDF problem never stands in the way of placing it (robust:
    with eager tasks a failure is logged, not raised into the checkout; a worker retries it)."""
    if getattr(order, "company_id", None) is None or not settings.CONTRACTS_FOR_NEW_ORDERS:
        return
    order_id = order.pk

    def make_contract():
        from plugins.contracts.tasks import contract_for_order

        contract_for_order.delay(order_id)

    transaction.on_commit(make_contract, robust=True)


def _order_changed(order_id: int, reason: str) -> None:
    def change_contract():
        from plugins.contracts.tasks import contract_order_changed

        contract_order_changed.delay(order_id, reason)

    transaction.on_commit(change_contract, robust=True)


def on_order_cancelled(sender, order, reason="", **kwargs):
    """A cancelled order re-issues its unsigned contract or drafts a supplementary agreement to
    its signed one — after the cancellation commits, never holding it up."""
    _order_changed(order.pk, reason or "订单取消")


def on_supplier_order_transitioned(sender, instance, to_state, reason="", **kwargs):
    if to_state in ("rejected", "cancelled"):
        _order_changed(instance.order_id, f"{instance.number}: {reason}" if reason else str(instance.number))
