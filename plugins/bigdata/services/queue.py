"""The queue of orders whose facts are due: events mark an order (``mark``, in the event's own
transaction), a worker drains the marks in batches (``drain``): up to ``BATCH`` orders claimed
with ``SELECT … FOR UPDATE SKIP LOCKED`` (several workers never take the same order), their
histories read and facts written in one go, the marks deleted — in one transaction, so a worker
that dies leaves its marks for the next. Batching is what makes a worker fast: the histories of
500 orders cost the same dozen statements as one order's."""

from __future__ import annotations

from django.db import connection, transaction

from plugins.bigdata.models import PendingOrder
from plugins.bigdata.services.facts import record_orders

BATCH = 500


def mark(order_id: int) -> None:
    """Queue the order (once: a second mark before the drain is a no-op)."""
    table = PendingOrder._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (order_id, queued_at) VALUES (%s, CURRENT_TIMESTAMP) "  # noqa: S608
            "ON CONFLICT (order_id) DO NOTHING",
            [order_id],
        )


def drain_once(batch: int = BATCH) -> tuple[int, int]:
    """One batch: (orders taken, fact rows inserted)."""
    with transaction.atomic():
        claimed = PendingOrder.objects.order_by("order_id")
        if connection.vendor == "postgresql":
            claimed = claimed.select_for_update(skip_locked=True)
        ids = list(claimed.values_list("order_id", flat=True)[:batch])
        if not ids:
            return 0, 0
        written = record_orders(ids)
        PendingOrder.objects.filter(order_id__in=ids).delete()
    return len(ids), written


def drain(batch: int = BATCH) -> int:
    """Take batches until the queue is empty; fact rows inserted."""
    total = 0
    while True:
        taken, written = drain_once(batch)
        total += written
        if taken < batch:
            return total
