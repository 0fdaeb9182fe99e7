"""The load test's consistency checker (benchmarks/loadtest/check.py), on a tiny world built with
the factories: a consistent world passes every check; a duplicated forward, a lost supplier
order, a reopened basket, a second event to a supplier's system each fail the check that is
there to catch them. The locustfile is imported too, so a broken one fails here, not at the
start of a ten-minute run."""

import os
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.models import SupplierOrder
from plugins.s2b2b_orders.services import outbox
from tests import factories

os.environ.setdefault("LOCUST_SKIP_MONKEY_PATCH", "1")  # no gevent patching inside the test run

from benchmarks.loadtest import check, locustfile  # noqa: E402

Basket = get_model("basket", "Basket")

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two suppliers with a staff user each; one order to both on account (split and forwarded),
    one by bank transfer still awaiting payment (not forwarded)."""
    since = timezone.now() - timedelta(seconds=1)
    north, south = factories.supplier("north", "北方五金有限公司"), factories.supplier("south", "南方劳保有限公司")
    factories.supplier_staff(north, "north-staff")
    factories.supplier_staff(south, "south-staff")
    bolt = factories.product("N-BOLT", price="12.50", partner=north)
    glove = factories.product("S-GLOVE", price="8.80", partner=south)
    buyer = factories.distributor("lt-buyer")
    factories.credit_line(buyer)
    split = factories.place_order(buyer, [(bolt, 4), (glove, 3)])
    waiting = factories.place_order(buyer, [(bolt, 1)], secure=False)
    outbox.drain()
    return {"since": since, "split": split, "waiting": waiting}


def by_name(checks):
    return {c.name: c for c in checks}


def test_a_consistent_world_passes_every_check(world):
    checks = by_name(check.run_checks(since=world["since"]))

    assert all(c.ok for c in checks.values()), checks
    assert checks["split"].detail.startswith("1 secured orders → 2 supplier orders")
    assert checks["forwarding"].detail.startswith("2 supplier orders, each forwarded once and delivered")
    parts = SupplierOrder.objects.filter(order=world["split"])
    assert sorted(p.subtotal for p in parts) == [Decimal("26.40"), Decimal("50.00")]


def test_a_duplicated_forward_fails(world):
    so = SupplierOrder.objects.filter(order=world["split"]).first()
    first = OutboxMessage.objects.filter(topic=check.FORWARDED, object_id=so.pk).first()
    OutboxMessage.objects.create(
        dedup_key=f"{first.dedup_key}:again",
        topic=first.topic,
        channel=first.channel,
        recipient=first.recipient,
        payload=first.payload,
        content_type=first.content_type,
        object_id=so.pk,
        partner=so.partner,
        status="delivered",
        next_attempt_at=timezone.now(),
    )

    forwarding = check.check_forwarding(world["since"])
    assert not forwarding.ok
    assert f"{so.number}: forwarded 2 times" in forwarding.detail


def test_a_lost_supplier_order_and_a_forward_before_payment_fail(world):
    SupplierOrder.objects.filter(order=world["split"], partner__code="south").delete()
    SupplierOrder.objects.filter(order=world["split"], partner__code="north").update(order=world["waiting"])

    split = check.check_split(world["since"])
    assert not split.ok
    assert f"{world['split'].number}: no supplier order for 2 supplier(s)" in split.detail
    assert f"{world['waiting'].number}: forwarded before its payment was secured" in split.detail


def test_an_undelivered_forward_fails(world):
    OutboxMessage.objects.filter(topic=check.FORWARDED).update(status="dead")
    forwarding = check.check_forwarding(world["since"])
    assert not forwarding.ok and "dead, not delivered" in forwarding.detail


def test_a_reopened_or_frozen_basket_fails(world):
    Basket.objects.filter(pk=world["split"].basket_id).update(status=Basket.OPEN)
    Basket.objects.filter(pk=world["waiting"].basket_id).update(status=Basket.FROZEN)

    baskets = check.check_baskets()
    assert not baskets.ok
    assert f"order {world['split'].number} was placed from basket {world['split'].basket_id}" in baskets.detail
    assert f"basket {world['waiting'].basket_id} is left frozen" in baskets.detail


def test_the_supplier_system_must_receive_each_forward_as_one_event(world, settings):
    webhook = factories.supplier("hook", "钩子电气有限公司")
    from plugins.s2b2b_orders.models import SupplierProfile

    SupplierProfile.objects.create(
        partner=webhook,
        legal_name=webhook.name,
        channel="webhook",
        webhook_url="http://127.0.0.1:9/",
        webhook_secret="s",
    )
    cable = factories.product("H-CABLE", price="30.00", partner=webhook)
    buyer = factories.distributor("lt-buyer-2")
    factories.credit_line(buyer)
    order = factories.place_order(buyer, [(cable, 1)])
    OutboxMessage.objects.filter(channel="webhook").update(status="delivered")
    number = SupplierOrder.objects.get(order=order).number
    event = {"topic": check.FORWARDED, "number": number, "event_id": "e-1"}

    once_then_again = check.check_forwarding(world["since"], [event, event])  # a redelivery: de-duplicated
    assert once_then_again.ok and "redeliveries of the same event: 1" in once_then_again.detail
    two_events = check.check_forwarding(world["since"], [event, {**event, "event_id": "e-2"}])
    assert not two_events.ok and f"{number}: the supplier's system received 2 forwarding events" in two_events.detail
    never = check.check_forwarding(world["since"], [])
    assert not never.ok and "received 0 forwarding events" in never.detail


def result(**endpoint_p95) -> dict:
    endpoints = [
        {
            "name": name,
            "requests": 10,
            "failures": 0,
            "server_errors": 0,
            "p50": p95 / 2,
            "p95": p95,
            "p99": p95,
            "rps": 1.0,
        }
        for name, p95 in endpoint_p95.items()
    ]
    return {
        "seconds": 10,
        "requests": 30,
        "failures": 0,
        "server_errors": 0,
        "rps": 3.0,
        "endpoints": endpoints,
        "errors": [],
    }


def test_the_targets_name_what_was_missed():
    fast = {
        locustfile.CATALOGUE: 120,
        locustfile.PLACE_ON_ACCOUNT: 600,
        locustfile.PLACE_TRANSFER: 700,
    }
    assert check.targets(result(**fast)) == []
    slow = result(**{**fast, locustfile.PLACE_TRANSFER: 1400, locustfile.CATALOGUE: 350})
    slow["server_errors"] = 2
    assert check.targets(slow) == [
        "2 server errors",
        f"{locustfile.PLACE_TRANSFER} p95 1400 ms > 1000 ms",
        "product list p95 350 ms > 300 ms",
    ]
    assert "checkout: place order (bank transfer)" in check.table(slow)


def test_the_locustfile_declares_the_three_kinds_of_user():
    assert {cls.__name__ for cls in (locustfile.Distributor, locustfile.Supplier, locustfile.Operator)} == {
        "Distributor",
        "Supplier",
        "Operator",
    }
    assert (locustfile.Distributor.fixed_count, locustfile.Supplier.fixed_count) == (50, 10)
