"""Who sees which performance numbers: an operator sees every salesperson's; a salesperson only
their own — on the page, in its exports and through GraphQL, whatever they ask for; distributors
and suppliers get none. GraphQL answers the page's numbers."""

import json
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from plugins.bigdata.performance.models import SalesTarget
from plugins.member_tiers.services.members import membership_for
from tests import factories

pytestmark = pytest.mark.django_db
User = get_user_model()
PAGE = "bigdata-dashboard:performance"
TARGETS = "bigdata-dashboard:performance-targets"

PERFORMANCE_QUERY = """
query($f: AnalyticsFiltersInput, $d: String) {
  analyticsPerformance(filters: $f, dimension: $d, byMonth: true) {
    totals { revenue orders activeCompanies newCompanies }
    rows { key name revenue orders months { revenue } }
  }
}"""
TARGETS_QUERY = """
query($o: String) {
  analyticsTargets(owner: $o) { owner rows { ownerKey ownerName revenue revenueAchievement score rank } }
}"""


@pytest.fixture(autouse=True)
def english_pages(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(db, catalogue, django_capture_on_commit_callbacks):
    wang = User.objects.create_user("wang", "wang@example.cn", "pw", is_staff=True, first_name="王伟")
    li = User.objects.create_user("li", "li@example.cn", "pw", is_staff=True, first_name="李娜")
    alpha = factories.distributor("alpha")
    beta = factories.distributor("beta", province="四川省")
    for buyer, person in ((alpha, wang), (beta, li)):
        membership = membership_for(buyer)
        membership.salesperson = person
        membership.save()
    with django_capture_on_commit_callbacks(execute=True):
        factories.place_order(alpha, [(catalogue["bolt"], 10)], paid=True)  # 320.00 for wang
        factories.place_order(beta, [(catalogue["wire"], 1)], "四川省", paid=True)  # 218.00 for li
    month = timezone.localdate().replace(day=1)
    for person in (wang, li):
        SalesTarget.objects.create(
            owner_kind="salesperson", salesperson=person, level="month", period_start=month, revenue=Decimal("640.00")
        )
    SalesTarget.objects.create(
        owner_kind="region", province_code="510000", level="month", period_start=month, revenue=Decimal("100.00")
    )
    supplier = factories.supplier_staff(catalogue["suppliers"]["jg"], "jgstaff")
    return {
        "wang": wang,
        "li": li,
        "alpha": alpha,
        "supplier": supplier,
        "operator": factories.operator("op"),
    }


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def gql(user, query, variables=None) -> dict:
    response = client_of(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


def table(response, name: str):
    return next(t for t in response.context["tables"] if t.name == name)


def test_a_salesperson_sees_only_their_own_numbers_on_the_page_and_its_exports(world):
    client = client_of(world["wang"])
    for dimension in ("salesperson", "province", "supplier", "category", "tier"):
        # asking for a colleague's numbers shows one's own
        response = client.get(reverse(PAGE), {"dimension": dimension, "salesperson": world["li"].pk})
        assert response.status_code == 200
        text = response.content.decode()
        assert "李娜" not in text and "218.00" not in text
        [totals] = table(response, "totals").rows
        assert totals[:2] == [32000, 1]
        assert sum(r[2] for r in table(response, "leaderboard").rows) == 32000
    response = client.get(reverse(PAGE), {"export": "csv", "table": "leaderboard"})
    body = response.content.decode("utf-8-sig")
    assert response.status_code == 200 and "王伟" in body and "李娜" not in body and "320.00" in body
    response = client.get(reverse(PAGE), {"export": "xlsx", "table": "leaderboard", "dimension": "province"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")

    targets = client.get(reverse(TARGETS), {"owner": "region"})
    assert targets.status_code == 200
    [mine] = table(targets, "targets").rows
    assert mine[2] == "王伟" and mine[1] is None  # own row, no rank
    assert mine[3:6] == [64000, 32000, Decimal("50.0")]
    export = client.get(reverse(TARGETS), {"export": "csv", "table": "targets", "owner": "region"})
    assert "李娜" not in export.content.decode("utf-8-sig") and "四川" not in export.content.decode("utf-8-sig")


def test_an_operator_sees_everyone_and_graphql_answers_the_pages_numbers(world):
    client = client_of(world["operator"])
    response = client.get(reverse(PAGE))
    rows = {r[1]: r for r in table(response, "leaderboard").rows}
    assert {name: r[2] for name, r in rows.items()} == {"王伟": 32000, "李娜": 21800}
    assert [r[0] for r in sorted(rows.values(), key=lambda r: r[0])] == [1, 2]

    body = gql(world["operator"], PERFORMANCE_QUERY, {"d": "salesperson"})
    assert "errors" not in body, body
    answer = body["data"]["analyticsPerformance"]
    assert {r["name"]: Decimal(r["revenue"]) for r in answer["rows"]} == {
        "王伟": Decimal("320"),
        "李娜": Decimal("218"),
    }
    [totals] = table(response, "totals").rows
    assert (Decimal(answer["totals"]["revenue"]) * 100, answer["totals"]["orders"]) == (totals[0], totals[1])
    assert answer["totals"]["activeCompanies"] == totals[3] == 2 and answer["totals"]["newCompanies"] == 2
    assert all(sum(Decimal(m["revenue"]) for m in r["months"]) == Decimal(r["revenue"]) for r in answer["rows"])

    page = client.get(reverse(TARGETS))
    page_rows = {r[2]: r for r in table(page, "targets").rows}
    body = gql(world["operator"], TARGETS_QUERY, {"o": "salesperson"})
    api = {r["ownerName"]: r for r in body["data"]["analyticsTargets"]["rows"]}
    assert set(api) == set(page_rows) == {"王伟", "李娜"}
    for name, r in api.items():
        assert Decimal(r["revenueAchievement"]) == page_rows[name][5] and Decimal(r["score"]) == page_rows[name][12]
        assert r["rank"] == page_rows[name][1]
    region = gql(world["operator"], TARGETS_QUERY, {"o": "region"})["data"]["analyticsTargets"]
    assert [(r["ownerKey"], Decimal(r["revenueAchievement"])) for r in region["rows"]] == [("510000", Decimal("218.0"))]


def test_graphql_scopes_a_salesperson_to_their_own_rows(world):
    li = world["li"]
    body = gql(world["wang"], PERFORMANCE_QUERY, {"f": {"salespersonId": str(li.pk)}, "d": "salesperson"})
    answer = body["data"]["analyticsPerformance"]
    assert [(r["key"], Decimal(r["revenue"])) for r in answer["rows"]] == [(str(world["wang"].pk), Decimal("320"))]
    assert Decimal(answer["totals"]["revenue"]) == Decimal("320")
    targets = gql(world["wang"], TARGETS_QUERY, {"o": "region"})["data"]["analyticsTargets"]
    assert targets["owner"] == "salesperson"
    assert [(r["ownerName"], r["rank"]) for r in targets["rows"]] == [("王伟", None)]


def test_distributors_and_suppliers_see_no_performance(world):
    for who in ("alpha", "supplier"):
        client = client_of(world[who])
        for name in (
            PAGE,
            TARGETS,
            "bigdata-dashboard:performance-target-editor",
            "bigdata-dashboard:performance-weights",
        ):
            response = client.get(reverse(name))
            assert response.status_code == 403, (who, name)
            assert "王伟" not in response.content.decode()
        for query in (PERFORMANCE_QUERY, TARGETS_QUERY):
            body = gql(world[who], query)
            assert body["data"] is None and [e["extensions"]["code"] for e in body["errors"]] == ["forbidden"], body


def test_bad_arguments_are_refused_by_name(world):
    body = gql(world["operator"], PERFORMANCE_QUERY, {"d": "colour"})
    assert body["errors"][0]["extensions"] == {"field": "dimension", "code": "invalid_choice"}
    body = gql(world["operator"], PERFORMANCE_QUERY, {"f": {"start": "2026-05-01", "end": "2026-01-01"}})
    assert body["errors"][0]["extensions"]["field"] == "filters.end"
    body = gql(world["operator"], '{ analyticsTargets(level: "week") { owner } }')
    assert body["errors"][0]["extensions"] == {"field": "level", "code": "invalid_choice"}
