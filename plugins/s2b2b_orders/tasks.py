"""Celery tasks: thin and idempotent, calling services."""

from celery import shared_task

from plugins.s2b2b_orders.services import escalation, outbox


@shared_task(ignore_result=True)
def drain_outbox(limit: int = 200) -> int:
    """Deliver due outbox messages (several workers may run this at once: rows are skip-locked)."""
    return outbox.drain(limit=limit)


@shared_task(ignore_result=True)
def escalate_overdue_supplier_orders() -> int:
    return escalation.escalate_overdue()
