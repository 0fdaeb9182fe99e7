"""member_tiers GraphQL: operators are operators by core.access (superuser or the ``operators``
group); a salesperson reads their own members and changes nothing; errors name camelCase inputs."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from core.access import OPERATORS_GROUP
from plugins.member_tiers.models import CreditAccount, Membership
from tests import factories

User = get_user_model()
pytestmark = pytest.mark.django_db

CHANGE_TIER = """mutation($id: ID!, $tier: String!) { memberChangeTier(memberId: $id, tierCode: $tier, reason: "年度评审") {
  member { tier { code } } errors { field message code } } }"""
EXPLAIN = """query($e: String!) { priceExplanation(company: $e, sku: "JG-HB-M8-30", quantity: 20) {
  pricing { unitPrice } } }"""


def staff(key, *, group=None):
    user = User.objects.create_user(username=key, email=f"{key}@example.cn", password="x", is_staff=True)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def gql(user, query, variables=None):
    client = Client()
    client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


@pytest.fixture
def members(tiers, catalogue):
    wang, li = staff("wang"), staff("li")
    alpha, gamma = factories.distributor("alpha"), factories.distributor("gamma")
    return {
        "wang": wang,
        "li": li,
        "alpha": Membership.objects.create(company=factories.company_of(alpha), tier=tiers["gold"], salesperson=wang),
        "gamma": Membership.objects.create(company=factories.company_of(gamma), tier=tiers["silver"], salesperson=li),
    }


def test_an_operator_by_group_runs_the_operator_mutations_and_sees_every_member(members):
    operator = staff("ops", group=OPERATORS_GROUP)  # not a superuser: still an operator
    body = gql(operator, "{ members { totalCount } }")
    assert body["data"]["members"]["totalCount"] == 2
    body = gql(operator, CHANGE_TIER, {"id": str(members["gamma"].pk), "tier": "diamond"})
    assert body["data"]["memberChangeTier"] == {"member": {"tier": {"code": "diamond"}}, "errors": []}


def test_a_salesperson_reads_their_own_members_and_changes_nothing(members):
    wang = members["wang"]
    body = gql(wang, EXPLAIN, {"e": members["alpha"].company.uscc})
    assert "errors" not in body and body["data"]["priceExplanation"]["pricing"]["unitPrice"]
    body = gql(wang, EXPLAIN, {"e": members["gamma"].company.uscc})  # li's company: not found, not "forbidden"
    assert body["errors"][0]["extensions"] == {"field": "company", "code": "not_found"}
    for member in ("alpha", "gamma"):  # writes are operators' only, their own customers' included
        body = gql(wang, CHANGE_TIER, {"id": str(members[member].pk), "tier": "diamond"})
        assert body["data"]["memberChangeTier"] is None
        assert body["errors"][0]["extensions"]["code"] == "forbidden"
    assert Membership.objects.get(pk=members["alpha"].pk).tier.code == "gold"


def test_credit_line_errors_name_the_inputs_in_camel_case(members):
    operator = factories.operator()
    query = """mutation($id: ID!) { memberSetCreditLine(memberId: $id, limit: "50000", paymentTermsDays: -1, reason: "授信") {
      member { id } errors { field message code } } }"""
    body = gql(operator, query, {"id": str(members["alpha"].pk)})
    assert body["data"]["memberSetCreditLine"] == {
        "member": None,
        "errors": [{"field": "paymentTermsDays", "message": "账期不能为负数。", "code": "invalid"}],
    }
    assert not CreditAccount.objects.exists()
    body = gql(operator, query.replace("-1", "45"), {"id": "999999"})
    assert body["data"]["memberSetCreditLine"]["errors"] == [
        {"field": "memberId", "message": "没有该会员。", "code": "not_found"}
    ]
    body = gql(operator, query.replace("-1", "45"), {"id": str(members["alpha"].pk)})
    assert body["data"]["memberSetCreditLine"] == {"member": {"id": str(members["alpha"].pk)}, "errors": []}
    assert CreditAccount.objects.get().limit == Decimal("50000.00")


def test_an_unknown_tier_is_not_found_and_the_same_tier_is_a_tier_code_error(members):
    operator = factories.operator()
    body = gql(operator, CHANGE_TIER, {"id": str(members["alpha"].pk), "tier": "platinum"})
    assert [(e["field"], e["code"]) for e in body["data"]["memberChangeTier"]["errors"]] == [("tierCode", "not_found")]
    body = gql(operator, CHANGE_TIER, {"id": str(members["alpha"].pk), "tier": "gold"})
    assert [(e["field"], e["code"]) for e in body["data"]["memberChangeTier"]["errors"]] == [("tierCode", "invalid")]
