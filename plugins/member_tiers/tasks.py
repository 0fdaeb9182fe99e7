"""Nightly jobs (scheduled by MemberTiersConfig.beat_schedule) and the price-rule import: thin
and idempotent."""

from celery import shared_task
from django.utils import translation

from plugins.member_tiers.services import members, points, rules, tags


@shared_task
def requalify_tiers() -> dict:
    return members.requalify()


@shared_task
def recompute_member_facts() -> int:
    return tags.recompute_facts()


@shared_task
def expire_points() -> int:
    return points.expire_points()


@shared_task(acks_late=True)
def import_price_rules(import_id: int, language: str | None = None) -> str | None:
    """Check and apply one uploaded file of price rules (all lines or none); its messages in the
    uploader's language."""
    with translation.override(language):
        job = rules.run_import(import_id)
    return job.status if job else None
