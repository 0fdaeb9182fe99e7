"""``analyticsProvinces`` / ``analyticsCities``: the numbers of the regional distribution page (money
in fen and in yuan, same rank order), scoped like the page; bad arguments are refused by name."""

import json

import pytest
from django.test import Client

from tests import factories
from tests.bigdata.test_regions_page import salesperson, write_sales

pytestmark = pytest.mark.django_db

FIELDS = "rank code name mapName revenueFen revenue share orders companies averageOrderValueFen averageOrderValue"
PROVINCES = (
    f"query($f: AnalyticsFiltersInput, $m: String) {{ analyticsProvinces(filters: $f, metric: $m) {{ {FIELDS} }} }}"
)
CITIES = f"""query($f: AnalyticsFiltersInput, $p: String!) {{
  analyticsCities(filters: $f, provinceCode: $p) {{ {FIELDS} }} }}"""


@pytest.fixture
def sales_a(db):
    return salesperson()


@pytest.fixture
def sold(sales_a):
    """The page tests' sales (see ``write_sales``)."""
    write_sales(sales_a.pk)


def gql(user, query, variables=None) -> dict:
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return json.loads(response.content)


def test_provinces_as_on_the_page_in_fen_and_yuan(sold):
    rows = gql(factories.operator(), PROVINCES)["data"]["analyticsProvinces"]
    assert [(r["rank"], r["code"], r["mapName"]) for r in rows] == [
        (1, "330000", "浙江"),
        (2, "440000", "广东"),
        (3, "", ""),
    ]
    guangdong = rows[1]
    assert guangdong == {
        "rank": 2,
        "code": "440000",
        "name": "广东省",
        "mapName": "广东",
        "revenueFen": 130000,
        "revenue": "1300.00",
        "share": "38.8",
        "orders": 2,
        "companies": 2,
        "averageOrderValueFen": 65000,
        "averageOrderValue": "650.00",
    }
    by_orders = gql(factories.operator("op2"), PROVINCES, {"m": "orders"})["data"]["analyticsProvinces"]
    assert by_orders[0]["code"] == "440000"


def test_cities_of_a_province(sold):
    rows = gql(factories.operator(), CITIES, {"p": "440000"})["data"]["analyticsCities"]
    assert [(r["code"], r["revenueFen"], r["orders"], r["averageOrderValue"]) for r in rows] == [
        ("深圳市", 130000, 2, "650.00"),
        ("广州市", 0, 0, None),
    ]


def test_a_salesperson_gets_only_their_own_whatever_they_ask(sold, sales_a):
    other = factories.operator()
    rows = gql(sales_a, PROVINCES, {"f": {"salespersonId": str(other.pk)}})["data"]["analyticsProvinces"]
    assert [(r["code"], r["revenueFen"], r["orders"]) for r in rows] == [("440000", 100000, 1)]
    cities = gql(sales_a, CITIES, {"p": "330000"})["data"]["analyticsCities"]
    assert cities == []


def test_bad_arguments_and_other_parties_are_refused(sold):
    op = factories.operator()
    bad = gql(op, CITIES, {"p": "999999"})
    assert bad["data"] is None and bad["errors"][0]["extensions"]["field"] == "provinceCode"
    metric = gql(op, PROVINCES, {"m": "profit"})
    assert metric["errors"][0]["extensions"]["field"] == "metric"
    period = gql(op, PROVINCES, {"f": {"start": "2026-05-01", "end": "2026-04-01"}})
    assert period["errors"][0]["extensions"]["field"] == "filters.end"
    denied = gql(factories.distributor("d1"), PROVINCES)
    assert denied["data"] is None and denied["errors"][0]["extensions"]["code"] == "forbidden"
    assert gql(None, PROVINCES)["errors"][0]["extensions"]["code"] == "unauthenticated"
