"""Celery tasks: thin and idempotent, calling services."""

from celery import shared_task

from core import outbox
from plugins.logistics.services.tracking import CHANNEL


@shared_task(ignore_result=True)
def send_tracking_subscriptions() -> int:
    """Kept for tasks queued before subscriptions moved to the kernel's outbox: drains the due
    Kuaidi100 subscriptions (the outbox's own drain sends them too, with its backoff)."""
    return outbox.run(channels=(CHANNEL,)).delivered
