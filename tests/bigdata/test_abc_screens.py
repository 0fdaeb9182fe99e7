"""The ABC pages and GraphQL as operators, salespeople and everyone else use them: a salesperson sees
only the sales credited to them (pages, exports, GraphQL) and no stored run; distributors and
suppliers are refused; bad options are refused with the reason and store nothing."""

import json
from datetime import date

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from plugins.bigdata.abc import services
from plugins.bigdata.abc.models import AbcRun, ProductClass
from tests import factories
from tests.bigdata.test_abc_runs import sell
from tests.s2b2b_orders.conftest import make_supplier

pytestmark = pytest.mark.django_db
User = get_user_model()
PERIOD = {"start": "2026-01-01", "end": "2026-02-28"}


class World:
    def __init__(self):
        self.sup = factories.supplier("abc", "测试供应商")
        self.p = {k: factories.product(f"ABC-{k}", f"商品{k}", partner=self.sup) for k in range(1, 5)}
        self.op = factories.operator("op")
        self.wang = User.objects.create_user(username="wang", password="x", is_staff=True)
        self.li = User.objects.create_user(username="li", password="x", is_staff=True)
        self.distributor = factories.distributor("beta")
        self.supplier_staff = factories.supplier_staff(make_supplier("df", "宁波东方电气设备有限公司"), "dfstaff")
        day = date(2026, 1, 20)
        sell(self.p[1], 800, day, supplier_id=self.sup.pk, salesperson_id=self.wang.pk)
        sell(self.p[2], 200, day, supplier_id=self.sup.pk, salesperson_id=self.li.pk, quantity=3)
        sell(self.p[3], 100, day, supplier_id=self.sup.pk, salesperson_id=self.li.pk)
        # product 4 is never sold


@pytest.fixture
def world():
    return World()


def client(user) -> Client:
    c = Client()
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    if user is not None:
        c.force_login(user)
    return c


def gql(user, query, variables=None):
    response = client(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    assert response.status_code == 200
    return response.json()


ABC = reverse("bigdata-dashboard:abc")


def test_an_operator_sees_the_pareto_chart_the_classes_and_can_save_the_run(world):
    page = client(world.op).get(ABC, PERIOD)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="chart-pareto"' in html and 'id="table-classes"' in html and 'id="table-products"' in html
    option = json.loads(html.split('id="chart-option-pareto" type="application/json">')[1].split("</script>")[0])
    assert option["series"][0]["data"][0]["value"] == 800.0
    assert option["series"][1]["data"] == [72.7, 90.9, 100.0]  # cumulative share after each product
    products = page.context["tables"][1]
    assert [(r[1], r[3], r[5]) for r in products.rows] == [
        ("ABC-1", 80000, "A"),
        ("ABC-2", 20000, "A"),  # 800 of 1,100 before it: 72.7 %
        ("ABC-3", 10000, "B"),  # 90.9 %
        ("ABC-4", 0, "N"),  # never sold, listed because nothing but the period is filtered
    ]
    assert 'id="abc-save-run"' in html
    # saving it stores exactly this
    response = client(world.op).post(
        reverse("bigdata-dashboard:abc-run-create"),
        {**PERIOD, "measure": "revenue", "cutoff_a": "70", "cutoff_b": "90"},
    )
    run = AbcRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("bigdata-dashboard:abc-run", args=[run.pk])
    assert (run.cutoff_a, run.cutoff_b) == (70, 90) and run.created_by == world.op
    grades = dict(run.items.values_list("sku", "grade"))
    assert grades == {"ABC-1": "A", "ABC-2": "B", "ABC-3": "C", "ABC-4": "N"}
    detail = client(world.op).get(response["Location"])
    assert detail.status_code == 200 and "ABC-3" in detail.content.decode()
    export = client(world.op).get(response["Location"], {"export": "csv", "table": "products"})
    assert export.status_code == 200 and "ABC-1" in export.content.decode("utf-8-sig")
    listing = client(world.op).get(reverse("bigdata-dashboard:abc-runs")).content.decode()
    assert f'data-run="{run.pk}"' in listing


def test_per_supplier_scope_and_quantity_measure(world):
    page = client(world.op).get(ABC, {**PERIOD, "scope": "supplier", "measure": "quantity"})
    rows = page.context["tables"][1].rows
    assert [(r[0], r[2], r[4], r[6]) for r in rows] == [
        ("测试供应商", "ABC-2", 3, "A"),
        ("测试供应商", "ABC-1", 1, "A"),  # 3 of 5 before it
        ("测试供应商", "ABC-3", 1, "B"),  # 4 of 5: not below 80 %
    ]
    assert 'id="chart-groups"' in page.content.decode()


def test_a_salesperson_sees_only_their_own_sales_on_pages_and_exports(world):
    li = client(world.li)
    for params in (PERIOD, {**PERIOD, "salesperson": world.wang.pk}):
        page = li.get(ABC, params)
        assert page.status_code == 200
        html = page.content.decode()
        assert "ABC-2" in html and "ABC-3" in html and "ABC-1" not in html and "ABC-4" not in html
        assert 'id="analytics-scope"' in html and 'id="abc-save-run"' not in html
    for table in ("products", "classes"):
        for fmt in ("csv", "xlsx"):
            export = li.get(ABC, {**PERIOD, "salesperson": world.wang.pk, "export": fmt, "table": table})
            assert export.status_code == 200
            if fmt == "csv":
                text = export.content.decode("utf-8-sig")
                assert "ABC-1" not in text and "800.00" not in text
                if table == "products":
                    assert "ABC-2" in text
                else:
                    assert "300.00" in text  # li's total: 200 + 100
    xyz = li.get(reverse("bigdata-dashboard:abc-xyz"), PERIOD)
    assert xyz.status_code == 200 and "ABC-1" not in xyz.content.decode()
    # stored runs are computed over every sale: the operators' only; li cannot store one either
    run = services.scheduled_run(today=date(2026, 3, 1))
    for url in (
        reverse("bigdata-dashboard:abc-runs"),
        reverse("bigdata-dashboard:abc-run", args=[run.pk]),
        reverse("bigdata-dashboard:abc-compare") + f"?base={run.pk}&other={run.pk}",
        reverse("bigdata-dashboard:abc-classes"),
    ):
        assert li.get(url).status_code == 403, url
    assert li.post(reverse("bigdata-dashboard:abc-run-create"), PERIOD).status_code == 403
    assert AbcRun.objects.count() == 1


def test_distributors_suppliers_and_anonymous_are_refused(world):
    urls = [ABC, reverse("bigdata-dashboard:abc-xyz"), reverse("bigdata-dashboard:abc-runs")]
    for user in (world.distributor, world.supplier_staff):
        for url in urls:
            page = client(user).get(url, PERIOD)
            assert page.status_code == 403 and "ABC-1" not in page.content.decode()
        assert client(user).post(reverse("bigdata-dashboard:abc-run-create"), PERIOD).status_code == 403
    assert client(None).get(ABC).status_code == 302
    assert AbcRun.objects.count() == 0


QUERY = """query($f: AnalyticsFiltersInput, $m: String, $a: Decimal, $b: Decimal, $s: String) {
  analyticsAbc(filters: $f, measure: $m, cutoffA: $a, cutoffB: $b, scope: $s) { sku value grade cumulativeBefore xyz }
}"""


def test_graphql_abc_is_scoped_like_the_screens(world):
    f = {"start": "2026-01-01", "end": "2026-02-28"}
    body = gql(world.op, QUERY, {"f": f})
    assert [(r["sku"], r["value"], r["grade"]) for r in body["data"]["analyticsAbc"]] == [
        ("ABC-1", 80000, "A"),
        ("ABC-2", 20000, "A"),
        ("ABC-3", 10000, "B"),
        ("ABC-4", 0, "N"),
    ]
    body = gql(world.li, QUERY, {"f": {**f, "salespersonId": str(world.wang.pk)}})
    assert [(r["sku"], r["value"], r["grade"]) for r in body["data"]["analyticsAbc"]] == [
        ("ABC-2", 20000, "A"),
        ("ABC-3", 10000, "A"),  # 200 of 300 before it: li's own sales only
    ]
    for user in (world.distributor, world.supplier_staff):
        body = gql(user, QUERY, {"f": f})
        assert body["data"] is None and body["errors"][0]["extensions"]["code"] == "forbidden"
    assert gql(None, QUERY)["errors"][0]["extensions"]["code"] == "unauthenticated"
    # runs: operators only
    run = services.scheduled_run(today=date(2026, 3, 1))
    runs = (
        "{ analyticsAbcRuns { totalCount items { id scheduled items(first: 2) { totalCount items { sku grade } } } } }"
    )
    body = gql(world.op, runs)
    assert body["data"]["analyticsAbcRuns"]["totalCount"] == 1
    first = body["data"]["analyticsAbcRuns"]["items"][0]
    assert first["scheduled"] and first["items"]["totalCount"] == 4
    assert first["items"]["items"] == [{"sku": "ABC-1", "grade": "A"}, {"sku": "ABC-2", "grade": "A"}]
    one = gql(world.op, "query($id: ID!) { analyticsAbcRun(id: $id) { measure cutoffA } }", {"id": str(run.pk)})
    assert one["data"]["analyticsAbcRun"] == {"measure": "revenue", "cutoffA": "80.00"}
    for user in (world.li, world.distributor):
        body = gql(user, runs)
        assert body["errors"][0]["extensions"]["code"] == "forbidden"
        body = gql(user, "query($id: ID!) { analyticsAbcRun(id: $id) { measure } }", {"id": str(run.pk)})
        assert body["errors"][0]["extensions"]["code"] == "forbidden"


BAD = [
    ({"cutoff_a": "90", "cutoff_b": "80"}, "The B cut-off may not be below the A cut-off.", "cutoffB"),
    ({"cutoff_a": "120"}, "A cut-off is a percentage above 0 and at most 100.", "cutoffA"),
    ({"cutoff_b": "-5"}, "A cut-off is a percentage above 0 and at most 100.", "cutoffB"),
    ({"measure": "price"}, "Select a valid choice. price is not one of the available choices.", "measure"),
    ({"xyz_x": "2", "xyz_y": "1"}, "The Y cut-off may not be below the X cut-off.", "xyzY"),
]


@pytest.mark.parametrize("given,message,field", BAD, ids=[b[2] + "-" + b[1][:12] for b in BAD])
def test_bad_options_are_refused_with_the_reason_and_store_nothing(world, given, message, field):
    op = client(world.op)
    page = op.get(ABC, {**PERIOD, **given})
    html = page.content.decode()
    assert 'id="abc-option-errors"' in html and message in html
    assert 'id="table-products"' not in html and "ABC-1" not in html
    response = op.post(reverse("bigdata-dashboard:abc-run-create"), {**PERIOD, **given}, follow=True)
    assert message in response.content.decode()
    assert AbcRun.objects.count() == 0
    arguments = {
        "cutoff_a": "a",
        "cutoff_b": "b",
        "measure": "m",
        "scope": "s",
    }
    variables = {"f": {"start": "2026-01-01", "end": "2026-02-28"}}
    if all(k in arguments for k in given):
        variables.update({arguments[k]: v for k, v in given.items()})
        body = gql(world.op, QUERY, variables)
        assert body["errors"][0]["message"] == message and body["errors"][0]["extensions"]["field"] == field


def test_the_comparison_page_counts_each_transition(world):
    op = client(world.op)
    first = services.scheduled_run(today=date(2026, 3, 1))
    sell(world.p[4], 5000, date(2026, 3, 1), supplier_id=world.sup.pk)
    second = services.scheduled_run(today=date(2026, 3, 2))
    page = op.get(reverse("bigdata-dashboard:abc-compare"), {"base": first.pk, "other": second.pk})
    assert page.status_code == 200
    movements, transitions, changes = page.context["tables"]
    # 800 A, 200 A, 100 B, never sold N → 5,000 A, 800 B (82 %), 200 C (95.1 %), 100 C
    assert dict(movements.rows) == {"up": 1, "down": 3, "new": 0, "gone": 0, "unchanged": 0}
    assert sorted(map(tuple, transitions.rows)) == [("A", "B", 1), ("A", "C", 1), ("B", "C", 1), ("N", "A", 1)]
    assert [(r[0], r[2], r[4], r[5]) for r in changes.rows] == [
        ("up", "ABC-4", "N", "A"),
        ("down", "ABC-1", "A", "B"),
        ("down", "ABC-2", "A", "C"),
        ("down", "ABC-3", "B", "C"),
    ]
    export = op.get(
        reverse("bigdata-dashboard:abc-compare"),
        {"base": first.pk, "other": second.pk, "export": "csv", "table": "changes"},
    )
    assert "ABC-4" in export.content.decode("utf-8-sig")
    for query, message in (
        ({}, "Choose two runs to compare."),
        ({"base": first.pk, "other": first.pk}, "Choose two different runs."),
        ({"base": first.pk, "other": 999999}, "There is no such run."),
        ({"base": "x", "other": first.pk}, "A run is chosen by its number."),
    ):
        page = op.get(reverse("bigdata-dashboard:abc-compare"), query)
        assert page.status_code == 400 and message in page.content.decode()


def test_products_are_filtered_by_their_latest_class(world):
    op = client(world.op)
    services.scheduled_run(today=date(2026, 3, 1))
    assert ProductClass.objects.count() == 4
    page = op.get(reverse("bigdata-dashboard:abc-classes"), {"grade": "N"})
    html = page.content.decode()
    assert f'data-product="{world.p[4].pk}"' in html and f'data-product="{world.p[1].pk}"' not in html
    assert reverse("dashboard:catalogue-product", args=[world.p[4].pk]) in html
    page = op.get(reverse("bigdata-dashboard:abc-classes"), {"grade": "A", "q": "ABC"})
    assert [r.product_id for r, _shown in page.context["rows"]] == [world.p[1].pk, world.p[2].pk]
    export = op.get(reverse("bigdata-dashboard:abc-classes"), {"grade": "B", "export": "csv", "table": "classes"})
    text = export.content.decode("utf-8-sig")
    assert "ABC-3" in text and "ABC-1" not in text
    page = op.get(reverse("bigdata-dashboard:abc-classes"), {"grade": "Q"})
    assert "Unknown class: showing every product." in page.content.decode()
