"""GraphQL: a buyer opens, lists and cancels; a supplier lists, approves and rejects; another
company's or supplier's request (or supplier order) is not_found and nothing changes."""

import json

import pytest
from django.test import Client

from plugins.aftersales.models import AfterSalesRequest, State
from tests.aftersales.conftest import client_of

pytestmark = pytest.mark.django_db

OPEN = """mutation($so: String!, $lines: [AfterSalesLineInput!]!, $amount: Decimal) {
  requestAfterSales(supplierOrderNumber: $so, kind: "return", reason: "quality", lines: $lines, refundAmount: $amount) {
    afterSalesRequest { number state refundAmount lines { sku quantity amount } }
    errors { field code message }
  }
}"""
LIST = "{ afterSalesRequests { totalCount items { number state kindLabel } } }"


def gql(client_or_user, query, variables=None):
    client = client_or_user if isinstance(client_or_user, Client) else client_of(client_or_user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()


def open_one(w, quantity=2, amount=None):
    return gql(
        w.buyer,
        OPEN,
        {"so": w.jg_part.number, "lines": [{"lineId": str(w.bolt_line.pk), "quantity": quantity}], "amount": amount},
    )["data"]["requestAfterSales"]


def test_the_buyer_opens_lists_and_cancels(world):
    made = open_one(world)
    assert made["errors"] == []
    assert made["afterSalesRequest"]["state"] == "requested"
    assert made["afterSalesRequest"]["refundAmount"] == "64.00"
    number = made["afterSalesRequest"]["number"]
    listed = gql(world.buyer, LIST)["data"]["afterSalesRequests"]
    assert listed["totalCount"] == 1 and listed["items"][0]["number"] == number
    cancelled = gql(
        world.buyer,
        "mutation($n: String!) { cancelAfterSales(number: $n) { afterSalesRequest { state } errors { field } } }",
        {"n": number},
    )["data"]["cancelAfterSales"]
    assert cancelled == {"afterSalesRequest": {"state": "cancelled"}, "errors": []}


def test_bad_input_comes_back_on_the_input_fields_and_nothing_is_saved(world):
    errors = open_one(world, quantity=11)["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("lines", "above_delivered")]
    errors = open_one(world, amount="64.01")["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("refundAmount", "above_paid")]
    body = gql(
        world.buyer,
        OPEN,
        {"so": world.df_part.number, "lines": [{"lineId": str(world.df_part.lines.get().pk), "quantity": 1}]},
    )
    assert [(e["field"], e["code"]) for e in body["data"]["requestAfterSales"]["errors"]] == [
        ("supplierOrderNumber", "not_eligible")
    ]
    assert AfterSalesRequest.objects.count() == 0


def test_the_supplier_approves_and_rejects_its_own_requests_only(world):
    first = open_one(world)["afterSalesRequest"]["number"]
    second = open_one(world)["afterSalesRequest"]["number"]
    approve = (
        "mutation($n: String!) { approveAfterSales(number: $n) { afterSalesRequest { state } errors { field code } } }"
    )
    reject = (
        "mutation($n: String!, $r: String!) { rejectAfterSales(number: $n, reason: $r) "
        "{ afterSalesRequest { state rejectionReason } errors { field code } } }"
    )
    # another supplier finds nothing
    assert gql(world.df_staff, approve, {"n": first})["data"]["approveAfterSales"]["errors"] == [
        {"field": "number", "code": "not_found"}
    ]
    assert gql(world.df_staff, LIST)["data"]["afterSalesRequests"]["totalCount"] == 0
    assert gql(world.jg_staff, LIST)["data"]["afterSalesRequests"]["totalCount"] == 2
    assert gql(world.jg_staff, approve, {"n": first})["data"]["approveAfterSales"]["afterSalesRequest"] == {
        "state": "approved"
    }
    assert gql(world.jg_staff, reject, {"n": second, "r": " "})["data"]["rejectAfterSales"]["errors"] == [
        {"field": "reason", "code": "required"}
    ]
    body = gql(world.jg_staff, reject, {"n": second, "r": "不属于质量问题"})["data"]["rejectAfterSales"]
    assert body["afterSalesRequest"] == {"state": "rejected", "rejectionReason": "不属于质量问题"}


def test_another_company_finds_neither_the_part_nor_the_request(world):
    number = open_one(world)["afterSalesRequest"]["number"]
    other = world.other_buyer
    body = gql(
        other,
        OPEN,
        {"so": world.jg_part.number, "lines": [{"lineId": str(world.bolt_line.pk), "quantity": 1}]},
    )
    assert body["data"]["requestAfterSales"]["errors"][0]["code"] == "not_found"
    assert gql(other, LIST)["data"]["afterSalesRequests"]["totalCount"] == 0
    assert (
        gql(other, "query($n: String!) { afterSalesRequest(number: $n) { number } }", {"n": number})["data"][
            "afterSalesRequest"
        ]
        is None
    )
    cancel = gql(
        other, "mutation($n: String!) { cancelAfterSales(number: $n) { errors { field code } } }", {"n": number}
    )
    assert cancel["data"]["cancelAfterSales"]["errors"] == [{"field": "number", "code": "not_found"}]
    assert AfterSalesRequest.objects.get().state == State.REQUESTED
    forbidden = gql(
        world.buyer, "mutation($n: String!) { approveAfterSales(number: $n) { errors { field } } }", {"n": number}
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "forbidden"
