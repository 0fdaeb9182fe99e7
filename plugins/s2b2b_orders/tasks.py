"""Celery tasks: thin and idempotent, calling services."""

from celery import shared_task

from core import outbox
from plugins.s2b2b_orders.services import escalation


@shared_task(ignore_result=True)
def drain_outbox(limit: int = 1000) -> int:
    """Kept for drains queued before the outbox moved to the kernel (core.tasks.drain_outbox)."""
    return outbox.drain(limit=limit)


@shared_task(ignore_result=True)
def escalate_overdue_supplier_orders() -> int:
    return escalation.escalate_overdue()


@shared_task(ignore_result=True)
def auto_confirm_receipts() -> int:
    """Complete the parts delivered SUPPLIER_ORDER_AUTO_CONFIRM_DAYS ago that nobody confirmed."""
    from plugins.s2b2b_orders.services import lifecycle

    return lifecycle.auto_confirm_receipts()
