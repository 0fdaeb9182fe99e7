"""The transactional outbox: everything the platform sends out (webhooks, e-mails, portal
notifications, carrier subscriptions) is written as a row in the same transaction as the change
that causes it, then delivered at least once by Celery workers, retried with backoff,
dead-lettered and re-drivable by an operator.

- ``enqueue`` / ``enqueue_many`` (core.outbox.services): write messages; idempotent by key.
- channels are delivered by deliverers registered per channel on AppConfigs
  (core.outbox.registry); the kernel provides ``email`` and ``notification``, and a signed
  webhook base (core.outbox.webhook) that reads the recipient's URL and secret at send time.
- ``drain`` / ``run`` (core.outbox.worker): claim in batches with ``FOR UPDATE SKIP LOCKED`` and
  a lease, send outside any transaction over kept-alive connections in a small thread pool,
  record in bulk; exactly one attempt row per try, even for a worker killed mid-batch.
- ``redrive``: an operator sends a dead letter again.
- payload fields keep one JSON type on every path (core.outbox.payload).
"""

from core.outbox.models import MACHINE, MAX_ATTEMPTS, OutboxAttempt, OutboxMessage, Status
from core.outbox.registry import Deliverer, Outcome
from core.outbox.services import (
    Message,
    backoff,
    enqueue,
    enqueue_many,
    note_unavailable,
    redrive,
    redrive_many,
    schedule_drain,
)
from core.outbox.worker import Report, drain, run

__all__ = [
    "MACHINE",
    "MAX_ATTEMPTS",
    "Deliverer",
    "Message",
    "OutboxAttempt",
    "OutboxMessage",
    "Outcome",
    "Report",
    "Status",
    "backoff",
    "drain",
    "enqueue",
    "enqueue_many",
    "note_unavailable",
    "redrive",
    "redrive_many",
    "run",
    "schedule_drain",
]
