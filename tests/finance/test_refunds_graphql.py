"""Refunds over GraphQL, scoped to who asks: a company's 财务/admin requests and lists its own,
another company's order or refund is not found, only the finance team decides and pays out."""

import json

import pytest
from django.conf import settings
from django.test import Client

from plugins.finance.models import Refund
from plugins.finance.services import refunds
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_refunds import finance_user, plain_operator, transfer_order

pytestmark = pytest.mark.django_db

REQUEST = """mutation($order: String!, $reason: String!, $lines: [RefundLineInput!], $freight: Decimal) {
  requestRefund(orderNumber: $order, reason: $reason, lines: $lines, freightAmount: $freight, note: "GraphQL") {
    refund { number state amount method lines { quantity amount } }
    errors { field message code }
  }
}"""
LIST = "query { refunds(first: 10) { totalCount items { number orderNumber amount state } } }"
APPROVE = "mutation($n: String!) { approveRefund(number: $n) { refund { state } errors { field message } } }"
EXECUTE = """mutation($n: String!, $ref: String) {
  executeRefund(number: $n, payoutReference: $ref) { refund { state payoutReference } errors { field message } }
}"""
REJECT = (
    "mutation($n: String!, $r: String!) { rejectRefund(number: $n, reason: $r) { refund { state } errors { field } } }"
)


def gql(user, query, **variables) -> dict:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables}), content_type="application/json"
    )
    return response.json()


def test_a_company_requests_and_lists_its_own_refunds_and_finance_pays_them(buyer, catalogue):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    line = order.lines.get()
    got = gql(buyer, REQUEST, order=order.number, reason="return", lines=[{"lineId": line.pk, "quantity": 3}])
    payload = got["data"]["requestRefund"]
    assert payload["errors"] == []
    number = payload["refund"]["number"]
    assert payload["refund"]["amount"] == "96.00" and payload["refund"]["lines"] == [{"quantity": 3, "amount": "96.00"}]
    assert payload["refund"]["method"] == "bank-transfer" and payload["refund"]["state"] == "requested"

    bad = gql(buyer, REQUEST, order=order.number, reason="return", lines=[{"lineId": line.pk, "quantity": 8}])
    assert bad["data"]["requestRefund"]["errors"][0]["field"] == "lines"
    too_much = gql(buyer, REQUEST, order=order.number, reason="allowance", lines=[], freight="1.00")
    assert too_much["data"]["requestRefund"]["errors"][0]["field"] == "freightAmount"
    assert Refund.objects.count() == 1

    other = factories.distributor("other")
    theirs = transfer_order(other, [(catalogue["nut"], 2)])
    refunds.request_refund(theirs, reason="return", lines=[(theirs.lines.get(), 1)], by=other)
    stolen = gql(
        buyer, REQUEST, order=theirs.number, reason="return", lines=[{"lineId": theirs.lines.get().pk, "quantity": 1}]
    )
    assert stolen["data"]["requestRefund"]["errors"][0] == {
        "field": "orderNumber",
        "message": "Nothing was found for this value.",
        "code": "not_found",
    }
    listed = gql(buyer, LIST)["data"]["refunds"]
    assert listed["totalCount"] == 1 and listed["items"][0]["number"] == number

    # only the finance team decides
    denied = gql(buyer, APPROVE, n=number)
    assert denied["errors"][0]["extensions"]["code"] == "forbidden"
    assert gql(plain_operator(), APPROVE, n=number)["errors"][0]["extensions"]["code"] == "forbidden"
    finance = finance_user()
    assert gql(finance, LIST)["data"]["refunds"]["totalCount"] == 2
    assert gql(finance, APPROVE, n=number)["data"]["approveRefund"] == {"refund": {"state": "approved"}, "errors": []}
    missing = gql(finance, EXECUTE, n=number, ref="")["data"]["executeRefund"]
    assert missing["refund"] is None and missing["errors"][0]["field"] == "payoutReference"
    done = gql(finance, EXECUTE, n=number, ref="GQL-1")["data"]["executeRefund"]
    assert done == {"refund": {"state": "refunded", "payoutReference": "GQL-1"}, "errors": []}
    assert gql(finance, REJECT, n=number, r="晚了")["data"]["rejectRefund"]["errors"][0]["field"] is None
    assert_books_hold(warnings_ok=False)


def test_someone_without_finance_rights_sees_no_refunds(buyer, catalogue):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 1)], by=buyer)
    colleague = factories.person("colleague")
    factories.join(colleague, order.company, role="buyer")
    assert gql(colleague, LIST)["data"]["refunds"] == {"totalCount": 0, "items": []}
    asked = gql(
        colleague, REQUEST, order=order.number, reason="return", lines=[{"lineId": order.lines.get().pk, "quantity": 1}]
    )
    assert asked["data"]["requestRefund"]["errors"][0]["code"] == "not_found"
    assert gql(None, LIST)["errors"][0]["extensions"]["code"] == "unauthenticated"
