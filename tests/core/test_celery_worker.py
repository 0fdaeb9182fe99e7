"""With a broker configured, checkout hands the confirmation e-mail to a real Celery worker
on Redis; the worker sends it once, and a redelivered task does not send it again."""

import os
import subprocess
import sys
import time
from pathlib import Path

import kombu.pools
import pytest
from django.db import connection
from django.urls import reverse
from oscar.core.loading import get_model

from config.celery import app as celery_app
from storefront.tasks import send_order_placed_email
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")
CommunicationEvent = get_model("order", "CommunicationEvent")

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("TEST_REDIS_URL", "")
if REDIS_URL and os.environ.get("PYTEST_XDIST_WORKER", "").startswith("gw"):
    # each xdist worker its own Redis database: a worker's tasks never reach another's Celery worker
    REDIS_URL = f"{REDIS_URL.rsplit('/', 1)[0]}/{int(os.environ['PYTEST_XDIST_WORKER'][2:]) + 1}"

pytestmark = [pytest.mark.celery_worker, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def worker(tmp_path):
    if not REDIS_URL or connection.vendor != "postgresql":
        pytest.skip("needs the PostgreSQL and Redis that bin/test starts (TEST_REDIS_URL)")
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        "CELERY_BROKER_URL": REDIS_URL,
        "CELERY_RESULT_BACKEND": REDIS_URL,
        "EMAIL_URL": f"filemail:///{mail_dir}",  # filemail:////abs/path
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=warning"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    previous = {k: celery_app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    point_app_at(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    try:
        yield mail_dir
    finally:
        point_app_at(**previous)
        process.terminate()
        try:
            output, _ = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        print("celery worker output:\n", output)  # shown by pytest when the test fails


def point_app_at(**conf):
    """Reconfigure the Celery app in this process. Connection and producer pools are created on
    first use from the broker URL of that moment and kept in kombu's process-wide registry, so
    empty the registry and drop the app's references, or they keep the old broker."""
    celery_app.conf.update(conf)
    kombu.pools.reset()
    celery_app._pool = None
    celery_app.amqp._producer_pool = None
    celery_app._backend_cache = None
    celery_app._local.__dict__.pop("backend", None)


def wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return False


def test_checkout_email_is_sent_by_the_worker_exactly_once(worker, buyer_client, buyer, catalogue):
    add(buyer_client, catalogue["bolt"], 2)
    checkout_to_preview(buyer_client)
    buyer_client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get(user=buyer)

    sent = lambda: CommunicationEvent.objects.filter(order=order, event_type__code="ORDER_PLACED").exists()  # noqa: E731
    assert wait_for(sent), "the worker did not send the order e-mail"
    assert wait_for(lambda: any(worker.iterdir()))
    messages = [p.read_text() for p in worker.iterdir()]
    assert len(messages) == 1 and str(order.number) in messages[0] and buyer.email in messages[0]

    # a redelivered task finds the e-mail already sent
    assert send_order_placed_email.delay(order.id).get(timeout=60) is False
    assert CommunicationEvent.objects.filter(order=order).count() == 1
    assert len(list(worker.iterdir())) == 1
