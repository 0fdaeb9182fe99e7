"""Celery tasks: thin and idempotent (a re-delivered task inserts nothing)."""

from celery import shared_task


@shared_task(bind=True, max_retries=5, default_retry_delay=10, acks_late=True)
def record_order_facts(self, order_id: int) -> int:
    """Bring one order's sales facts up to date with its history; rows inserted."""
    from plugins.bigdata.services.facts import record_orders

    return record_orders([order_id])
