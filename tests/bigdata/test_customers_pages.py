"""The customers area's pages, exports and GraphQL queries: the numbers the reports compute, shown
to operators; a salesperson sees only their own customers; distributors, supplier staff and
visitors are refused; bad input is refused with a message and no report runs; a company handed
to another salesperson counts its cycle from the hand-over."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from core.orders import payments
from plugins.bigdata import facts
from plugins.bigdata.backends.base import Filters, Period
from plugins.bigdata.customers import measures, reports
from plugins.bigdata.services.facts import write
from tests import factories
from tests.bigdata.test_customers_reference import PERIOD, add_companies, new_world, staff

pytestmark = pytest.mark.django_db
FUNNEL, CYCLE, VALUE = (
    reverse("bigdata-dashboard:customers-funnel"),
    reverse("bigdata-dashboard:customers-cycle"),
    reverse("bigdata-dashboard:customers-value"),
)
YEAR = {"start": "2025-01-01", "end": "2025-12-31"}
Company = get_model("companies", "Company")


@pytest.fixture
def world():
    made = new_world()
    add_companies(made, 24, seed=3)
    return made


def client_of(user, *, english: bool = True) -> Client:
    client = Client()
    client.force_login(user)
    if english:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def table_rows(response, name: str) -> list[list[str]]:
    """The cells of a report table as exported to CSV (numbers as the file has them)."""
    asked = QueryDict(response.request.get("QUERY_STRING", "")).dict()
    exported = response.client.get(response.request["PATH_INFO"], {**asked, "export": "csv", "table": name})
    assert exported.status_code == 200
    text = exported.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def gql(user, query: str, variables: dict | None = None) -> dict:
    response = client_of(user).post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


def test_an_operator_sees_the_funnel_cycle_and_value_pages_with_the_reports_numbers(world):
    operator = factories.operator()
    client = client_of(operator)
    total, cohorts = reports.funnel(Filters(period=PERIOD))

    page = client.get(FUNNEL, YEAR)
    assert page.status_code == 200
    assert b'id="chart-funnel"' in page.content and b'id="table-cohorts"' in page.content
    stages = table_rows(page, "funnel")
    assert [int(r[1]) for r in stages] == [s.companies for s in total.stages]
    assert [r[0] for r in stages] == [
        "Registered",
        "Verified",
        "First basket",
        "First order",
        "First payment",
        "Repeat order",
    ]
    assert [r[0] for r in table_rows(page, "cohorts")] == [f"{c.month:%Y-%m}" for c in cohorts]

    page = client.get(CYCLE, {**YEAR, "basis": "assignment"})
    cycle = reports.sales_cycle(Filters(period=PERIOD), measures.ASSIGNMENT)
    rows = table_rows(page, "cycle")
    assert rows[0][:2] == ["All salespeople together", str(cycle.total.companies)]
    assert Decimal(rows[0][2]) == cycle.total.median_days

    page = client.get(VALUE, YEAR)
    rfm = reports.rfm(Filters(period=PERIOD))
    segments = table_rows(page, "rfm_segments")
    assert [r[0] for r in segments] == [str(label) for _c, label, *_l in measures.SEGMENTS]
    assert [int(r[4]) for r in segments] == [s.companies for s in rfm.segments]
    # money in yuan in the file, to the fen
    assert [Decimal(r[6]) for r in segments] == [Decimal(s.revenue) / 100 for s in rfm.segments]
    assert len(table_rows(page, "rfm_companies")) == len(rfm.companies)
    assert b'id="chart-rfm"' in page.content and b'id="table-grades"' in page.content
    xlsx = client.get(VALUE, {**YEAR, "export": "xlsx", "table": "rfm_segments"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_pages_speak_chinese(world):
    page = client_of(factories.operator(), english=False).get(VALUE, YEAR)
    text = page.content.decode()
    for label in ("重要价值客户", "重要发展客户", "重要保持客户", "重要挽留客户", "一般挽留客户", "价值等级"):
        assert label in text


def test_a_salesperson_sees_only_their_own_customers(world):
    wang, li = world.salespeople
    own = Filters(period=PERIOD, salesperson_ids=(wang.pk,))
    everyone = Filters(period=PERIOD)
    client = client_of(wang)
    # asking for a colleague's numbers shows one's own
    page = client.get(FUNNEL, {**YEAR, "salesperson": li.pk})
    assert page.status_code == 200
    registered = int(table_rows(page, "funnel")[0][1])
    assert registered == reports.funnel(own)[0].registered < reports.funnel(everyone)[0].registered

    page = client.get(VALUE, YEAR)
    names = {r[0] for r in table_rows(page, "rfm_companies")}
    mine = {s.company.name for s in reports.rfm(own).companies}
    others = {s.company.name for s in reports.rfm(Filters(period=PERIOD, salesperson_ids=(li.pk,))).companies}
    assert names == mine and others - mine and not names & (others - mine)
    grades = table_rows(page, "grades")
    assert sum(int(r[1]) for r in grades) == sum(g.companies for g in reports.value_grades(own))

    data = gql(
        wang,
        "query ($f: AnalyticsFiltersInput) { analyticsFunnel(filters: $f) { total { registered } } "
        "analyticsRfm(filters: $f, first: 1000) { companies { name } } }",
        {"f": {**YEAR, "salespersonId": str(li.pk)}},
    )
    assert data["data"]["analyticsFunnel"]["total"]["registered"] == registered
    assert {c["name"] for c in data["data"]["analyticsRfm"]["companies"]} == mine


def test_distributors_suppliers_and_visitors_are_refused(world):
    buyer = factories.distributor("buyer")
    supplier = factories.supplier_staff(factories.supplier("jg", "精工五金"), "jgstaff")
    for url in (FUNNEL, CYCLE, VALUE):
        assert client_of(buyer).get(url, YEAR).status_code == 403
        assert client_of(supplier).get(url, YEAR).status_code == 403
        assert client_of(buyer).get(url, {**YEAR, "export": "csv", "table": "funnel"}).status_code == 403
        response = Client().get(url, YEAR)
        assert response.status_code == 302 and "login" in response["Location"]
    for user in (buyer, supplier):
        for field in ("analyticsFunnel { total { registered } }", "analyticsValueGrades { available }"):
            errors = gql(user, "{ " + field + " }")["errors"]
            assert errors[0]["extensions"]["code"] == "forbidden"


def test_bad_filter_input_is_refused_with_a_message_and_no_report(world):
    client = client_of(factories.operator())
    page = client.get(FUNNEL, {"start": "2025-13-01", "end": "2025-12-31"})
    assert page.status_code == 200 and b'id="analytics-filter-errors"' in page.content
    assert b'id="table-funnel"' not in page.content
    page = client.get(VALUE, {"start": "2025-06-01", "end": "2025-01-01"})
    assert "The end date is before the start date." in page.content.decode()
    assert b'id="table-rfm_segments"' not in page.content
    page = client.get(CYCLE, {**YEAR, "basis": "yesterday"})
    assert "Choose the start of the cycle from the list." in page.content.decode()
    assert b'id="table-cycle"' not in page.content
    assert client.get(CYCLE, {**YEAR, "basis": "yesterday", "export": "csv", "table": "cycle"}).status_code == 404
    assert client.get(VALUE, {**YEAR, "export": "csv", "table": "nothing"}).status_code == 404

    operator = factories.operator("op2")
    errors = gql(operator, '{ analyticsSalesCycle(basis: "yesterday") { basis } }')["errors"]
    assert errors[0]["extensions"]["field"] == "basis"
    assert errors[0]["message"] == "Choose the start of the cycle from the list."
    errors = gql(operator, '{ analyticsRfm(filters: {start: "2025-06-01", end: "2025-01-01"}) { withPayments } }')
    assert errors["errors"][0]["extensions"]["field"] == "filters.end"
    errors = gql(operator, "{ analyticsRfm(first: 5000) { withPayments } }")["errors"]
    assert errors[0]["extensions"]["field"] == "first"


def test_graphql_returns_the_numbers_of_the_pages(world):
    operator = factories.operator()
    data = gql(
        operator,
        """query ($f: AnalyticsFiltersInput) {
          analyticsFunnel(filters: $f) { total { registered stages { code companies conversion medianDays } }
                                            cohorts { month registered } }
          analyticsSalesCycle(filters: $f, basis: "registration") {
            total { companies medianDays buckets { low high companies } } salespeople { salespersonId companies }
            withoutStart }
          analyticsRfm(filters: $f, first: 3) { medianMonetary withPayments
            segments { code companies revenue orders medianDaysToPay overdueShare } companies { companyId monetary } }
          analyticsValueGrades(filters: $f) { available grades { grade companies } }
        }""",
        {"f": YEAR},
    )
    assert "errors" not in data, data
    data = data["data"]
    total, cohorts = reports.funnel(Filters(period=PERIOD))
    assert [(s["code"], s["companies"]) for s in data["analyticsFunnel"]["total"]["stages"]] == [
        (s.code, s.companies) for s in total.stages
    ]
    assert [c["month"] for c in data["analyticsFunnel"]["cohorts"]] == [c.month.isoformat() for c in cohorts]
    cycle = reports.sales_cycle(Filters(period=PERIOD), measures.REGISTRATION)
    assert data["analyticsSalesCycle"]["total"]["companies"] == cycle.total.companies
    assert [b["companies"] for b in data["analyticsSalesCycle"]["total"]["buckets"]] == list(cycle.total.buckets)
    rfm = reports.rfm(Filters(period=PERIOD))
    assert [(s["code"], s["companies"], s["revenue"]) for s in data["analyticsRfm"]["segments"]] == [
        (s.code, s.companies, s.revenue) for s in rfm.segments
    ]
    top = sorted(rfm.companies, key=lambda s: (-s.company.monetary, s.company.company_id))[:3]
    assert [c["monetary"] for c in data["analyticsRfm"]["companies"]] == [s.company.monetary for s in top]
    assert data["analyticsValueGrades"]["available"] is True
    assert [g["companies"] for g in data["analyticsValueGrades"]["grades"]] == [
        g.companies for g in reports.value_grades(Filters(period=PERIOD))
    ]


def test_a_company_handed_to_another_salesperson_counts_its_cycle_from_the_hand_over():
    """Registered 1 March, assigned to 王 on 5 March, handed to 李 on 1 April, first paid order
    (credited to 李) on 11 April: 41 days from registration, 10 from the assignment, under 李."""
    from plugins.member_tiers.models import SalespersonChange, Tier
    from plugins.member_tiers.services.members import assign_salesperson, membership_of_company

    Tier.objects.get_or_create(code="regular", defaults={"name": "普通会员", "rank": 1})
    wang, li = staff("wang"), staff("li")
    user = factories.person("solo", with_address=False)
    company = factories.company_of_one(user)
    registered = datetime(2025, 3, 1, 2, tzinfo=UTC)
    Company.objects.filter(pk=company.pk).update(created_at=registered, applied_at=registered)
    membership = membership_of_company(company)
    assign_salesperson([membership], wang, reason="新客户")
    SalespersonChange.objects.filter(to_user=wang).update(created_at=datetime(2025, 3, 5, 2, tzinfo=UTC))
    assign_salesperson([membership], li, reason="转交")
    SalespersonChange.objects.filter(to_user=li).update(created_at=datetime(2025, 4, 1, 2, tzinfo=UTC))
    order = factories.history_order(user, "SOLO1", "100.00", datetime(2025, 4, 11, 1, tzinfo=UTC))
    secured = datetime(2025, 4, 11, 2, tzinfo=UTC)
    get_model("order", "PaymentEvent").objects.filter(order=order, event_type__code=payments.SECURED).update(
        date_created=secured
    )
    dims = facts.Dimensions(
        order_id=order.pk, order_number=order.number, company_id=company.pk, salesperson_id=li.pk, salesperson_name="李"
    )
    line = facts.LineSource(line_id=1, quantity=1, revenue=10000)
    write(facts.order_facts(facts.OrderHistory(dims=dims, lines=(line,), secured_at=secured)))

    april = Filters(period=Period(date(2025, 4, 1), date(2025, 4, 30)))
    by_registration = reports.sales_cycle(april, measures.REGISTRATION)
    by_assignment = reports.sales_cycle(april, measures.ASSIGNMENT)
    assert by_registration.total.median_days == Decimal("41.0")
    assert by_assignment.total.median_days == Decimal("10.0")
    assert [(g.key, g.name, g.companies) for g in by_assignment.salespeople] == [(str(li.pk), "李", 1)]
    assert by_assignment.total.buckets[measures.bucket_of(10)] == 1
    # the first paid order falls in April: nothing in March
    march = Filters(period=Period(date(2025, 3, 1), date(2025, 3, 31)))
    assert reports.sales_cycle(march, measures.REGISTRATION).total.companies == 0
    # the funnel: registered → … → first payment, no repeat order
    total, _cohorts = reports.funnel(Filters(period=Period(date(2025, 3, 1), date(2025, 3, 31))))
    assert [s.companies for s in total.stages] == [1, 1, 0, 0, 0, 0]  # verified, no basket: stops there
