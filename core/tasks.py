"""Celery tasks of the kernel: thin and idempotent, calling services."""

from celery import shared_task

from core import outbox


@shared_task(ignore_result=True)
def drain_outbox(limit: int = 1000) -> int:
    """Deliver due outbox messages (several workers may run this at once: rows are claimed with
    SKIP LOCKED under a lease)."""
    return outbox.drain(limit=limit)
