"""GraphQL of invoices: scoped to who asks, bad input answered as payload errors with nothing
changed, list queries flat in the page size."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from plugins.finance.models import Invoice, InvoiceRequest
from plugins.finance.services import invoices
from tests import factories
from tests.finance.fixtures_invoices import complete_invoicing, finance_operator, tax_classes
from tests.storefront.test_graphql import gql

pytestmark = pytest.mark.django_db

REQUEST = """
mutation($orders: [String!]!, $kind: String!) {
  requestInvoice(orderNumbers: $orders, kind: $kind) {
    invoiceRequest { number state amountInclTax tax orderNumbers lines { name quantity amount tax rate taxCode } }
    errors { field message code }
  }
}"""
ISSUE = """mutation($n: String!) { issueInvoice(number: $n) { invoice { number isRed amountInclTax } errors { field code } } }"""
LIST = """query($first: Int) { invoiceRequests(first: $first) { totalCount items { number company orderNumbers
  lines { name amount } invoice { number } } } invoices { totalCount items { number requestNumber } } }"""


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def paid(catalogue, buyer):
    tax_classes(catalogue)
    company = complete_invoicing(factories.company_of(buyer))
    order = factories.place_order(buyer, [(catalogue["bolt"], 3), (catalogue["wire"], 2)], paid=True)
    return {"order": order, "company": company, "buyer": buyer, "catalogue": catalogue}


def test_request_and_issue_through_graphql(paid):
    status, body = gql(client_for(paid["buyer"]), REQUEST, {"orders": [paid["order"].number], "kind": "special"})
    payload = body["data"]["requestInvoice"]
    assert status == 200 and payload["errors"] == []
    made = payload["invoiceRequest"]
    assert (made["state"], made["amountInclTax"], made["tax"]) == ("requested", "532.00", "47.04")
    assert {line["taxCode"] for line in made["lines"]} == {"1090213010000000000", "1090314010000000000"}
    # the buyer may not issue; finance may
    status, body = gql(client_for(paid["buyer"]), ISSUE, {"n": made["number"]})
    assert body["errors"][0]["extensions"]["code"] == "forbidden" and not Invoice.objects.exists()
    status, body = gql(client_for(finance_operator()), ISSUE, {"n": made["number"]})
    issued = body["data"]["issueInvoice"]["invoice"]
    assert len(issued["number"]) == 20 and issued["amountInclTax"] == "532.00" and issued["isRed"] is False


def test_bad_input_is_a_payload_error_and_changes_nothing(paid, catalogue):
    other = factories.distributor("other")
    theirs = factories.place_order(other, [(catalogue["nut"], 1)], paid=True)
    client = client_for(paid["buyer"])
    _status, body = gql(client, REQUEST, {"orders": [theirs.number], "kind": "special"})
    assert body["data"]["requestInvoice"]["errors"][0] == {
        "field": "orderNumbers",
        "message": body["data"]["requestInvoice"]["errors"][0]["message"],
        "code": "not_found",
    }
    complete_invoicing(paid["company"], invoice_bank_account="")
    _status, body = gql(client, REQUEST, {"orders": [paid["order"].number], "kind": "special"})
    (error,) = body["data"]["requestInvoice"]["errors"]
    assert error["field"] == "kind" and error["code"] == "invoicing_details_missing"
    assert not InvoiceRequest.objects.exists()
    _status, body = gql(client, ISSUE, {"n": "KP-20000101-000001"})
    assert body["errors"][0]["extensions"]["code"] == "forbidden"


def test_lists_are_scoped_and_flat_in_the_page_size(paid, catalogue):
    finance = finance_operator()
    for _n in range(4):
        order = factories.place_order(paid["buyer"], [(catalogue["bolt"], 1), (catalogue["wire"], 1)], paid=True)
        invoices.issue(invoices.request_invoice(paid["company"], [order], "normal", paid["buyer"]), finance)
    stranger = factories.distributor("stranger")
    _status, body = gql(client_for(stranger), LIST, {"first": 10})
    assert body["data"]["invoiceRequests"]["totalCount"] == 0 and body["data"]["invoices"]["totalCount"] == 0
    client = client_for(paid["buyer"])
    counts = {}
    for first in (1, 4):
        with CaptureQueriesContext(connection) as queries:
            _status, body = gql(client, LIST, {"first": first})
        assert len(body["data"]["invoiceRequests"]["items"]) == first
        counts[first] = len(queries)
    assert counts[1] == counts[4], counts
    item = body["data"]["invoiceRequests"]["items"][0]
    assert item["invoice"]["number"] and item["lines"][0]["amount"] in {"28.32", "200.00"}
    assert body["data"]["invoices"]["totalCount"] == 4
    assert sum(Decimal(i.amount_incl_tax) for i in Invoice.objects.all()) == Decimal("1000.00")
