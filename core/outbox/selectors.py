"""Read side of the outbox, for the back office (operators see every message)."""

from __future__ import annotations

from django.db.models import QuerySet

from core.outbox.models import OutboxMessage


def messages(*, status: str = "", channel: str = "", search: str = "") -> QuerySet[OutboxMessage]:
    qs = OutboxMessage.objects.select_related("partner")
    if status:
        qs = qs.filter(status=status)
    if channel:
        qs = qs.filter(channel=channel)
    if search:
        qs = qs.filter(reference__icontains=search)
    return qs.order_by("-created_at", "-id")


def message_detail(pk: int) -> OutboxMessage | None:
    return OutboxMessage.objects.select_related("partner").prefetch_related("attempt_log").filter(pk=pk).first()


def channels() -> list[str]:
    from core.outbox import registry

    return list(registry.channels())
