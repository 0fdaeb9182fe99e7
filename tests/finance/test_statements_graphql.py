"""GraphQL of statements: scoped to who asks; issue/confirm/dispute/closePeriod with clear errors
and nothing changed on bad input."""

import json
from datetime import timedelta

import pytest
from django.test import Client

from plugins.finance.models import ClosedPeriod, Statement
from plugins.finance.services import statements
from tests import factories
from tests.finance.fixtures_statements import finance_operator, today

pytestmark = pytest.mark.django_db

LIST = "query { statements { total items { number partyKind state closing figures { key amount } } } }"
ISSUE = """mutation($c: ID, $s: ID, $a: Date!, $b: Date!) { issueStatement(companyId: $c, supplierId: $s,
    periodStart: $a, periodEnd: $b) { statement { number state } errors { field message code } } }"""
CONFIRM = "mutation($n: String!) { confirmStatement(number: $n) { statement { state } errors { field code } } }"
DISPUTE = """mutation($n: String!, $r: String!) { disputeStatement(number: $n, reason: $r) {
    statement { state } errors { field message code } } }"""
CLOSE = "mutation($m: Date!) { closePeriod(month: $m) { month errors { field message } } }"


def gql(user, query, variables=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


def test_statements_are_scoped_and_answered_by_their_party_only():
    fin = finance_operator()
    alpha, beta = factories.distributor("alpha"), factories.distributor("beta")
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    jg_staff = factories.supplier_staff(jg, "jgstaff")
    company = factories.company_of(alpha)
    out = gql(fin, ISSUE, {"c": company.pk, "a": str(today() - timedelta(days=1)), "b": str(today())})
    number = out["data"]["issueStatement"]["statement"]["number"]
    s_jg = statements.issue_statement(jg, today(), today(), fin)
    assert gql(fin, LIST)["data"]["statements"]["total"] == 2
    assert [i["number"] for i in gql(alpha, LIST)["data"]["statements"]["items"]] == [number]
    assert gql(beta, LIST)["data"]["statements"]["total"] == 0
    assert [i["number"] for i in gql(jg_staff, LIST)["data"]["statements"]["items"]] == [s_jg.number]
    # beta guesses alpha's number: not found, nothing changed
    err = gql(beta, CONFIRM, {"n": number})["data"]["confirmStatement"]["errors"]
    assert err == [{"field": "number", "code": "not_found"}]
    assert Statement.objects.get(number=number).state == "issued"
    # a dispute without a reason is refused; with one it is recorded
    empty = gql(alpha, DISPUTE, {"n": number, "r": " "})["data"]["disputeStatement"]
    assert empty["errors"][0]["field"] == "reason" and Statement.objects.get(number=number).state == "issued"
    done = gql(alpha, DISPUTE, {"n": number, "r": "金额不符"})["data"]["disputeStatement"]
    assert done == {"statement": {"state": "disputed"}, "errors": []}
    assert gql(jg_staff, CONFIRM, {"n": s_jg.number})["data"]["confirmStatement"]["statement"]["state"] == "confirmed"
    # distributors may not issue or close
    assert gql(alpha, ISSUE, {"c": company.pk, "a": str(today()), "b": str(today())})["errors"]
    assert gql(alpha, CLOSE, {"m": str(today())})["errors"]


def test_issue_and_close_refuse_bad_input():
    fin = finance_operator()
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    both = gql(fin, ISSUE, {"c": "1", "s": jg.pk, "a": str(today()), "b": str(today())})["data"]["issueStatement"]
    assert both["errors"][0]["field"] == "companyId"
    backwards = gql(fin, ISSUE, {"s": jg.pk, "a": str(today()), "b": str(today() - timedelta(days=1))})
    assert backwards["data"]["issueStatement"]["errors"][0]["field"] == "periodEnd"
    assert not Statement.objects.exists()
    future = gql(fin, CLOSE, {"m": str(today())})["data"]["closePeriod"]
    assert future["errors"][0]["field"] == "month" and not ClosedPeriod.objects.exists()
    last = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    assert gql(fin, CLOSE, {"m": str(last)})["data"]["closePeriod"] == {"month": f"{last:%Y-%m}", "errors": []}
