"""Celery tasks: thin and idempotent, calling services."""

from celery import shared_task

from plugins.logistics.services.tracking import send_pending_subscriptions


@shared_task(bind=True, max_retries=8, default_retry_delay=60)
def send_tracking_subscriptions(self) -> int:
    """Drain the tracking-subscription outbox; retried with backoff while some are still pending."""
    sent, pending = send_pending_subscriptions()
    if pending:
        raise self.retry(countdown=min(3600, 60 * 2**self.request.retries))
    return sent
