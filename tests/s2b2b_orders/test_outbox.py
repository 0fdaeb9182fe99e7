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

from core.orders.services import secure_payment
from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.models import SupplierOrder
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
    data = request["data"]
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
            "shipped_quantity": 0,
            "outstanding_quantity": 4,
        }
    ]
    assert so["shipments"] == []
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
    receiver.answer = {"status": 401, "detail": "bad signature"}
    place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
    outbox.drain()
    receiver.answer = None
    message = _webhooks().get()
    assert (message.status, message.attempts) == ("dead", 1)
    attempt = message.attempt_log.get()
    assert attempt.status_code == 401 and "bad signature" in attempt.response_body

    operator = client_for(webhook_shop["operator"])
    page = operator.get(reverse("core-outbox") + "?status=dead")
    assert page.status_code == 200 and message.reference in page.content.decode()
    detail = operator.get(reverse("core-outbox-detail", args=[message.pk]))
    assert "bad signature" in detail.content.decode()
    assert receiver.url in detail.content.decode()  # where it would go now
    response = operator.post(reverse("core-outbox-redrive", args=[message.pk]))
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
    assert [r["data"]["supplier_order"]["number"] for r in receiver.requests] == [so.number]


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
    numbers = [r["data"]["supplier_order"]["number"] for r in receiver.requests]
    assert len(numbers) == 6 and len(set(numbers)) == 6
    assert set(_webhooks().values_list("status", flat=True)) == {"delivered"}
    assert json.loads(receiver.requests[0]["body"])["event"] == "supplier_order.forwarded"


@pytest.mark.django_db
def test_a_queued_or_re_driven_webhook_goes_to_the_suppliers_current_url(webhook_shop, receiver):
    from core.outbox import redrive
    from plugins.s2b2b_orders.models import SupplierProfile
    from tests.core.outbox_support import Receiver

    moved = Receiver()
    try:
        receiver.responses = [410]  # the old endpoint is gone
        place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
        outbox.drain()
        message = _webhooks().get()
        assert message.status == "dead" and len(receiver.requests) == 1
        assert message.recipient == str(webhook_shop["hn"].pk)  # the supplier, not a URL
        # the supplier moves its endpoint and rotates its secret; the operator re-drives
        SupplierProfile.objects.filter(partner=webhook_shop["hn"]).update(webhook_url=moved.url, webhook_secret="new")
        redrive(message)
        outbox.drain()
        message.refresh_from_db()
        assert (message.status, message.attempts) == ("delivered", 2)
        assert len(receiver.requests) == 1 and len(moved.requests) == 1
        sent = moved.requests[0]
        headers = sent["headers"]
        assert outbox.verify("new", headers["X-S2B2B-Timestamp"], sent["body"], headers["X-S2B2B-Signature"])

        # a message still waiting when the URL changes goes to the new one too
        place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 2)])
        outbox.drain()
        assert len(moved.requests) == 2 and len(receiver.requests) == 1
    finally:
        moved.close()


@pytest.mark.django_db
def test_a_supplier_that_no_longer_takes_webhooks_dead_letters_its_waiting_ones(webhook_shop, receiver):
    from plugins.s2b2b_orders.models import SupplierProfile

    place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 1)])
    SupplierProfile.objects.filter(partner=webhook_shop["hn"]).update(channel="portal")
    outbox.drain()
    message = _webhooks().get()
    assert message.status == "dead" and "no webhook URL" in message.last_error
    assert receiver.requests == []


MONEY = r"^\d+\.\d{2}$"


@pytest.mark.django_db
def test_payload_fields_have_one_type_on_every_path(webhook_shop, receiver):
    import re

    from plugins.s2b2b_orders.services.notify import supplier_order_payload

    # placed through Oscar's OrderCreator: the order carries its number as an int in memory, and
    # that object is the one whose payment is secured (and so split) at checkout
    order = place_order(webhook_shop["buyer"], [(webhook_shop["glove"], 3)], secure=False, refresh=False)
    assert isinstance(order.number, int)
    secure_payment(order, method="on-account", amount=order.total_incl_tax, reference=str(order.number))
    stored = _webhooks().get().payload["supplier_order"]
    # the same supplier order read back from the database
    so = SupplierOrder.objects.get(partner=webhook_shop["hn"])
    reread = supplier_order_payload(so, "supplier_order.cancelled")["supplier_order"]
    for data in (stored, reread):
        assert data["order_number"] == str(order.number) and data["number"] == so.number
        for key in ("subtotal", "freight", "total"):
            assert re.match(MONEY, data[key]), (key, data[key])
        for line in data["lines"]:
            assert isinstance(line["quantity"], int)
            assert re.match(MONEY, line["unit_price"]) and re.match(MONEY, line["line_total"])
            assert line["unit_cost"] is None or re.match(MONEY, line["unit_cost"])
    assert {k: type(v) for k, v in stored.items()} == {k: type(v) for k, v in reread.items()}
    outbox.drain()
    assert receiver.requests[0]["data"]["supplier_order"]["order_number"] == str(order.number)
