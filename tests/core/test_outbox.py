"""The kernel's outbox against a real HTTP receiver on 127.0.0.1: claims with SKIP LOCKED and a
lease, workers in separate processes racing and dying mid-batch, exactly one attempt row per
try, retries and dead letters, the registry, payload types, the after-commit kick, and the
operator's pages."""

import signal
import time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from core import outbox
from core.models import TransitionLog
from core.outbox import payload as payloads
from core.outbox import registry
from core.outbox.models import OutboxAttempt, OutboxMessage
from core.outbox.webhook import verify
from tests import factories
from tests.core.outbox_support import (
    CHANNEL,
    DELIVERERS,
    SECRET,
    Receiver,
    make_messages,
    release,
    report_of,
    start_together,
    wait_until,
)


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL shared by several processes (bin/test runs it)")


def drain(**kwargs) -> outbox.Report:
    return outbox.run(channels=(CHANNEL,), deliverers=DELIVERERS, **kwargs)


def assert_recorded_once(messages):
    """Every message delivered, one successful attempt row each, its count equal to its rows."""
    for m in OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).prefetch_related("attempt_log"):
        rows = list(m.attempt_log.all())
        assert m.status == "delivered", (m.pk, m.status, m.last_error)
        assert [a.ok for a in rows].count(True) == 1, (m.pk, [(a.ok, a.error) for a in rows])
        assert m.attempts == len(rows), (m.pk, m.attempts, len(rows))
        assert m.claim_token is None and m.claimed_by == ""


# --- one worker --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_drain_signs_sends_and_records_each_message_once(receiver):
    messages = make_messages(120, receiver.url)
    report = drain(batch_size=50, concurrency=8)
    assert (report.claimed, report.delivered, report.retrying, report.dead) == (120, 120, 0, 0)
    assert sorted(receiver.event_ids()) == sorted(str(m.event_id) for m in messages)
    assert_recorded_once(messages)
    first = receiver.requests[0]
    headers = first["headers"]
    assert headers["X-S2B2B-Event"] == "test.event"
    assert verify(SECRET, headers["X-S2B2B-Timestamp"], first["body"], headers["X-S2B2B-Signature"])
    assert first["data"]["event_id"] == headers["X-S2B2B-Event-Id"]
    assert drain().claimed == 0  # nothing twice


@pytest.mark.django_db
def test_the_receivers_replay_window_is_enforced_by_verify():
    body = '{"event_id": "x"}'
    ts = str(int(time.time()))
    from core.outbox.webhook import sign

    signature = sign(SECRET, ts, body)
    assert verify(SECRET, ts, body, signature)
    assert verify(SECRET, ts, body, signature, now=int(ts) + 300)
    assert not verify(SECRET, ts, body, signature, now=int(ts) + 301)  # a replay after 5 minutes
    assert not verify(SECRET, ts, body, signature, now=int(ts) - 301)
    assert not verify(SECRET, "not-a-number", body, signature)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_a_4xx_dead_letters_at_once(receiver, status):
    receiver.default = status
    (message,) = make_messages(1, receiver.url)
    drain()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("dead", 1)
    assert message.attempt_log.get().status_code == status


@pytest.mark.django_db
@pytest.mark.parametrize("status", [500, 502, 503, 408, 429])
def test_a_5xx_408_or_429_is_retried_with_backoff(receiver, status):
    receiver.responses = [status, status]
    (message,) = make_messages(1, receiver.url)
    now = timezone.now()
    drain(now=now)
    message.refresh_from_db()
    assert (message.status, message.attempts, message.next_attempt_at) == ("pending", 1, now + timedelta(seconds=30))
    assert drain(now=now + timedelta(seconds=29)).claimed == 0
    drain(now=now + timedelta(seconds=30))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.next_attempt_at == now + timedelta(seconds=30 + 60)
    drain(now=now + timedelta(seconds=90))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 3)
    assert [a.status_code for a in message.attempt_log.all()] == [status, status, 200]


@pytest.mark.django_db
def test_a_timeout_and_a_refused_connection_are_retried(receiver, settings):
    settings.OUTBOX_WEBHOOK_TIMEOUT = 0.2
    receiver.delay = 0.6
    (slow,) = make_messages(1, receiver.url, prefix="slow")
    (closed,) = make_messages(1, "http://127.0.0.1:9/hook", prefix="closed")
    drain()
    slow.refresh_from_db()
    closed.refresh_from_db()
    assert (slow.status, slow.attempts) == ("pending", 1) and "Timeout" in slow.last_error
    assert (closed.status, closed.attempts) == ("pending", 1) and "ConnectionError" in closed.last_error


@pytest.mark.django_db
def test_running_out_of_attempts_dead_letters_and_a_re_drive_grants_a_fresh_budget(receiver):
    receiver.default = 500
    (message,) = make_messages(1, receiver.url)
    at = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        drain(now=at)
        at += timedelta(hours=7)
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("dead", outbox.MAX_ATTEMPTS)
    operator = factories.operator()
    outbox.redrive(message, actor=operator, reason="receiver fixed")
    message.refresh_from_db()
    assert (message.status, message.attempt_limit) == ("pending", 2 * outbox.MAX_ATTEMPTS)
    log = TransitionLog.objects.get(machine="outbox", object_id=str(message.pk))
    assert (log.from_state, log.to_state, log.actor, log.reason) == ("dead", "pending", operator, "receiver fixed")
    receiver.default = 200
    drain()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", outbox.MAX_ATTEMPTS + 1)


@pytest.mark.django_db
def test_a_channel_without_a_deliverer_dead_letters_and_an_unavailable_one_waits(receiver):
    outbox.enqueue(dedup_key="nowhere", topic="t", channel="carrier-pigeon", recipient="x", payload={})
    drain_all = outbox.run()
    message = OutboxMessage.objects.get(dedup_key="nowhere")
    assert drain_all.dead == 1 and message.status == "dead" and "carrier-pigeon" in message.last_error

    class Closed(outbox.Deliverer):
        def unavailable(self):
            return "not configured"

    outbox.enqueue(dedup_key="waits", topic="t", channel="closed", recipient="x", payload={})
    assert outbox.run(deliverers={"closed": Closed()}).claimed == 0
    waiting = OutboxMessage.objects.get(dedup_key="waits")
    assert (waiting.status, waiting.attempts, waiting.last_error) == ("pending", 0, "not configured")


def test_the_registry_holds_the_kernels_and_the_plugins_channels():
    assert {"email", "notification", "webhook", "kuaidi100"} <= set(registry.deliverers())
    assert registry.deliverers()["notification"].concurrent is False  # writes our own tables


def test_a_channel_declared_twice_is_refused():
    from core.plugins import PluginAppConfig, outbox_deliverers

    class A(PluginAppConfig):
        name = "a"
        outbox_deliverers = {"webhook": "x.A"}

    class B(PluginAppConfig):
        name = "b"
        outbox_deliverers = {"webhook": "x.B"}

    a, b = A.__new__(A), B.__new__(B)
    with pytest.raises(ValueError, match="webhook"):
        outbox_deliverers([a, b])


def test_payloads_keep_one_type_per_field():
    payloads.check({"order_number": "100001", "total": payloads.money(Decimal("332")), "lines": [{"quantity": 2}]})
    assert payloads.money(Decimal("332")) == "332.00"
    assert payloads.money("0.005") == "0.01"
    assert payloads.money(None) is None
    with pytest.raises(TypeError, match=r"payload.total: Decimal"):
        payloads.check({"total": Decimal("1.00")})
    with pytest.raises(TypeError, match=r"payload.lines\[0\].price: float"):
        payloads.check({"lines": [{"price": 1.5}]})


@pytest.mark.django_db
def test_enqueue_is_idempotent_by_key_and_refuses_a_decimal():
    first = outbox.enqueue(dedup_key="k", topic="t", channel="email", recipient="a@example.cn", payload={"a": "1"})
    again = outbox.enqueue(dedup_key="k", topic="t", channel="email", recipient="b@example.cn", payload={"a": "2"})
    assert again.pk == first.pk and OutboxMessage.objects.count() == 1
    with pytest.raises(TypeError):
        outbox.enqueue(dedup_key="d", topic="t", channel="email", recipient="x", payload={"a": Decimal("1")})


@pytest.mark.django_db
def test_one_kick_per_transaction(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks, transaction.atomic():
        for i in range(3):
            outbox.enqueue(dedup_key=f"k{i}", topic="t", channel="email", recipient="a@example.cn", payload={})
        outbox.enqueue_many(
            outbox.Message(dedup_key=f"m{i}", topic="t", channel="email", recipient="b@example.cn", payload={})
            for i in range(3)
        )
    assert len(callbacks) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eager_mode_delivers_after_commit_and_an_unreachable_broker_only_delays(mailoutbox):
    from config.celery import app as celery_app
    from tests.core.test_celery_worker import point_app_at

    with transaction.atomic():
        outbox.enqueue(
            dedup_key="eager", topic="t", channel="email", recipient="a@example.cn", payload={"subject": "hi"}
        )
        assert mailoutbox == []  # nothing leaves before the commit
    assert [m.subject for m in mailoutbox] == ["hi"]
    assert OutboxMessage.objects.get(dedup_key="eager").status == "delivered"

    previous = {k: celery_app.conf[k] for k in ("broker_url", "task_always_eager", "broker_connection_timeout")}
    point_app_at(broker_url="redis://127.0.0.1:9/0", task_always_eager=False, broker_connection_timeout=0.5)
    try:
        with transaction.atomic():
            outbox.enqueue(
                dedup_key="later", topic="t", channel="email", recipient="b@example.cn", payload={"subject": "yo"}
            )
    finally:
        point_app_at(**previous)
    later = OutboxMessage.objects.get(dedup_key="later")
    assert later.status == "pending"  # committed and waiting for the scheduled drain
    outbox.drain()
    later.refresh_from_db()
    assert later.status == "delivered" and [m.subject for m in mailoutbox] == ["hi", "yo"]


@pytest.mark.django_db
def test_notifications_are_written_in_bulk_and_a_vanished_user_dead_letters():
    from django.test.utils import CaptureQueriesContext

    def queries_to_drain(users, tag):
        outbox.enqueue_many(
            outbox.Message(
                dedup_key=f"{tag}{u.pk}",
                topic="t",
                channel="notification",
                recipient=str(u.pk),
                payload={"subject": tag},
            )
            for u in users
        )
        with CaptureQueriesContext(connection) as ctx:
            report = outbox.run(batch_size=50)
        assert report.delivered == len(users)
        return len(ctx.captured_queries)

    users = [factories.distributor(f"u{i}") for i in range(40)]
    # the statements of a drain do not grow with the number of messages in a batch
    assert queries_to_drain(users[:5], "a") == queries_to_drain(users, "b")
    assert all(u.notifications.count() == (2 if i < 5 else 1) for i, u in enumerate(users))
    outbox.enqueue(dedup_key="ghost", topic="t", channel="notification", recipient="999999", payload={})
    report = outbox.run()
    assert (report.delivered, report.dead) == (0, 1)


# --- several workers, dying workers (separate processes on PostgreSQL) -------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_four_worker_processes_deliver_and_record_each_message_once(receiver, tmp_path):
    needs_postgresql()
    receiver.delay = 0.005
    messages = make_messages(400, receiver.url, held=True)
    workers = start_together(tmp_path / "go", 4, lambda: release(messages), batch_size=25, concurrency=4)
    reports = [report_of(w) for w in workers]
    assert sum(r["claimed"] for r in reports) == 400
    assert sum(r["delivered"] for r in reports) == 400
    assert sum(1 for r in reports if r["claimed"]) >= 2  # they really shared the work
    received = receiver.event_ids()
    assert len(received) == 400 and set(received) == {str(m.event_id) for m in messages}
    assert_recorded_once(messages)
    assert OutboxAttempt.objects.count() == 400


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_worker_killed_mid_batch_is_taken_over_after_its_lease(receiver, tmp_path):
    needs_postgresql()
    receiver.delay = 0.3
    messages = make_messages(30, receiver.url, held=True)
    (worker,) = start_together(
        tmp_path / "go", 1, lambda: release(messages), batch_size=20, concurrency=4, lease_seconds=60
    )
    wait_until(lambda: len(receiver.requests) >= 6)
    worker.send_signal(signal.SIGKILL)
    worker.wait(timeout=30)
    claimed = list(OutboxMessage.objects.filter(status="sending"))
    assert len(claimed) == 20 and {m.attempts for m in claimed} == {0}  # nothing recorded: it died first
    assert OutboxAttempt.objects.count() == 0
    receiver.delay = 0

    # before the lease ends nobody touches the claimed rows
    early = drain()
    assert early.claimed == 10 and early.interrupted == 0
    assert OutboxMessage.objects.filter(status="sending").count() == 20

    # after it, the next drain records each interrupted try and sends again
    report = drain(now=timezone.now() + timedelta(seconds=61))
    assert (report.claimed, report.interrupted, report.delivered) == (20, 20, 20)
    assert_recorded_once(messages)
    for m in OutboxMessage.objects.filter(pk__in=[c.pk for c in claimed]):
        errors = [a.error for a in m.attempt_log.all()]
        assert m.attempts == 2 and errors[0].startswith("Interrupted:") and errors[1] == ""
    # each message reached the receiver at least once; the twice-received are taken-over ones
    received = receiver.event_ids()
    assert {str(m.event_id) for m in messages} == set(received)
    twice = {e for e in received if received.count(e) > 1}
    assert twice <= {str(m.event_id) for m in claimed}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_hung_worker_whose_lease_ran_out_records_nothing(receiver, tmp_path):
    needs_postgresql()
    receiver.delay = 2.5
    messages = make_messages(8, receiver.url, held=True)
    (hung,) = start_together(
        tmp_path / "go", 1, lambda: release(messages), batch_size=8, concurrency=4, lease_seconds=1
    )
    wait_until(lambda: len(receiver.requests) >= 4)
    wait_until(lambda: OutboxMessage.objects.filter(status="sending", next_attempt_at__lte=timezone.now()).count() == 8)
    taken = drain(concurrency=8)  # takes over all 8 while the hung worker still waits
    assert (taken.interrupted, taken.delivered) == (8, 8)
    late = report_of(hung)
    assert (late["delivered"], late["stale"]) == (0, 8)  # its late answers were dropped, not recorded
    assert_recorded_once(messages)
    assert OutboxAttempt.objects.filter(error__startswith="Interrupted:").count() == 8
    assert OutboxAttempt.objects.count() == 16


# --- back office ---------------------------------------------------------------------------------


@pytest.fixture
def dead_letter(db, receiver):
    receiver.default = 410
    (message,) = make_messages(1, receiver.url, prefix="ops")
    drain()
    message.refresh_from_db()
    assert message.status == "dead"
    return message


def _client(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_operators_list_filter_open_and_re_drive(dead_letter, receiver):
    op = _client(factories.operator())
    page = op.get(reverse("core-outbox"), {"status": "dead", "channel": CHANNEL})
    assert page.status_code == 200 and "ops-0" in page.content.decode()
    assert "ops-0" not in op.get(reverse("core-outbox"), {"status": "delivered"}).content.decode()
    assert "ops-0" in op.get(reverse("core-outbox"), {"q": "ops-"}).content.decode()
    detail = op.get(reverse("core-outbox-detail", args=[dead_letter.pk])).content.decode()
    assert "HTTP 410" in detail and str(dead_letter.event_id) in detail
    assert op.post(reverse("core-outbox-redrive", args=[dead_letter.pk])).status_code == 302
    dead_letter.refresh_from_db()
    assert dead_letter.status == "pending"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["salesperson", "supplier", "distributor", "anonymous"])
def test_only_operators_reach_the_outbox_pages(dead_letter, who):
    from django.test import Client

    if who == "salesperson":
        from django.contrib.auth import get_user_model

        user = get_user_model().objects.create_user("sales", "sales@example.cn", "x", is_staff=True)
        client = _client(user)
    elif who == "supplier":
        client = _client(factories.supplier_staff(factories.supplier("jg")))
    elif who == "distributor":
        client = _client(factories.distributor("d"))
    else:
        client = Client()
    for method, url in [
        ("get", reverse("core-outbox")),
        ("get", reverse("core-outbox-detail", args=[dead_letter.pk])),
        ("post", reverse("core-outbox-redrive", args=[dead_letter.pk])),
    ]:
        response = getattr(client, method)(url)
        if who == "anonymous":
            assert response.status_code == 302 and "login" in response["Location"], url
        else:
            assert response.status_code == 403, (who, url)
    dead_letter.refresh_from_db()
    assert dead_letter.status == "dead"
