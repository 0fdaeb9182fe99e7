"""Supplier API: a supplier system with its staff user's API token lists, accepts, rejects and
ships its own supplier orders; nothing of another supplier's is reachable."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.services.api_tokens import issue_token
from plugins.logistics.models import Shipment
from plugins.s2b2b_orders.models import State, SupplierOrder
from plugins.s2b2b_orders.services import lifecycle
from tests.s2b2b_orders.conftest import place_order

pytestmark = pytest.mark.django_db

LIST = """query($first: Int, $offset: Int, $state: String, $search: String) {
  supplierOrders(first: $first, offset: $offset, state: $state, search: $search) {
    totalCount
    items { number orderNumber supplierCode state stateLabel subtotal freight total acceptBy
            deliveryAddress { consignee province city street }
            lines { sku name quantity unitPrice lineTotal unitCost }
            shipments { carrier carrierName trackingNumbers } }
  }
}"""
ACCEPT = "mutation($n: String!) { acceptSupplierOrder(number: $n) { supplierOrder { number state } errors { field message code } } }"
REJECT = "mutation($n: String!, $r: String!) { rejectSupplierOrder(number: $n, reason: $r) { supplierOrder { state rejectionReason } errors { field message code } } }"
SHIP = """mutation($n: String!, $c: String!, $t: [String!]!) {
  shipSupplierOrder(number: $n, carrier: $c, trackingNumbers: $t) {
    supplierOrder { state shipments { carrier trackingNumbers } } errors { field message code } } }"""


def gql(query, variables=None, user=None, token=None):
    headers = {}
    if user is not None or token is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {token or issue_token(user, 'ERP').secret}"
    response = Client(enforce_csrf_checks=True).post(
        "/graphql/",
        json.dumps({"query": query, "variables": variables or {}}),
        content_type="application/json",
        **headers,
    )
    return response.json()


@pytest.fixture
def orders(shop):
    return [place_order(shop["buyer"], [(shop["bolt"], i + 1), (shop["wire"], 1)]) for i in range(3)]


def test_a_supplier_lists_only_its_own_orders_with_the_snapshot(shop, orders):
    body = gql(LIST, {"first": 10}, user=shop["jg_staff"])
    page = body["data"]["supplierOrders"]
    assert page["totalCount"] == 3
    assert {item["supplierCode"] for item in page["items"]} == {"jg"}
    first = next(i for i in page["items"] if i["orderNumber"] == str(orders[0].number))
    assert first["number"] == f"{orders[0].number}-S1"
    assert first["state"] == "forwarded" and first["stateLabel"] == "已转发"
    assert first["subtotal"] == "32.00"
    assert first["deliveryAddress"] == {
        "consignee": "张三",
        "province": "广东省",
        "city": "深圳市",
        "street": "科技园路1号",
    }
    assert first["lines"] == [
        {
            "sku": "JG-HB-M8-30",
            "name": "外六角螺栓 M8×30",
            "quantity": 1,
            "unitPrice": "32.00",
            "lineTotal": "32.00",
            "unitCost": "25.50",
        }
    ]


def test_filters_and_pagination(shop, orders):
    token = issue_token(shop["jg_staff"], "ERP").secret
    gql(ACCEPT, {"n": f"{orders[1].number}-S1"}, token=token)
    body = gql(LIST, {"state": "accepted"}, token=token)
    assert [i["number"] for i in body["data"]["supplierOrders"]["items"]] == [f"{orders[1].number}-S1"]
    body = gql(LIST, {"first": 2, "offset": 2}, token=token)
    assert body["data"]["supplierOrders"]["totalCount"] == 3
    assert len(body["data"]["supplierOrders"]["items"]) == 1
    body = gql(LIST, {"state": "nonsense"}, token=token)
    assert body["errors"][0]["extensions"]["field"] == "state"
    body = gql(LIST, {"first": 1000}, token=token)
    assert body["errors"][0]["extensions"]["field"] == "first"


def test_the_list_query_count_does_not_grow_with_the_page(shop, orders):
    token = issue_token(shop["jg_staff"], "ERP").secret
    for so in SupplierOrder.objects.filter(partner=shop["jg"]):
        lifecycle.accept(so)
        lifecycle.ship(so, carrier_code="sf", tracking_numbers=[f"SF{1234567890000 + so.pk}"])
    gql(LIST, {"first": 1}, token=token)  # the token's first use records itself once
    counts, sqls = [], []
    for first in (1, 3):
        with CaptureQueriesContext(connection) as ctx:
            body = gql(LIST, {"first": first}, token=token)
        assert "errors" not in body
        counts.append(len(ctx.captured_queries))
        sqls.append([q["sql"][:120] for q in ctx.captured_queries])
    assert counts[0] == counts[1], (
        [q for q in sqls[1] if q not in sqls[0]] + ["---"] + [q for q in sqls[0] if q not in sqls[1]]
    )
    assert body["data"]["supplierOrders"]["items"][0]["shipments"][0]["carrier"] == "sf"


def test_accept_reject_and_ship_through_the_api(shop, orders):
    token = issue_token(shop["jg_staff"], "ERP").secret
    n0, n1 = f"{orders[0].number}-S1", f"{orders[1].number}-S1"
    body = gql(ACCEPT, {"n": n0}, token=token)
    assert body["data"]["acceptSupplierOrder"] == {"supplierOrder": {"number": n0, "state": "accepted"}, "errors": []}
    body = gql(SHIP, {"n": n0, "c": "sf", "t": ["SF1234567890123"]}, token=token)
    assert body["data"]["shipSupplierOrder"]["supplierOrder"] == {
        "state": "shipped",
        "shipments": [{"carrier": "sf", "trackingNumbers": ["SF1234567890123"]}],
    }
    assert SupplierOrder.objects.get(number=n0).events.get(to_state="shipped").via == "api"
    body = gql(REJECT, {"n": n1, "r": "缺货"}, token=token)
    assert body["data"]["rejectSupplierOrder"]["supplierOrder"] == {"state": "rejected", "rejectionReason": "缺货"}


@pytest.mark.parametrize(
    "query, variables, field, code",
    [
        (
            SHIP,
            {"c": "sf", "t": ["SF1234567890123"]},
            None,
            "invalid_transition",
        ),  # not accepted yet: no input is wrong
        (REJECT, {"r": "  "}, "reason", "required"),
    ],
)
def test_bad_mutations_return_errors_and_change_nothing(shop, orders, query, variables, field, code):
    number = f"{orders[0].number}-S1"
    body = gql(query, {"n": number, **variables}, user=shop["jg_staff"])
    payload = next(iter(body["data"].values()))
    assert payload["supplierOrder"] is None
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [(field, code)]
    so = SupplierOrder.objects.get(number=number)
    assert so.state == State.FORWARDED and so.events.count() == 1


@pytest.mark.parametrize(
    "carrier, numbers, field",
    [("nope", ["SF1234567890123"], "carrier"), ("sf", [], "trackingNumbers"), ("sf", ["123"], "trackingNumbers")],
)
def test_bad_shipping_input_through_the_api(shop, orders, carrier, numbers, field):
    token = issue_token(shop["jg_staff"], "ERP").secret
    number = f"{orders[0].number}-S1"
    gql(ACCEPT, {"n": number}, token=token)
    body = gql(SHIP, {"n": number, "c": carrier, "t": numbers}, token=token)
    errors = body["data"]["shipSupplierOrder"]["errors"]
    assert errors and {e["field"] for e in errors} == {field}
    assert SupplierOrder.objects.get(number=number).state == State.ACCEPTED
    assert Shipment.objects.count() == 0


def test_distributors_and_anonymous_callers_get_nothing(shop, orders):
    body = gql(LIST, {}, user=shop["buyer"])
    assert body["errors"][0]["extensions"]["code"] == "forbidden"
    body = gql(LIST, {})
    assert body["errors"][0]["extensions"]["code"] == "unauthenticated"
