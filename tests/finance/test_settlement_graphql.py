"""Settlement over GraphQL, scoped to who asks: finance drafts and pays, the supplier confirms or
disputes its own batches only; another supplier's batch is not found; bad input is a payload
error and changes nothing."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from plugins.finance.models import JournalEntry, SettlementBatch
from plugins.finance.services.ledger import business_date
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_settlement import delivered_orders, finance_operator, supplier_with_staff

pytestmark = pytest.mark.django_db

BATCH = "batch { number state goods commission payable supplierName lines { supplierOrderNumber payable } }"


def gql(user, query, variables=None):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return json.loads(response.content)


DRAFT = f"""mutation($s: ID!, $a: Date!, $b: Date!) {{
  draftSettlement(supplierId: $s, periodStart: $a, periodEnd: $b) {{ {BATCH} errors {{ field message code }} }} }}"""
CONFIRM = f"""mutation($n: String!) {{ confirmSettlement(number: $n) {{ {BATCH} errors {{ field message code }} }} }}"""
DISPUTE = """mutation($n: String!, $r: String!) { disputeSettlement(number: $n, reason: $r) {
  batch { state } errors { field message code } } }"""
PAY = """mutation($n: String!, $p: String!) { paySettlement(number: $n, payoutReference: $p) {
  batch { state payoutReference } errors { field message code } } }"""
LIST = "{ settlementBatches { totalCount items { number supplierName payable } } }"


def test_draft_confirm_and_pay_over_graphql_each_party_in_its_own_scope():
    jg, jg_staff = supplier_with_staff("jg", "苏州精工五金制品有限公司")
    df, df_staff = supplier_with_staff("df", "宁波东方电气设备有限公司")
    op = finance_operator()
    product = factories.product("P1", "扳手", "10.10", partner=jg)
    (so,) = delivered_orders(jg, [[(product, 2, "50.00")]], freight="5.00")
    today = business_date()
    period = {"s": str(jg.pk), "a": str(today - timedelta(days=30)), "b": str(today)}

    bad = gql(op, DRAFT, {**period, "b": str(today + timedelta(days=3))})["data"]["draftSettlement"]
    assert bad["batch"] is None and bad["errors"][0]["field"] == "periodEnd"
    assert gql(jg_staff, DRAFT, period)["errors"][0]["extensions"]["code"] == "forbidden"
    unknown = gql(op, DRAFT, {**period, "s": "999999"})["data"]["draftSettlement"]
    assert unknown["errors"][0] == {
        "field": "supplierId",
        "message": unknown["errors"][0]["message"],
        "code": "not_found",
    }
    assert not SettlementBatch.objects.exists()

    drafted = gql(op, DRAFT, period)["data"]["draftSettlement"]
    assert drafted["errors"] == []
    batch = drafted["batch"]
    # 100.00 × 5 % = 5.00; payable 100 − 5 + 5 = 100.00
    assert (batch["goods"], batch["commission"], batch["payable"]) == ("100.00", "5.00", "100.00")
    assert batch["lines"] == [{"supplierOrderNumber": so.number, "payable": "100.00"}]
    number = batch["number"]

    assert gql(df_staff, LIST)["data"]["settlementBatches"]["totalCount"] == 0
    assert gql(jg_staff, LIST)["data"]["settlementBatches"]["items"][0]["number"] == number
    other = gql(df_staff, CONFIRM, {"n": number})["data"]["confirmSettlement"]
    assert other["errors"][0]["code"] == "not_found"
    empty = gql(jg_staff, DISPUTE, {"n": number, "r": " "})["data"]["disputeSettlement"]
    assert empty["errors"][0]["field"] == "reason"
    assert gql(op, CONFIRM, {"n": number})["errors"][0]["extensions"]["code"] == "forbidden"

    confirmed = gql(jg_staff, CONFIRM, {"n": number})["data"]["confirmSettlement"]
    assert confirmed["errors"] == [] and confirmed["batch"]["state"] == "confirmed"
    again = gql(jg_staff, CONFIRM, {"n": number})["data"]["confirmSettlement"]
    assert again["errors"] and again["errors"][0]["field"] == "number"

    assert gql(op, PAY, {"n": number, "p": ""})["data"]["paySettlement"]["errors"][0]["field"] == "payoutReference"
    paid = gql(op, PAY, {"n": number, "p": "HX-77"})["data"]["paySettlement"]
    assert paid == {"batch": {"state": "paid", "payoutReference": "HX-77"}, "errors": []}
    assert JournalEntry.objects.filter(key=f"payout:{number}").exists()
    one = "query($n: String!) { settlementBatch(number: $n) { number } }"
    assert gql(df_staff, one, {"n": number})["data"]["settlementBatch"] is None
    assert gql(jg_staff, one, {"n": number})["data"]["settlementBatch"] == {"number": number}
    assert_books_hold(skip_areas=("refunds",))
