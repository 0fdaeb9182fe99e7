"""Celery jobs of companies (scheduled by CompaniesConfig.beat_schedule): thin and idempotent."""

from celery import shared_task

from companies.approvals import services as approvals


@shared_task
def expire_approval_requests() -> int:
    """Expire the purchase requests nobody decided in time, releasing their holds."""
    return approvals.expire_overdue()
