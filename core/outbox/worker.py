"""Draining the outbox: claim a batch, send it outside any transaction, record the results in bulk.

One drain (``run``/``drain``, called by the Celery task ``core.tasks.drain_outbox``; several
workers may drain at once) repeats three steps, keeping up to ``batch_size + concurrency``
messages in flight:

1. **claim** a batch (``batch_size``, 50) in one short transaction:
   ``SELECT … WHERE status IN (pending, sending) AND next_attempt_at <= now ORDER BY
   next_attempt_at, id LIMIT 50 FOR UPDATE SKIP LOCKED``, then one ``UPDATE`` marks them
   ``sending`` under a fresh claim token with a lease (``next_attempt_at = now + lease``). Rows
   another worker is claiming are skipped, not waited for. A row still ``sending`` whose lease has
   ended was claimed by a worker that died (or hung) mid-flight: its interrupted try is recorded
   as an attempt, counted, and the row is claimed again (or dead-lettered if out of attempts).
2. **send** each message with its channel's deliverer (core.outbox.registry) in a small thread
   pool (``concurrency``), each pool thread keeping its own ``requests.Session`` alive, so a
   receiver that takes 50 ms still gets ``concurrency / 0.05 s`` messages a second. No
   transaction is open and no row is locked while the network is used.
3. **record** the results in one transaction: lock the rows (in id order), keep only those still
   held by this claim's token (a claim whose lease ran out was taken over and its try already
   recorded as interrupted), ``bulk_create`` their attempt rows, one ``UPDATE`` for the delivered
   ones, one ``bulk_update`` for the retried and dead-lettered ones — and, when the pool runs low,
   claim the next batch in the same transaction (one commit serves both).

So each message is sent at least once, and each try is recorded exactly once: a worker killed
after the receiver answered but before step 3 leaves the row ``sending``; after the lease another
worker records that try as interrupted and sends again, and the receiver de-duplicates by event
id. About six statements and one commit serve a whole batch, instead of six statements and a
commit per message.

Settings: ``OUTBOX_BATCH_SIZE`` (50), ``OUTBOX_CONCURRENCY`` (24 threads), ``OUTBOX_LEASE_SECONDS``
(120; longer than a batch can take at the deliverers' time-outs).
"""

from __future__ import annotations

import logging
import os
import queue
import socket
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

import requests
from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from core.outbox import registry
from core.outbox.models import CLAIMABLE, MACHINE, OutboxAttempt, OutboxMessage, Status
from core.outbox.registry import Deliverer, Outcome
from core.outbox.services import backoff, note_unavailable

logger = logging.getLogger(__name__)


def _setting(name: str, default):
    return type(default)(getattr(settings, name, default))


@dataclass
class Report:
    """What one drain did."""

    claimed: int = 0
    delivered: int = 0
    retrying: int = 0
    dead: int = 0
    interrupted: int = 0  # tries of dead workers recorded at re-claim
    stale: int = 0  # results dropped because the claim had been taken over

    @property
    def tried(self) -> int:
        return self.claimed


@dataclass
class _Result:
    message: OutboxMessage
    outcome: Outcome
    started: datetime
    duration_ms: int


# --- the per-process thread pool and its sessions ---------------------------------------------

_pool_lock = threading.Lock()
_pools: dict[tuple[int, int], ThreadPoolExecutor] = {}
_local = threading.local()


def _executor(size: int) -> ThreadPoolExecutor:
    """One pool per process and size, made on first use (so a forked Celery child makes its own)."""
    key = (os.getpid(), size)
    with _pool_lock:
        pool = _pools.get(key)
        if pool is None:
            pool = _pools[key] = ThreadPoolExecutor(max_workers=size, thread_name_prefix="outbox")
        return pool


#: with none of these set, a session need not read the environment on every request
_ENVIRONMENT = ("http_proxy", "https_proxy", "all_proxy", "no_proxy", "requests_ca_bundle", "curl_ca_bundle")


def session() -> requests.Session:
    """This thread's HTTP session: its connections stay open between messages and batches."""
    s = getattr(_local, "session", None)
    if s is None or getattr(_local, "pid", None) != os.getpid():
        s = requests.Session()
        # proxies, CA bundle or .netrc from the environment are looked up per request, which costs
        # a third of a request's CPU: only when the environment configures some
        s.trust_env = any(os.environ.get(v) or os.environ.get(v.upper()) for v in _ENVIRONMENT)
        adapter = requests.adapters.HTTPAdapter(pool_connections=16, pool_maxsize=2, max_retries=0)
        s.mount("http://", adapter)
        s.mount("https://", adapter)
        _local.session, _local.pid = s, os.getpid()
    return s


# --- the worker --------------------------------------------------------------------------------


@contextmanager
def _write_transaction():
    """A short transaction that may write outbox rows.

    PostgreSQL locks the rows it claims (FOR UPDATE SKIP LOCKED). SQLite has no row locks: the
    transaction takes the database's write lock when it begins (BEGIN IMMEDIATE), so two workers'
    claims queue instead of both reading the same rows, and no reader ever has to upgrade to a
    writer (SQLite's deadlock case, answered "database is locked" at once)."""
    if connection.vendor != "sqlite":
        with transaction.atomic():
            yield
        return
    if connection.in_atomic_block:  # the caller's transaction has begun: take the lock now
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("UPDATE core_outboxmessage SET id = id WHERE 0")
            yield
        return
    connection.ensure_connection()
    previous = connection.transaction_mode
    connection.transaction_mode = "IMMEDIATE"
    try:
        with transaction.atomic():
            connection.transaction_mode = previous  # only this BEGIN
            yield
    finally:
        connection.transaction_mode = previous


def _move(current: str, target: str) -> str:
    if not MACHINE.can(current, target):  # the table is the one authority on moves
        raise RuntimeError(f"outbox: {current} → {target} is not in the transition table")
    return target


class Worker:
    def __init__(
        self,
        *,
        batch_size: int | None = None,
        concurrency: int | None = None,
        lease_seconds: float | None = None,
        channels: Iterable[str] | None = None,
        deliverers: Mapping[str, Deliverer | str] | None = None,
        due_only: bool = True,
    ):
        self.batch_size = batch_size or _setting("OUTBOX_BATCH_SIZE", 50)
        self.concurrency = concurrency or _setting("OUTBOX_CONCURRENCY", 24)
        self.lease = timedelta(seconds=lease_seconds or _setting("OUTBOX_LEASE_SECONDS", 120.0))
        self.channels = tuple(channels) if channels is not None else None
        self.deliverers = registry.resolve(deliverers)
        self.due_only = due_only
        self.name = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"[:100]

    # -- the loop ---------------------------------------------------------------------------------

    def run(self, *, limit: int = 1000, now: datetime | None = None) -> Report:
        report = Report()
        unavailable = self._unavailable()
        results: queue.SimpleQueue[_Result] = queue.SimpleQueue()
        done: list[_Result] = []
        inflight = 0
        exhausted = False

        def wanted() -> int:  # how many to claim now: a batch while the pool runs low
            if exhausted or inflight >= self.concurrency:
                return 0
            return min(self.batch_size, limit - report.claimed)

        def take(batch: list[OutboxMessage]) -> None:
            nonlocal exhausted, inflight
            if not batch:
                exhausted = True
                return
            report.claimed += len(batch)
            inflight += self._dispatch(batch, results, done)

        while True:
            while wanted() > 0 and len(done) < self.batch_size:
                take(self._claim(wanted(), now, unavailable, report))
            if inflight == 0:
                if done:  # results of the worker's own thread (e.g. notifications)
                    size = wanted()
                    batch = self._record(done, now, report, then_claim=size, unavailable=unavailable)
                    done = []
                    if size:
                        take(batch)
                    continue
                return report
            done.append(results.get())
            inflight -= 1
            while inflight:
                try:
                    done.append(results.get_nowait())
                except queue.Empty:
                    break
                inflight -= 1
            # record in bulk: a batch's worth, or when more must be claimed (then in the same
            # transaction as that claim); the tail waits for the end
            size = wanted()
            if len(done) >= self.batch_size or size > 0 or inflight == 0:
                batch = self._record(done, now, report, then_claim=size, unavailable=unavailable)
                done = []
                if size:
                    take(batch)

    def _unavailable(self) -> dict[str, str]:
        found = {}
        for channel, deliverer in self.deliverers.items():
            if self.channels is not None and channel not in self.channels:
                continue
            reason = deliverer.unavailable()
            if reason:
                found[channel] = reason
                note_unavailable(channel, reason)
        return found

    # -- 1. claim ---------------------------------------------------------------------------------

    def _claim(
        self, size: int, now: datetime | None, unavailable: Mapping[str, str], report: Report
    ) -> list[OutboxMessage]:
        with _write_transaction():
            return self._claim_in_transaction(size, now, unavailable, report)

    def _claim_in_transaction(
        self, size: int, now: datetime | None, unavailable: Mapping[str, str], report: Report
    ) -> list[OutboxMessage]:
        at = now or timezone.now()
        token = uuid.uuid4()
        qs = OutboxMessage.objects.select_for_update(skip_locked=True)
        if self.due_only:
            qs = qs.filter(status__in=CLAIMABLE, next_attempt_at__lte=at)
        else:  # everything waiting, due or not (a manual flush); claims still respect leases
            qs = qs.filter(Q(status=Status.PENDING) | Q(status=Status.SENDING, next_attempt_at__lte=at))
        if self.channels is not None:
            qs = qs.filter(channel__in=self.channels)
        if unavailable:
            qs = qs.exclude(channel__in=list(unavailable))
        while True:
            found = list(qs.order_by("next_attempt_at", "id")[:size])
            if not found:
                return []
            interrupted = [m for m in found if m.status == Status.SENDING]
            rows = self._take_over(interrupted, found, at, report) if interrupted else found
            if rows:  # else every row found was out of attempts (now dead): look again
                break
        lease_end = at + self.lease
        OutboxMessage.objects.filter(pk__in=[m.pk for m in rows]).update(
            status=_move(Status.PENDING, Status.SENDING),
            claim_token=token,
            claimed_by=self.name,
            claimed_at=at,
            next_attempt_at=lease_end,
        )
        for m in rows:
            m.status, m.claim_token, m.claimed_by, m.claimed_at = Status.SENDING, token, self.name, at
            m.next_attempt_at = lease_end
        return rows

    def _take_over(
        self, interrupted: list[OutboxMessage], rows: list[OutboxMessage], at: datetime, report: Report
    ) -> list[OutboxMessage]:
        """Rows whose claim outlived its lease: record the interrupted try, count it, and keep
        the row for this claim unless it has run out of attempts."""
        attempts, dead = [], []
        for m in interrupted:
            error = (
                f"Interrupted: {m.claimed_by or 'a worker'} claimed it at "
                f"{m.claimed_at.isoformat() if m.claimed_at else '?'} and did not report before its lease ended"
            )
            attempts.append(
                OutboxAttempt(
                    message_id=m.pk, attempted_at=m.claimed_at or at, ok=False, error=error, worker=m.claimed_by
                )
            )
            m.attempts += 1
            m.last_error = error
            if m.attempts >= m.attempt_limit:
                dead.append(m)
        OutboxAttempt.objects.bulk_create(attempts)
        report.interrupted += len(interrupted)
        for m in interrupted:
            if m in dead:
                m.status = _move(Status.SENDING, Status.DEAD)
                m.claim_token, m.claimed_by = None, ""
            else:
                _move(Status.SENDING, Status.SENDING)  # claimed again just below
        OutboxMessage.objects.bulk_update(
            interrupted, ["status", "attempts", "last_error", "claim_token", "claimed_by"]
        )
        report.dead += len(dead)
        return [m for m in rows if m not in dead]

    # -- 2. send ----------------------------------------------------------------------------------

    def _dispatch(self, batch: list[OutboxMessage], results: queue.SimpleQueue, done: list[_Result]) -> int:
        """Hand the batch to the deliverers: concurrent ones to the pool (their results arrive in
        ``results``), the others here and now (into ``done``). Returns how many went to the pool."""
        by_channel: dict[str, list[OutboxMessage]] = defaultdict(list)
        for m in batch:
            by_channel[m.channel].append(m)
        submitted = 0
        for channel, messages in by_channel.items():
            deliverer = self.deliverers.get(channel)
            now = timezone.now()
            if deliverer is None:
                outcome = Outcome.failed(f"No deliverer is registered for the channel “{channel}”", retry=False)
                done.extend(_Result(m, outcome, now, 0) for m in messages)
                continue
            try:
                contexts = deliverer.prepare(messages)
            except Exception as exc:  # a deliverer's own error: retried like a network error
                logger.exception("outbox: preparing %s messages failed", channel)
                outcome = Outcome.failed(f"{type(exc).__name__}: {exc}", retry=True)
                done.extend(_Result(m, outcome, now, 0) for m in messages)
                continue
            if deliverer.concurrent:
                pool = _executor(self.concurrency)
                for m in messages:
                    pool.submit(_send_one, deliverer, m, contexts.get(m.pk), results)
                submitted += len(messages)
            else:
                started = time.monotonic()
                try:
                    outcomes = deliverer.send_batch(messages, contexts, session())
                except Exception as exc:
                    logger.exception("outbox: sending %s messages failed", channel)
                    outcomes = {m.pk: Outcome.failed(f"{type(exc).__name__}: {exc}", retry=True) for m in messages}
                duration = int((time.monotonic() - started) * 1000 / max(len(messages), 1))
                for m in messages:
                    outcome = outcomes.get(m.pk) or Outcome.failed("The deliverer gave no result", retry=True)
                    done.append(_Result(m, outcome, now, duration))
        return submitted

    # -- 3. record --------------------------------------------------------------------------------

    def _record(
        self,
        results: list[_Result],
        now: datetime | None,
        report: Report,
        *,
        then_claim: int = 0,
        unavailable: Mapping[str, str] | None = None,
    ) -> list[OutboxMessage]:
        """Record ``results``; then, in the same transaction (one commit), claim the next
        ``then_claim`` messages and return them."""
        with _write_transaction():
            if results:
                self._record_in_transaction(results, now, report)
            if then_claim:
                return self._claim_in_transaction(then_claim, now, unavailable or {}, report)
        return []

    def _record_in_transaction(self, results: list[_Result], now: datetime | None, report: Report) -> None:
        at = now or timezone.now()
        held = dict(
            OutboxMessage.objects.select_for_update()
            .filter(pk__in=[r.message.pk for r in results])
            .order_by("pk")
            .values_list("pk", "claim_token")
        )
        mine = [r for r in results if _still_held(held, r.message)]
        report.stale += len(results) - len(mine)
        if len(mine) < len(results):
            logger.warning("outbox: %d results dropped, their claims were taken over", len(results) - len(mine))
        if not mine:
            return
        OutboxAttempt.objects.bulk_create(
            [
                OutboxAttempt(
                    message_id=r.message.pk,
                    attempted_at=r.started,
                    ok=r.outcome.ok,
                    status_code=r.outcome.status_code,
                    response_body=r.outcome.response_body[:4000],
                    error=r.outcome.error[:2000],
                    duration_ms=r.duration_ms,
                    worker=self.name,
                )
                for r in mine
            ]
        )
        delivered = [r.message.pk for r in mine if r.outcome.ok]
        if delivered:
            OutboxMessage.objects.filter(pk__in=delivered).update(
                status=_move(Status.SENDING, Status.DELIVERED),
                attempts=F("attempts") + 1,
                delivered_at=at,
                last_error="",
                claim_token=None,
                claimed_by="",
            )
            report.delivered += len(delivered)
        failed = []
        for r in mine:
            if r.outcome.ok:
                continue
            m = r.message
            m.attempts += 1
            m.last_error = (r.outcome.error or r.outcome.response_body)[:2000]
            m.claim_token, m.claimed_by = None, ""
            if r.outcome.retry and m.attempts < m.attempt_limit:
                m.status = _move(Status.SENDING, Status.PENDING)
                m.next_attempt_at = at + backoff(m.attempts)
                report.retrying += 1
            else:
                m.status = _move(Status.SENDING, Status.DEAD)
                report.dead += 1
            failed.append(m)
        if failed:
            OutboxMessage.objects.bulk_update(
                failed, ["status", "attempts", "next_attempt_at", "last_error", "claim_token", "claimed_by"]
            )


def _still_held(held: Mapping[int, uuid.UUID | None], message: OutboxMessage) -> bool:
    token = held.get(message.pk)
    return token is not None and token == message.claim_token


def _send_one(deliverer: Deliverer, message: OutboxMessage, context, results: queue.SimpleQueue) -> None:
    """In a pool thread: one try, never raising (the worker waits for every result)."""
    started = timezone.now()
    t0 = time.monotonic()
    try:
        outcome = deliverer.send(message, context, session())
    except Exception as exc:
        logger.exception("outbox: sending message %s failed", message.pk)
        outcome = Outcome.failed(f"{type(exc).__name__}: {exc}", retry=True)
    results.put(_Result(message, outcome, started, int((time.monotonic() - t0) * 1000)))


def run(
    *,
    limit: int = 1000,
    now: datetime | None = None,
    channels: Iterable[str] | None = None,
    deliverers: Mapping[str, Deliverer | str] | None = None,
    due_only: bool = True,
    **options,
) -> Report:
    """Drain up to ``limit`` messages (see the module docstring); returns what happened."""
    worker = Worker(channels=channels, deliverers=deliverers, due_only=due_only, **options)
    return worker.run(limit=limit, now=now)


def drain(*, limit: int = 1000, now: datetime | None = None, **kwargs) -> int:
    """Drain up to ``limit`` due messages; returns how many were tried."""
    return run(limit=limit, now=now, **kwargs).tried
