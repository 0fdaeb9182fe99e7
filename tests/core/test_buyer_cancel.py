"""The buyer cancels their own order from the storefront (or GraphQL) while no supplier has
accepted it: the money events are all heard (credit reservation and redeemed points come back, to
the fen), the suppliers hear their parts are cancelled. After an acceptance it is refused and
nothing changes; a supplier accepting while the buyer cancels: exactly one wins (PostgreSQL)."""

import json
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core.orders import payments
from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.member_tiers.models import CreditEntry, PointsEntry
from plugins.s2b2b_orders.models import State
from plugins.s2b2b_orders.services import lifecycle
from tests import factories
from tests.core.test_money_paths import account, balance_points, parts, place
from tests.core.test_money_paths import world as money_world  # noqa: F401  a fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(money_world):  # noqa: F811  the money paths' buyer: credit 10,000.00, 5,000 points
    return money_world


def cancel(client, order):
    return client.post(reverse("storefront:order-cancel", args=[order.number]), follow=True)


def test_the_buyer_cancels_before_any_supplier_accepted_and_every_money_event_is_heard(buyer_client, world):
    order = place(buyer_client, world, method="on-account", redeem=3000)
    assert (order.status, order.total_incl_tax) == (order_status.CONFIRMED, Decimal("538.00"))
    assert account(world).balance == Decimal("508.00")  # 538.00 − ¥30.00 of points
    assert balance_points(world) == 2000
    page = buyer_client.get(reverse("customer:order", args=[order.number])).content.decode()
    assert 'id="order-cancel"' in page

    response = cancel(buyer_client, order)
    assert f"订单 {order.number} 已取消" in response.content.decode()
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    assert set(order.lines.values_list("status", flat=True)) == {order_status.CANCELLED}
    # credit: the reservation reverted to the fen
    assert account(world).balance == Decimal("0.00")
    reversal = account(world).entries.get(kind=CreditEntry.REVERTED)
    assert (reversal.amount, reversal.order_number) == (Decimal("-508.00"), order.number)
    # points: the 3000 redeemed come back, once
    assert balance_points(world) == 5000
    assert PointsEntry.objects.filter(order_number=order.number).exclude(kind=PointsEntry.REDEEM).count() == 1
    assert payments.has_event(order, payments.RELEASED)
    # the suppliers: each part cancelled through its lifecycle, each supplier told
    for code, so in parts(order).items():
        assert so.state == State.CANCELLED, code
        assert so.events.last().actor == world["buyer"]
    told = OutboxMessage.objects.filter(topic="supplier_order.cancelled", channel="notification")
    assert set(told.values_list("recipient", flat=True)) == {str(world["jg_staff"].pk), str(world["df_staff"].pk)}
    assert 'id="order-cancel"' not in buyer_client.get(reverse("customer:order", args=[order.number])).content.decode()


def test_an_order_waiting_for_its_transfer_can_be_cancelled(buyer_client, world):
    order = place(buyer_client, world, method="bank-transfer")
    assert order.status == order_status.PENDING_PAYMENT
    cancel(buyer_client, order)
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    assert balance_points(world) == 5000


def test_cancelling_an_accepted_order_is_refused_and_nothing_changes(buyer_client, world):
    order = place(buyer_client, world, method="on-account", redeem=1000)
    lifecycle.accept(parts(order)["jg"], actor=world["jg_staff"])
    before = (
        account(world).balance,
        balance_points(world),
        sorted((so.number, so.state) for so in parts(order).values()),
        OutboxMessage.objects.count(),
        order.payment_events.count(),
    )
    page = buyer_client.get(reverse("customer:order", args=[order.number])).content.decode()
    assert 'id="order-cancel"' not in page
    response = cancel(buyer_client, order)
    assert "供应商已接单，不能再在此取消" in response.content.decode()
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING
    after = (
        account(world).balance,
        balance_points(world),
        sorted((so.number, so.state) for so in parts(order).values()),
        OutboxMessage.objects.count(),
        order.payment_events.count(),
    )
    assert after == before


def test_another_company_cannot_cancel_and_a_read_only_colleague_is_told_why(buyer_client, world):
    order = place(buyer_client, world, method="on-account")
    stranger = Client()
    stranger.force_login(factories.distributor("stranger"))
    assert stranger.post(reverse("storefront:order-cancel", args=[order.number])).status_code == 404
    assert stranger.get(reverse("storefront:order-cancel", args=[order.number])).status_code == 405

    from companies.services.people import add_member

    company = factories.company_of(world["buyer"])
    reader = add_member(company=company, user=factories.person("reader"), role="readonly", by=world["buyer"]).user
    client = Client()
    client.force_login(reader)
    response = cancel(client, order)
    assert "不能更改订单" in response.content.decode()
    order.refresh_from_db()
    assert order.status == order_status.CONFIRMED


CANCEL = """mutation($n: String!) { cancelOrder(number: $n) { order { number status statusLabel }
  errors { field message code } } }"""


def gql(client, query, variables):
    return client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    ).json()


def test_cancel_order_in_graphql(buyer_client, world):
    order = place(buyer_client, world, method="on-account")
    stranger = Client()
    stranger.force_login(factories.distributor("stranger"))
    body = gql(stranger, CANCEL, {"n": order.number})
    assert [(e["field"], e["code"]) for e in body["data"]["cancelOrder"]["errors"]] == [("number", "not_found")]
    body = gql(buyer_client, CANCEL, {"n": order.number})
    assert body["data"]["cancelOrder"] == {
        "order": {"number": order.number, "status": "Cancelled", "statusLabel": "已取消"},
        "errors": [],
    }
    assert account(world).balance == Decimal("0.00")
    body = gql(buyer_client, CANCEL, {"n": order.number})  # again: already cancelled
    assert [(e["field"], e["code"]) for e in body["data"]["cancelOrder"]["errors"]] == [(None, "invalid_transition")]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_supplier_accepting_while_the_buyer_cancels_exactly_one_wins(buyer_client, world):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    from django.core.exceptions import ValidationError

    from storefront.services.orders import cancel_as_buyer
    from tests.storefront.test_basket_concurrency import at_once

    order = place(buyer_client, world, method="on-account", redeem=1000)
    jg = parts(order)["jg"]

    def work(n: int):
        try:
            if n == 0:
                lifecycle.accept(type(jg).objects.get(pk=jg.pk), actor=world["jg_staff"])
                return "accepted"
            cancel_as_buyer(order=type(order).objects.get(pk=order.pk), user=world["buyer"])
            return "cancelled"
        except ValidationError:
            return "refused"

    results = sorted(at_once(2, work))
    assert results in (["accepted", "refused"], ["cancelled", "refused"]), results
    order.refresh_from_db()
    states = {code: so.state for code, so in parts(order).items()}
    if "accepted" in results:
        assert order.status == order_status.PROCESSING
        assert states == {"jg": State.ACCEPTED, "df": State.FORWARDED}
        assert account(world).balance == Decimal("528.00")
        assert not payments.has_event(order, payments.RELEASED)
    else:
        assert order.status == order_status.CANCELLED
        assert states == {"jg": State.CANCELLED, "df": State.CANCELLED}
        assert account(world).balance == Decimal("0.00")
        assert balance_points(world) == 5000
