"""Rebuilding the facts from history: orders are streamed by id in batches (keyset pagination, a
batch's histories read in a fixed number of queries), so memory stays flat whatever the history;
each batch commits on its own, and running it again inserts only what is missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from oscar.core.loading import get_model

from core.orders import payments
from plugins.bigdata.models import MonthlySales, SalesFact
from plugins.bigdata.services import facts

BATCH = 500
Order = get_model("order", "Order")


@dataclass(frozen=True)
class Result:
    orders: int
    facts: int
    rollup_rows: int


def _secured_orders():
    return Order.objects.filter(payment_events__event_type__code=payments.SECURED).distinct()


def order_count() -> int:
    return _secured_orders().count()


def order_id_batches(batch: int = BATCH):
    """Ids of the orders whose payment was secured, ``batch`` at a time, in id order."""
    last = 0
    while True:
        ids = list(_secured_orders().filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return
        yield ids
        last = ids[-1]


def rebuild(*, batch: int = BATCH, progress: Callable[[int], None] | None = None) -> Result:
    orders = written = 0
    for ids in order_id_batches(batch):
        written += facts.record_orders(ids)
        orders += len(ids)
        if progress:
            progress(orders)
    return Result(orders=orders, facts=written, rollup_rows=facts.rebuild_rollup())


def truncate() -> None:
    """Empty the facts and the rollup (TRUNCATE is not refused by the append-only trigger)."""
    with transaction.atomic(), connection.cursor() as cursor:
        for model in (SalesFact, MonthlySales):
            table = model._meta.db_table
            cursor.execute(f"DELETE FROM {table}" if connection.vendor == "sqlite" else f"TRUNCATE {table}")  # noqa: S608
