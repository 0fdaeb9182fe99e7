"""What the analytics plugin does when sales move (connected in ``BigdataConfig.ready``): the
order is marked in the change's own transaction (services.queue), and after commit a task drains
the marks in batches, replaying each order's history into facts. Every event leads to the same
replay, so a late or repeated one changes nothing it should not (services/facts.py)."""

from __future__ import annotations

from django.db import transaction


def record_after_commit(order_id: int | None) -> None:
    if order_id is None:
        return
    from plugins.bigdata.services.queue import mark

    mark(order_id)

    def send():
        from plugins.bigdata.tasks import drain_fact_queue

        drain_fact_queue.delay()

    transaction.on_commit(send, robust=True)


def on_order_event(sender, order, **kwargs):
    """payment_secured, order_paid, order_cancelled (the kernel's events)."""
    record_after_commit(order.pk)


def on_state_changed(sender, machine, instance, to_state, **kwargs):
    """The kernel's state machines: a refund paid back (finance's ``refund`` machine), a supplier
    part cancelled (s2b2b_orders' ``supplier_order``: re-routed to the backup, or closed — its
    lines may have changed hands), an escalation resolved by re-routing a rejected part (which
    stays rejected). No import of either plugin: without them nothing is sent."""
    if (machine.name, to_state) in (("refund", "refunded"), ("supplier_order", "cancelled")):
        record_after_commit(getattr(instance, "order_id", None))
    elif (machine.name, to_state) == ("escalation", "rerouted"):
        record_after_commit(getattr(getattr(instance, "supplier_order", None), "order_id", None))
