"""GraphQL of receipts, scoped to who asks: operators see all; a company's 财务/admin sees its own
and claims with proof; recording/approving/allocating is the finance group's; bad input is an
error list that changes nothing."""

import json
from decimal import Decimal

import pytest
from django.test import Client

from core.orders import payments
from plugins.finance.models import JournalEntry, Receipt
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_receipts import (  # noqa: F401 - fixtures
    finance_clerk_fixture,
    looker,
    other_buyer_fixture,
    receipt,
    today,
)

pytestmark = pytest.mark.django_db

RECEIPTS = "{ receipts { number amount state payerAccount companyName left allocations { orderNumber amount } } }"
UNCLAIMED = "{ unclaimedReceipts { receivedOn payerName payerAccount amount number } }"
RECORD = """mutation($ref: String!, $on: Date!, $amount: Decimal!, $payer: String!, $orders: [String!]) {
  recordReceipt(bankReference: $ref, receivedOn: $on, amount: $amount, payerName: $payer, orderNumbers: $orders) {
    receipt { number state amount } errors { field code message } } }"""
APPROVE = "mutation($n: String!) { approveReceipt(number: $n) { receipt { state } errors { field message } } }"
ALLOCATE = """mutation($n: String!, $o: String!, $a: Decimal!) { allocateReceipt(number: $n, orderNumber: $o, amount: $a) {
  receipt { left } errors { field code message } } }"""
CLAIM = """mutation($on: Date!, $a: Decimal!, $acct: String!, $orders: [String!]) {
  claimReceipt(receivedOn: $on, amount: $a, payerAccount: $acct, orderNumbers: $orders) {
    receipt { number state companyName payerAccount } errors { field code message } } }"""


def gql(user, query, variables=None):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return json.loads(response.content)


def _counts():
    return Receipt.objects.count(), JournalEntry.objects.count()


def test_finance_records_approves_and_allocates_and_bad_input_changes_nothing(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    later = factories.place_order(buyer, [(catalogue["nut"], 1)], secure=False)
    variables = {"ref": "G-1", "on": today().isoformat(), "amount": "500.00", "payer": "甲", "orders": [order.number]}
    before = _counts()
    for bad in ({"amount": "-1"}, {"amount": "0"}, {"orders": ["NOPE"]}):
        body = gql(finance_clerk, RECORD, {**variables, **bad})
        assert body["data"]["recordReceipt"]["errors"], bad
    assert gql(looker(), RECORD, variables)["errors"][0]["extensions"]["code"] == "forbidden"
    assert gql(buyer, RECORD, variables)["errors"][0]["extensions"]["code"] == "forbidden"
    assert _counts() == before
    made = gql(finance_clerk, RECORD, variables)["data"]["recordReceipt"]
    assert made["errors"] == [] and made["receipt"]["state"] == "pending"
    again = gql(finance_clerk, RECORD, variables)["data"]["recordReceipt"]
    assert again["errors"][0]["field"] == "bankReference"
    number = made["receipt"]["number"]
    assert gql(looker(key="looker2"), APPROVE, {"n": number})["errors"][0]["extensions"]["code"] == "forbidden"
    assert gql(finance_clerk, APPROVE, {"n": number})["data"]["approveReceipt"]["receipt"]["state"] == "approved"
    order.refresh_from_db()
    assert payments.is_paid(order)
    too_much = gql(finance_clerk, ALLOCATE, {"n": number, "o": later.number, "a": "400.00"})
    assert too_much["data"]["allocateReceipt"]["errors"]
    done = gql(finance_clerk, ALLOCATE, {"n": number, "o": later.number, "a": str(later.total_incl_tax)})
    left = Decimal("500.00") - order.total_incl_tax - later.total_incl_tax
    assert Decimal(done["data"]["allocateReceipt"]["receipt"]["left"]) == left
    missing = gql(finance_clerk, ALLOCATE, {"n": "SK-NOPE", "o": later.number, "a": "1"})
    assert missing["data"]["allocateReceipt"]["errors"][0]["code"] == "not_found"
    assert_books_hold(warnings_ok=False)


def test_receipts_are_scoped_and_the_company_claims_with_proof(buyer, other_buyer, catalogue, finance_clerk):
    company = factories.company_of(buyer)
    mine = receipt(finance_clerk, "10.00", company=company)
    theirs = receipt(finance_clerk, "20.00", company=factories.company_of(other_buyer))
    waiting = receipt(finance_clerk, "30.00", payer_name=company.legal_name, payer_account="6222 5555 6666 7777")
    numbers = {r["number"] for r in gql(buyer, RECEIPTS)["data"]["receipts"]}
    assert numbers == {mine.number}
    all_numbers = {r["number"] for r in gql(finance_clerk, RECEIPTS)["data"]["receipts"]}
    assert {mine.number, theirs.number, waiting.number} <= all_numbers
    queue = gql(buyer, UNCLAIMED)["data"]["unclaimedReceipts"]
    assert queue == [
        {
            "receivedOn": today().isoformat(),
            "payerName": company.legal_name,
            "payerAccount": "****7777",
            "amount": None,
            "number": None,
        }
    ]
    assert gql(other_buyer, UNCLAIMED)["data"]["unclaimedReceipts"] == []  # not paid in its name

    before = _counts()
    wrong = gql(buyer, CLAIM, {"on": today().isoformat(), "a": "30.01", "acct": "6222555566667777"})
    assert wrong["data"]["claimReceipt"]["errors"][0]["field"] == "payerAccount"
    assert _counts() == before
    claimed = gql(buyer, CLAIM, {"on": today().isoformat(), "a": "30.00", "acct": "6222555566667777"})
    assert claimed["data"]["claimReceipt"]["errors"] == []
    assert claimed["data"]["claimReceipt"]["receipt"]["state"] == "pending"
    assert claimed["data"]["claimReceipt"]["receipt"]["payerAccount"] == "****7777"
    # claimed: the other company cannot take it with the same proof
    taken = gql(other_buyer, CLAIM, {"on": today().isoformat(), "a": "30.00", "acct": "6222555566667777"})
    assert taken["data"]["claimReceipt"]["errors"]
    waiting.refresh_from_db()
    assert waiting.company == company and waiting.state == Receipt.State.PENDING
    assert_books_hold(warnings_ok=False)


def test_the_receipts_list_costs_the_same_queries_for_more_receipts(buyer, catalogue, finance_clerk):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    company = factories.company_of(buyer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            body = gql(finance_clerk, RECEIPTS)
        assert "errors" not in body
        return len(queries)

    for _n in range(2):
        order = factories.place_order(buyer, [(catalogue["nut"], 1)], secure=False)
        receipt(finance_clerk, str(order.total_incl_tax + 1), orders=[order])
    few = count()
    for _n in range(5):
        order = factories.place_order(buyer, [(catalogue["nut"], 1)], secure=False)
        receipt(finance_clerk, str(order.total_incl_tax + 1), orders=[order], company=company)
    assert count() == few
