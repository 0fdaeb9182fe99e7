"""Outbox delivery to a real HTTP receiver on 127.0.0.1: signatures, retries, dead letters,
re-drive, and nothing lost when the process dies between commit and delivery."""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from plugins.s2b2b_orders.models import OutboxMessage, SupplierOrder
from plugins.s2b2b_orders.services import outbox
from tests import factories
from tests.s2b2b_orders.conftest import client_for, make_supplier, place_order

SECRET = "whsec-test-2026"


@pytest.fixture
def webhook_shop(shop, receiver):
    hn = make_supplier("hn", "杭州华南劳保用品有限公司", channel="webhook", url=receiver.url, secret=SECRET)
    glove = factories.product("HN-GL-01", "丁腈手套 L", "12.50", 1000, hn)
    return {**shop, "hn": hn, "glove": glove}


def _webhooks():
    return OutboxMessage.objects.filter(channel="webhook")


@pytest.mark.django_db
def test_a_webhook_supplier_receives_a_signed_json_post_with_the_supplier_order(webhook_shop, receiver):
    order = place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 4), (webhook_shop["bolt"], 1)])
    assert outbox.drain() == 2  # the webhook to hn (no staff user) and the notification to jg's staff
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    headers, body = request["headers"], request["body"]
    message = _webhooks().get()
    assert message.status == "delivered" and message.attempts == 1
    assert headers["X-S2B2B-Event-Id"] == str(message.event_id)
    assert outbox.verify(SECRET, headers["X-S2B2B-Timestamp"], body, headers["X-S2B2B-Signature"])
    assert not outbox.verify("wrong-secret", headers["X-S2B2B-Timestamp"], body, headers["X-S2B2B-Signature"])
    data = request["json"]
    assert data["event"] == "supplier_order.forwarded"
    assert data["event_id"] == str(message.event_id)
    so = data["supplier_order"]
    assert so["number"] == f"{order.number}-S1"
    assert so["lines"] == [
        {
            "sku": "HN-GL-01",
            "name": "丁腈手套 L",
            "quantity": 4,
            "unit_price": "12.50",
            "line_total": "50.00",
            "unit_cost": None,
        }
    ]
    assert so["delivery_address"]["province"] == "广东省"
    # draining again sends nothing twice
    assert outbox.drain() == 0
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_5xx_is_retried_with_backoff_until_delivered(webhook_shop, receiver):
    receiver.responses = [503, 500]
    place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
    now = timezone.now()
    outbox.drain(now=now)
    message = _webhooks().get()
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "HTTP 503")
    assert message.next_attempt_at == now + timedelta(seconds=30)
    outbox.drain(now=now + timedelta(seconds=10))  # not due yet
    assert len(receiver.requests) == 1
    outbox.drain(now=now + timedelta(seconds=31))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("pending", 2)
    assert message.next_attempt_at == now + timedelta(seconds=31) + timedelta(seconds=60)
    outbox.drain(now=now + timedelta(seconds=200))
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 3)
    assert [a.status_code for a in message.attempt_log.all()] == [503, 500, 200]
    # every try carried the same event id, so the receiver can de-duplicate
    assert len({r["headers"]["X-S2B2B-Event-Id"] for r in receiver.requests}) == 1


@pytest.mark.django_db
def test_a_timeout_is_retried(webhook_shop, receiver, settings):
    settings.S2B2B_WEBHOOK_TIMEOUT = 0.3
    receiver.delay = 1.0
    place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
    outbox.drain()
    message = _webhooks().get()
    assert message.status == "pending" and message.attempts == 1
    assert "Timeout" in message.last_error


@pytest.mark.django_db
def test_a_4xx_is_dead_lettered_with_the_response_kept_and_can_be_re_driven(webhook_shop, receiver):
    receiver.responses = [401]
    place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
    outbox.drain()
    message = _webhooks().get()
    assert (message.status, message.attempts) == ("dead", 1)
    attempt = message.attempt_log.get()
    assert attempt.status_code == 401 and "bad signature" in attempt.response_body

    operator = client_for(webhook_shop["operator"])
    page = operator.get(reverse("s2b2b-ops-outbox") + "?status=dead")
    assert page.status_code == 200 and message.recipient in page.content.decode()
    detail = operator.get(reverse("s2b2b-ops-outbox-detail", args=[message.pk]))
    assert "bad signature" in detail.content.decode()
    response = operator.post(reverse("s2b2b-ops-outbox-redrive", args=[message.pk]))
    assert response.status_code == 302
    outbox.drain()
    message.refresh_from_db()
    assert (message.status, message.attempts) == ("delivered", 2)
    assert len(receiver.requests) == 2


@pytest.mark.django_db
def test_too_many_failures_dead_letter_the_message(webhook_shop, receiver):
    receiver.responses = [500] * outbox.MAX_ATTEMPTS
    place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
    at = timezone.now()
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.drain(now=at)
        at += timedelta(hours=7)
    message = _webhooks().get()
    assert (message.status, message.attempts) == ("dead", outbox.MAX_ATTEMPTS)


@pytest.mark.django_db
def test_e_mail_and_portal_notifications_are_delivered(shop, mailoutbox):
    order = place_order(shop["buyer"], [(shop["wire"], 1)])
    outbox.drain()
    assert [m.to for m in mailoutbox] == [["df@supplier.example.cn"]]
    assert f"{order.number}-S1" in mailoutbox[0].subject
    note = shop["df_staff"].notifications.get()
    assert f"{order.number}-S1" in note.subject


CRASH_SCRIPT = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()
from django.contrib.auth import get_user_model
from django.db import transaction
from oscar.core.loading import get_model
from tests.s2b2b_orders.conftest import place_order
product = get_model("catalogue", "Product").objects.get(upc=sys.argv[1])
user = get_user_model().objects.get(username=sys.argv[2])
with transaction.atomic():
    # registered before the outbox's drain hook: the process dies right after COMMIT
    transaction.on_commit(lambda: os._exit(17))
    order = place_order(user, [(product, 2)])
"""


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_crash_between_commit_and_delivery_loses_nothing(webhook_shop, receiver):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database a second process can share (PostgreSQL, as bin/test runs)")
    from plugins.s2b2b_orders.services import outbox as outbox_module

    env = {**os.environ, "DATABASE_URL": _database_url(), "CELERY_TASK_ALWAYS_EAGER": "1"}
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", CRASH_SCRIPT, "HN-GL-01", webhook_shop["buyer"].username],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 17, result.stderr[-2000:]
    assert receiver.requests == []  # the process died before delivering anything
    so = SupplierOrder.objects.get(partner=webhook_shop["hn"])
    message = _webhooks().get(supplier_order=so)
    assert (message.status, message.attempts) == ("pending", 0)  # committed with the order

    outbox_module.drain()  # e.g. the beat-scheduled drain after a restart
    message.refresh_from_db()
    assert message.status == "delivered"
    assert [r["json"]["supplier_order"]["number"] for r in receiver.requests] == [so.number]


def _database_url() -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{s['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_drains_deliver_each_message_once(webhook_shop, receiver):
    if connection.vendor != "postgresql":
        pytest.skip("select_for_update(skip_locked) needs PostgreSQL (bin/test runs it)")
    import threading

    for i in range(6):
        place_order(webhook_shop["buyer"], [(webhook_shop["glove"], i + 1)])
    # placing in autocommit mode ran the eager drain already; re-queue to race two drainers
    OutboxMessage.objects.update(status="pending", next_attempt_at=timezone.now(), attempts=0)
    receiver.requests.clear()

    def run():
        outbox.drain()
        connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    numbers = [r["json"]["supplier_order"]["number"] for r in receiver.requests]
    assert len(numbers) == 6 and len(set(numbers)) == 6
    assert set(_webhooks().values_list("status", flat=True)) == {"delivered"}
    assert json.loads(receiver.requests[0]["body"])["event"] == "supplier_order.forwarded"
