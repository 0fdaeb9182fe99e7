"""Writing to the outbox: enqueue (in the caller's transaction) and an operator's re-drive."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models, transaction
from django.utils import timezone

from core.outbox import payload as payloads
from core.outbox.models import MACHINE, MAX_ATTEMPTS, OutboxMessage, Status

logger = logging.getLogger(__name__)

BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 30 s, 60 s, 120 s … capped at 6 h."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


@dataclass
class Message:
    """One message to write (see ``enqueue`` for the fields)."""

    dedup_key: str
    topic: str
    channel: str
    recipient: str
    payload: dict[str, Any]
    reference: str = ""
    subject: models.Model | None = None
    partner: Any = None
    not_before: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def row(self, now: datetime) -> OutboxMessage:
        payloads.check(self.payload)
        subject = self.subject
        return OutboxMessage(
            dedup_key=self.dedup_key[:255],
            topic=self.topic,
            channel=self.channel,
            recipient=str(self.recipient),
            reference=str(self.reference)[:128],
            content_type=ContentType.objects.get_for_model(type(subject)) if subject is not None else None,
            object_id=subject.pk if subject is not None else None,
            partner=self.partner,
            payload=self.payload,
            next_attempt_at=self.not_before or now,
        )


def enqueue(
    *,
    dedup_key: str,
    topic: str,
    channel: str,
    recipient: str,
    payload: dict[str, Any],
    reference: str = "",
    subject: models.Model | None = None,
    partner=None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Write one message in the caller's transaction (idempotent by ``dedup_key``: the same key
    again returns the first message and writes nothing). Delivery starts once it commits.

    ``recipient`` is a key the channel's deliverer resolves at send time; ``subject`` (any
    row) and ``reference`` say what the message is about; ``payload`` holds JSON types only,
    one type per field (``core.outbox.payload``)."""
    row = Message(dedup_key, topic, channel, recipient, payload, reference, subject, partner, not_before).row(
        timezone.now()
    )
    message, created = OutboxMessage.objects.get_or_create(
        dedup_key=row.dedup_key,
        defaults={f.attname: getattr(row, f.attname) for f in OutboxMessage._meta.concrete_fields if f.attname != "id"},
    )
    if created:
        schedule_drain()
    return message


def enqueue_many(messages: Iterable[Message]) -> int:
    """Write several messages in one statement; keys already present are skipped. Returns how
    many were given (the database does not say which keys were new)."""
    now = timezone.now()
    rows = [m.row(now) for m in messages]
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    schedule_drain()
    return len(rows)


def schedule_drain() -> None:
    """Once per transaction, after it commits: ask a worker to drain."""
    if connection.in_atomic_block and any(func is _kick_drain for _, func, _ in connection.run_on_commit):
        return
    transaction.on_commit(_kick_drain)


def _kick_drain() -> None:
    """After commit, ask a worker to drain. The messages are already safe in the database, so a
    broker that cannot be reached only delays delivery until the beat-scheduled drain."""
    from core.tasks import drain_outbox

    if drain_outbox.app.conf.task_always_eager:
        drain_outbox.apply()  # in-process (no broker, e.g. the demo): no producer needed
        return
    try:
        drain_outbox.delay()
    except Exception:  # kombu/redis errors of any kind
        logger.warning("could not queue the outbox drain; the scheduled drain will deliver", exc_info=True)


def redrive(message: OutboxMessage, *, actor=None, reason: str = "", via: str = "back office") -> OutboxMessage:
    """An operator sends a message again: a dead letter goes back to pending with a fresh
    budget of attempts (an audit row says who); a waiting one is made due now. A message being
    sent or already delivered is left as it is."""
    now = timezone.now()
    with transaction.atomic():
        locked = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if locked.status == Status.DEAD:
            MACHINE.transition(
                locked,
                Status.PENDING,
                actor=actor,
                via=via,
                reason=reason,
                now=now,
                lock=False,
                changes={"next_attempt_at": now, "attempt_limit": locked.attempts + MAX_ATTEMPTS},
            )
            schedule_drain()
        elif locked.status == Status.PENDING and locked.next_attempt_at > now:
            locked.next_attempt_at = now
            locked.save(update_fields=["next_attempt_at"])
            schedule_drain()
    return locked


def redrive_many(messages: Iterable[OutboxMessage] | models.QuerySet, **kwargs) -> int:
    count = 0
    for message in messages:
        before = message.status
        if redrive(message, **kwargs).status != before or before == Status.PENDING:
            count += 1
    return count


def note_unavailable(channel: str, reason: str) -> int:
    """A channel that cannot send now: its waiting messages show why (they stay pending)."""
    return (
        OutboxMessage.objects.filter(channel=channel, status=Status.PENDING)
        .exclude(last_error=reason)
        .update(last_error=reason)
    )
