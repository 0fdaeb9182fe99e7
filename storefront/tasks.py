"""Celery tasks of the storefront: thin, idempotent, calling services."""

from celery import shared_task

from storefront.services.notifications import notify_order_placed


@shared_task(bind=True, autoretry_for=(ConnectionError, TimeoutError), retry_backoff=True, max_retries=5)
def send_order_placed_email(self, order_id: int) -> bool:
    return notify_order_placed(order_id)
