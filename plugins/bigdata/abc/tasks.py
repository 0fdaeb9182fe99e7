"""The daily ABC run (beat: plugins.bigdata.abc.routes.BEAT): thin and idempotent per day."""

from celery import shared_task
from django.db import DatabaseError


@shared_task(bind=True, autoretry_for=(DatabaseError,), retry_backoff=30, max_retries=5, acks_late=True)
def scheduled_abc_run(self) -> int:
    """Store today's scheduled run (the last 365 days) and the latest class of every product; the
    run's id (the existing one when today's already ran)."""
    from plugins.bigdata.abc.services import scheduled_run

    return scheduled_run().pk
