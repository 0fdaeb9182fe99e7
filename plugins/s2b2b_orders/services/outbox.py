"""Transactional outbox: messages are written with the change that causes them and delivered
at least once by a Celery task. Webhooks are signed (HMAC-SHA256 over "<timestamp>.<body>")
and carry an event id so receivers can de-duplicate. 5xx and network errors are retried with
exponential backoff; a 4xx, or too many attempts, dead-letters the message with the response kept.
"""

import hashlib
import hmac
import json
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from plugins.s2b2b_orders.models import OutboxAttempt, OutboxMessage, OutboxStatus

Notification = get_model("communication", "Notification")
User = get_user_model()

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_BASE_SECONDS = 30
BACKOFF_MAX_SECONDS = 6 * 3600


def webhook_timeout() -> float:
    return float(getattr(settings, "S2B2B_WEBHOOK_TIMEOUT", 5.0))


def backoff(attempts: int) -> timedelta:
    """Delay before the next try after `attempts` failed ones: 30 s, 60 s, 120 s … capped at 6 h."""
    return timedelta(seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_MAX_SECONDS))


def enqueue(
    *, dedup_key: str, topic: str, channel: str, recipient: str, payload: dict, supplier_order=None, partner=None
) -> OutboxMessage:
    """Write one message (idempotent by dedup_key); delivery starts once the transaction commits."""
    message, created = OutboxMessage.objects.get_or_create(
        dedup_key=dedup_key,
        defaults={
            "topic": topic,
            "channel": channel,
            "recipient": recipient,
            "payload": payload,
            "supplier_order": supplier_order,
            "partner": partner,
            "next_attempt_at": timezone.now(),
        },
    )
    if created:
        schedule_drain()
    return message


def schedule_drain() -> None:
    transaction.on_commit(_kick_drain)


def _kick_drain() -> None:
    """After commit, ask a worker to drain. The messages are already safe in the database, so a
    broker that cannot be reached only delays delivery until the beat-scheduled drain."""
    from plugins.s2b2b_orders.tasks import drain_outbox

    if drain_outbox.app.conf.task_always_eager:
        drain_outbox.apply()  # in-process (no broker, e.g. the demo): no producer needed
        return
    try:
        drain_outbox.delay()
    except Exception:  # kombu/redis errors of any kind
        logger.warning("could not queue the outbox drain; the scheduled drain will deliver", exc_info=True)


def sign(secret: str, timestamp: str, body: str) -> str:
    return hmac.new(secret.encode(), f"{timestamp}.{body}".encode(), hashlib.sha256).hexdigest()


def verify(secret: str, timestamp: str, body: str, signature: str) -> bool:
    """What a receiver does (documented in README): recompute and compare in constant time."""
    return hmac.compare_digest(sign(secret, timestamp, body), signature)


@dataclass
class Outcome:
    ok: bool
    retry: bool = False
    status_code: int | None = None
    response_body: str = ""
    error: str = ""


def _deliver_webhook(message: OutboxMessage) -> Outcome:
    from plugins.s2b2b_orders.models import SupplierProfile

    profile = SupplierProfile.objects.filter(partner_id=message.partner_id).first()
    secret = profile.webhook_secret if profile else ""
    body = json.dumps({"event_id": str(message.event_id), **message.payload}, ensure_ascii=False, sort_keys=True)
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "X-S2B2B-Event-Id": str(message.event_id),
        "X-S2B2B-Timestamp": timestamp,
        "X-S2B2B-Signature": sign(secret, timestamp, body),
        "X-S2B2B-Event": message.topic,
    }
    try:
        response = requests.post(message.recipient, data=body.encode(), headers=headers, timeout=webhook_timeout())
    except requests.RequestException as exc:
        return Outcome(ok=False, retry=True, error=f"{type(exc).__name__}: {exc}"[:2000])
    text = response.text[:4000]
    if 200 <= response.status_code < 300:
        return Outcome(ok=True, status_code=response.status_code, response_body=text)
    retry = response.status_code >= 500 or response.status_code in (408, 429)
    return Outcome(
        ok=False,
        retry=retry,
        status_code=response.status_code,
        response_body=text,
        error=f"HTTP {response.status_code}",
    )


def _deliver_email(message: OutboxMessage) -> Outcome:
    try:
        send_mail(
            message.payload.get("subject", ""),
            message.payload.get("body", ""),
            settings.DEFAULT_FROM_EMAIL,
            [message.recipient],
        )
    except Exception as exc:  # SMTP errors of any kind are retried
        return Outcome(ok=False, retry=True, error=f"{type(exc).__name__}: {exc}"[:2000])
    return Outcome(ok=True)


def _deliver_notification(message: OutboxMessage) -> Outcome:
    user = User.objects.filter(pk=message.recipient).first()
    if user is None:
        return Outcome(ok=False, retry=False, error="recipient no longer exists")
    Notification.objects.create(
        recipient=user, subject=message.payload.get("subject", "")[:255], body=message.payload.get("body", "")
    )
    return Outcome(ok=True)


DELIVERERS = {"webhook": _deliver_webhook, "email": _deliver_email, "notification": _deliver_notification}


def deliver_one(message_id: int | None = None, *, now: datetime | None = None) -> OutboxMessage | None:
    """Lock one due message (skipping ones another worker holds), try it, record the attempt."""
    now = now or timezone.now()
    with transaction.atomic():
        qs = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
            status=OutboxStatus.PENDING, next_attempt_at__lte=now
        )
        if message_id is not None:
            qs = qs.filter(pk=message_id)
        message = qs.order_by("next_attempt_at", "id").first()
        if message is None:
            return None
        started = time.monotonic()
        outcome = DELIVERERS[message.channel](message)
        OutboxAttempt.objects.create(
            message=message,
            ok=outcome.ok,
            status_code=outcome.status_code,
            response_body=outcome.response_body,
            error=outcome.error,
            duration_ms=int((time.monotonic() - started) * 1000),
        )
        message.attempts += 1
        if outcome.ok:
            message.status = OutboxStatus.DELIVERED
            message.delivered_at = timezone.now()
            message.last_error = ""
        else:
            message.last_error = outcome.error or outcome.response_body
            if outcome.retry and message.attempts < MAX_ATTEMPTS:
                message.next_attempt_at = now + backoff(message.attempts)
            else:
                message.status = OutboxStatus.DEAD
        message.save()
        return message


def drain(*, limit: int = 200, now: datetime | None = None) -> int:
    """Deliver up to `limit` due messages; returns how many were tried."""
    tried = 0
    while tried < limit and deliver_one(now=now) is not None:
        tried += 1
    return tried


def redrive(message: OutboxMessage) -> OutboxMessage:
    """An operator sends a dead-lettered (or waiting) message again from the back office."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
        if message.status == OutboxStatus.DELIVERED:
            return message
        message.status = OutboxStatus.PENDING
        message.next_attempt_at = timezone.now()
        message.save(update_fields=["status", "next_attempt_at"])
        schedule_drain()
    return message
