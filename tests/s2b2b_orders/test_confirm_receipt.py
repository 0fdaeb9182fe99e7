"""确认收货: the buyer confirms receipt of a shipped or delivered supplier part (the storefront
page and GraphQL), or the beat task does it SUPPLIER_ORDER_AUTO_CONFIRM_DAYS after delivery; the
parent order becomes Complete when every part is completed."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.apps import S2B2BOrdersConfig
from plugins.s2b2b_orders.models import State, SupplierOrder
from plugins.s2b2b_orders.services import lifecycle
from tests import factories
from tests.s2b2b_orders.conftest import client_for, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped(shop):
    """jg's part shipped, df's part accepted (not shipped)."""
    order = place_order(shop["buyer"], [(shop["bolt"], 10), (shop["wire"], 2)])
    jg = SupplierOrder.objects.get(order=order, partner=shop["jg"])
    df = SupplierOrder.objects.get(order=order, partner=shop["df"])
    lifecycle.accept(jg)
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"])
    lifecycle.accept(df)
    return order, jg, df


def confirm(user, so):
    return client_for(user).post(reverse("s2b2b-confirm-receipt", args=[so.number]), follow=True)


def test_the_buyer_confirms_receipt_part_by_part_and_the_order_completes(shop, shipped):
    order, jg, df = shipped
    page = client_for(shop["buyer"]).get(reverse("customer:order", args=[order.number])).content.decode()
    assert reverse("s2b2b-confirm-receipt", args=[jg.number]) in page
    assert reverse("s2b2b-confirm-receipt", args=[df.number]) not in page  # not shipped

    response = confirm(shop["buyer"], jg)
    assert "已确认收到苏州精工五金制品有限公司的货物。" in response.content.decode()
    jg.refresh_from_db()
    assert jg.state == State.COMPLETED
    assert jg.delivered_at == jg.completed_at  # stamped: settlement counts from delivery
    event = jg.events.get(to_state=State.COMPLETED)
    assert (event.from_state, event.actor, event.via) == (State.SHIPPED, shop["buyer"], "portal")
    assert OutboxMessage.objects.filter(topic="supplier_order.completed", recipient=str(shop["buyer"].pk)).exists()
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING  # df's part is still to come

    lifecycle.ship(df, carrier_code="sf", tracking_numbers=["SF1234567890002"])
    lifecycle.transition(df, State.DELIVERED)
    confirm(shop["buyer"], df)
    order.refresh_from_db()
    assert order.status == order_status.COMPLETE
    assert set(order.lines.values_list("status", flat=True)) == {order_status.COMPLETE}


def test_receipt_of_a_part_not_fully_shipped_is_refused_and_nothing_changes(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 10)])
    jg = SupplierOrder.objects.get(order=order)
    lifecycle.accept(jg)
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], quantities={jg.lines.get().pk: 4})
    events = jg.events.count()
    response = confirm(shop["buyer"], jg)
    assert "部分发货" in response.content.decode()
    jg.refresh_from_db()
    assert (jg.state, jg.events.count(), jg.completed_at) == (State.PARTIALLY_SHIPPED, events, None)


def test_another_company_gets_a_404_and_a_read_only_colleague_a_clear_refusal(shop, shipped):
    order, jg, df = shipped
    stranger = factories.distributor("stranger")
    assert client_for(stranger).post(reverse("s2b2b-confirm-receipt", args=[jg.number])).status_code == 404
    assert client_for(stranger).post(reverse("s2b2b-confirm-receipt", args=["NOPE-S1"])).status_code == 404

    from companies.services.people import add_member

    company = factories.company_of(shop["buyer"])
    reader = add_member(company=company, user=factories.person("reader"), role="readonly", by=shop["buyer"]).user
    response = confirm(reader, jg)
    assert "不能更改订单" in response.content.decode()
    jg.refresh_from_db()
    assert jg.state == State.SHIPPED


def test_receipt_is_confirmed_automatically_days_after_delivery(shop, shipped, settings):
    order, jg, df = shipped
    lifecycle.transition(jg, State.DELIVERED)
    delivered = timezone.now()
    SupplierOrder.objects.filter(pk=jg.pk).update(delivered_at=delivered - timedelta(days=6, hours=23))
    assert lifecycle.auto_confirm_receipts() == 0
    SupplierOrder.objects.filter(pk=jg.pk).update(delivered_at=delivered - timedelta(days=7, minutes=1))
    assert lifecycle.auto_confirm_receipts() == 1
    jg.refresh_from_db()
    assert jg.state == State.COMPLETED
    assert jg.events.get(to_state=State.COMPLETED).via == "system"
    assert lifecycle.auto_confirm_receipts() == 0  # idempotent

    settings.SUPPLIER_ORDER_AUTO_CONFIRM_DAYS = 2
    lifecycle.ship(df, carrier_code="sf", tracking_numbers=["SF1234567890002"])
    lifecycle.transition(df, State.DELIVERED)
    SupplierOrder.objects.filter(pk=df.pk).update(delivered_at=delivered - timedelta(days=3))
    from plugins.s2b2b_orders.tasks import auto_confirm_receipts

    assert auto_confirm_receipts() == 1
    order.refresh_from_db()
    assert order.status == order_status.COMPLETE


def test_the_auto_confirmation_is_on_the_beat_schedule():
    job = S2B2BOrdersConfig.beat_schedule["s2b2b-auto-confirm-receipts"]
    assert job["task"] == "plugins.s2b2b_orders.tasks.auto_confirm_receipts"
    from core.plugins import beat_schedule

    assert beat_schedule()["s2b2b-auto-confirm-receipts"]["task"] == job["task"]


CONFIRM = """mutation($n: String!) { confirmReceipt(number: $n) {
  supplierOrder { number state } errors { field message code } } }"""


def gql(user, query, variables):
    response = client_for(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    return response.json()


def test_confirm_receipt_in_graphql(shop, shipped):
    order, jg, df = shipped
    body = gql(shop["buyer"], CONFIRM, {"n": df.number})  # accepted, not shipped
    assert [(e["field"], e["code"]) for e in body["data"]["confirmReceipt"]["errors"]] == [(None, "invalid_transition")]
    body = gql(factories.distributor("stranger"), CONFIRM, {"n": jg.number})
    assert [(e["field"], e["code"]) for e in body["data"]["confirmReceipt"]["errors"]] == [("number", "not_found")]
    jg.refresh_from_db()
    assert jg.state == State.SHIPPED
    body = gql(shop["buyer"], CONFIRM, {"n": jg.number})
    assert body["data"]["confirmReceipt"] == {
        "supplierOrder": {"number": jg.number, "state": "completed"},
        "errors": [],
    }
