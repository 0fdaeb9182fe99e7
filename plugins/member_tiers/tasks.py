"""Nightly jobs (scheduled by MemberTiersConfig.beat_schedule): thin and idempotent."""

from celery import shared_task

from plugins.member_tiers.services import members, points, tags


@shared_task
def requalify_tiers() -> dict:
    return members.requalify()


@shared_task
def recompute_member_facts() -> int:
    return tags.recompute_facts()


@shared_task
def expire_points() -> int:
    return points.expire_points()
