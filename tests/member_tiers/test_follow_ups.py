"""Follow-ups (跟进记录): validation, scoping to the salesperson's own customers, the due list on the
salesperson's home, marking done, the counts for analytics, the member page and GraphQL."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from plugins.member_tiers import selectors
from plugins.member_tiers.models import FollowUp, Membership
from plugins.member_tiers.services import followups
from tests import factories

User = get_user_model()
pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def salesperson(key):
    return User.objects.create_user(username=key, email=f"{key}@example.cn", password="x", is_staff=True)


@pytest.fixture
def book(tiers):
    wang, li = salesperson("wang"), salesperson("li")
    a = factories.distributor("alpha")
    b = factories.distributor("beta")
    ma = Membership.objects.create(company=factories.company_of(a), tier=tiers["regular"], salesperson=wang)
    mb = Membership.objects.create(company=factories.company_of(b), tier=tiers["regular"], salesperson=li)
    return {"wang": wang, "li": li, "alpha": ma, "beta": mb, "op": factories.operator("op")}


def record(membership, by, **overrides):
    values = {
        "kind": "visit",
        "happened_at": timezone.now() - timedelta(hours=1),
        "note": "拜访采购经理，介绍新品",
        "outcome": "有意向",
        "next_step": "发报价单",
        "next_step_on": timezone.localdate() + timedelta(days=3),
    }
    values.update(overrides)
    return followups.record(membership=membership, by=by, **values)


def errors_of(membership, by, **overrides) -> dict:
    with pytest.raises(ValidationError) as exc:
        record(membership, by, **overrides)
    return {field: [e.code for e in errors] for field, errors in exc.value.error_dict.items()}


def test_validation_names_each_field_and_saves_nothing(book):
    wang, alpha = book["wang"], book["alpha"]
    assert errors_of(alpha, wang, note="  ") == {"note": ["required"]}
    assert errors_of(alpha, wang, happened_at=timezone.now() + timedelta(hours=2)) == {"happened_at": ["future"]}
    assert errors_of(alpha, wang, next_step_on=timezone.localdate() - timedelta(days=1)) == {"next_step_on": ["past"]}
    assert errors_of(alpha, wang, next_step_on=None) == {"next_step_on": ["required"]}
    assert errors_of(alpha, wang, kind="lunch") == {"kind": ["invalid"]}
    assert FollowUp.objects.count() == 0
    made = record(alpha, wang, next_step="", next_step_on=None, kind="call")
    assert made.salesperson == wang and made.company == alpha.company and made.kind == "call"
    assert record(alpha, wang, next_step_on=timezone.localdate()).next_step_on == timezone.localdate()


def test_a_salesperson_records_and_sees_only_their_own_customers(book):
    wang, li, alpha, beta = book["wang"], book["li"], book["alpha"], book["beta"]
    with pytest.raises(ValidationError) as exc:
        record(beta, wang)
    assert exc.value.code == "forbidden"
    with pytest.raises(ValidationError):
        record(alpha, factories.distributor("shop"))
    mine = record(alpha, wang)
    theirs = record(beta, li)
    operator_note = record(beta, book["op"])
    assert list(selectors.follow_ups_visible_to(wang)) == [mine]
    assert set(selectors.follow_ups_visible_to(li)) == {theirs, operator_note}
    assert set(selectors.follow_ups_visible_to(book["op"])) == {mine, theirs, operator_note}
    assert list(selectors.follow_ups_visible_to(factories.distributor("shop2"))) == []
    # ownership moves with the customer: once beta is wang's, li no longer sees its follow-ups
    Membership.objects.filter(pk=beta.pk).update(salesperson=wang)
    assert list(selectors.follow_ups_visible_to(li)) == []


def test_due_follow_ups_are_the_salespersons_own_until_done(book):
    wang, alpha = book["wang"], book["alpha"]
    today = timezone.localdate()
    due = record(alpha, wang, next_step_on=today)
    later = record(alpha, wang, next_step_on=today + timedelta(days=1))
    record(alpha, wang, next_step="", next_step_on=None)
    record(alpha, book["op"], next_step_on=today)  # the operator's, not wang's
    assert list(selectors.due_follow_ups(wang)) == [due]
    assert list(selectors.due_follow_ups(wang, today + timedelta(days=1))) == [due, later]
    followups.mark_done(follow_up_id=due.pk, by=wang)
    assert list(selectors.due_follow_ups(wang)) == []
    with pytest.raises(ValidationError) as exc:
        followups.mark_done(follow_up_id=due.pk, by=wang)
    assert exc.value.code == "done"
    with pytest.raises(ValidationError) as exc:
        followups.mark_done(follow_up_id=later.pk, by=book["li"])
    assert exc.value.code == "not_found"
    assert FollowUp.objects.get(pk=later.pk).done_at is None


def test_follow_up_counts_per_salesperson_and_month(book):
    wang, li, alpha, beta = book["wang"], book["li"], book["alpha"], book["beta"]
    at = [
        (wang, alpha, "visit", datetime(2026, 1, 31, 23, 30, tzinfo=SHANGHAI)),  # January in Shanghai
        (wang, alpha, "call", datetime(2026, 1, 5, 10, tzinfo=SHANGHAI)),
        (wang, alpha, "call", datetime(2026, 2, 1, 0, 30, tzinfo=SHANGHAI)),
        (li, beta, "visit", datetime(2026, 2, 3, 10, tzinfo=SHANGHAI)),
        (li, beta, "other", datetime(2026, 2, 4, 10, tzinfo=SHANGHAI)),
        (li, beta, "visit", datetime(2025, 12, 4, 10, tzinfo=SHANGHAI)),
    ]
    for who, membership, kind, when in at:
        FollowUp.objects.create(company=membership.company, salesperson=who, kind=kind, happened_at=when, note="x")
    since, until = datetime(2026, 1, 1, tzinfo=SHANGHAI), datetime(2026, 3, 1, tzinfo=SHANGHAI)
    rows = selectors.follow_up_counts(since=since, until=until)
    jan, feb = datetime(2026, 1, 1).date(), datetime(2026, 2, 1).date()
    assert rows == [  # by month, then salesperson (wang was created first)
        {"salesperson_id": wang.pk, "month": jan, "visits": 1, "calls": 1, "others": 0},
        {"salesperson_id": wang.pk, "month": feb, "visits": 0, "calls": 1, "others": 0},
        {"salesperson_id": li.pk, "month": feb, "visits": 1, "calls": 0, "others": 1},
    ]
    assert selectors.follow_up_counts(salesperson=li) == [
        {"salesperson_id": li.pk, "month": datetime(2025, 12, 1).date(), "visits": 1, "calls": 0, "others": 0},
        {"salesperson_id": li.pk, "month": feb, "visits": 1, "calls": 0, "others": 1},
    ]


# --- pages ----------------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_member_page_records_follow_ups_and_the_home_lists_the_due_ones(book):
    wang, alpha, beta = book["wang"], book["alpha"], book["beta"]
    client = client_for(wang)
    url = reverse("member_tiers:member-action", args=[alpha.pk, "follow-up"])
    now = timezone.localtime()
    good = {
        "kind": "call",
        "happened_at": (now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"),
        "note": "电话回访",
        "next_step": "寄样品",
        "next_step_on": now.date().isoformat(),
    }
    bad = client.post(url, {**good, "note": "", "next_step_on": (now.date() - timedelta(days=1)).isoformat()})
    assert bad.status_code == 400 and FollowUp.objects.count() == 0
    assert client.post(url, good).status_code == 302
    made = FollowUp.objects.get()
    assert (made.kind, made.salesperson, made.company) == ("call", wang, alpha.company)
    assert "电话回访" in client.get(reverse("member_tiers:member-detail", args=[alpha.pk])).content.decode()
    # another salesperson's customer: not found, nothing saved
    other = client.post(reverse("member_tiers:member-action", args=[beta.pk, "follow-up"]), good)
    assert other.status_code == 404 and FollowUp.objects.count() == 1
    # home: the due one, marked done from there
    home = client.get(reverse("member_tiers:member-list")).content.decode()
    assert 'id="due-follow-ups"' in home and "寄样品" in home
    done = client.post(
        reverse("member_tiers:member-action", args=[alpha.pk, "follow-up-done"]),
        {"follow_up": made.pk, "next": "list"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("member_tiers:member-list")
    assert FollowUp.objects.get().done_at is not None
    assert 'id="due-follow-ups"' not in client.get(reverse("member_tiers:member-list")).content.decode()
    # li cannot mark wang's done through a member of their own
    li_made = record(beta, book["li"])
    again = client_for(book["li"]).post(
        reverse("member_tiers:member-action", args=[beta.pk, "follow-up-done"]), {"follow_up": made.pk}
    )
    assert again.status_code == 404 and li_made.done_at is None


def test_the_member_list_filters_by_company_status_and_links_to_the_company_list(book):
    from companies.models import Company, CompanyStatus

    Company.objects.filter(pk=book["beta"].company_id).update(status=CompanyStatus.SUSPENDED, status_reason="x")
    client = client_for(book["op"])
    response = client.get(reverse("member_tiers:member-list"), {"status": "suspended"})
    assert [m.pk for m in response.context["members"]] == [book["beta"].pk]
    assert reverse("companies-dashboard:company-list") in response.content.decode()
    companies = client.get(reverse("companies-dashboard:company-list"), {"status": "suspended"}).content.decode()
    assert 'id="member-filters-link"' in companies and "status=suspended" in companies


# --- GraphQL ---------------------------------------------------------------------------------------


def gql(user, query, variables=None):
    client = client_for(user)
    response = client.post(
        "/graphql/", json.dumps({"query": query, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


RECORD = """mutation($c: ID!, $at: DateTime!, $note: String!, $on: Date) {
  recordFollowUp(companyId: $c, kind: "visit", happenedAt: $at, note: $note, nextStep: "报价", nextStepOn: $on) {
    followUp { id kind note nextStepOn salesperson } errors { field code } } }"""
LIST = "query($c: ID!) { followUps(companyId: $c) { id note salesperson } }"


def test_graphql_records_and_lists_follow_ups_scoped_like_the_member_pages(book):
    wang, alpha, beta = book["wang"], book["alpha"], book["beta"]
    at = (timezone.now() - timedelta(hours=1)).isoformat()
    on = timezone.localdate().isoformat()
    body = gql(wang, RECORD, {"c": str(alpha.company_id), "at": at, "note": "上门拜访", "on": on})
    assert body["data"]["recordFollowUp"]["errors"] == []
    assert body["data"]["recordFollowUp"]["followUp"]["salesperson"] == "wang@example.cn"
    listed = gql(wang, LIST, {"c": str(alpha.company_id)})
    assert [f["note"] for f in listed["data"]["followUps"]] == ["上门拜访"]
    # beta is li's customer: not found for wang, nothing recorded
    body = gql(wang, RECORD, {"c": str(beta.company_id), "at": at, "note": "x", "on": on})
    assert body["data"]["recordFollowUp"]["errors"] == [{"field": "companyId", "code": "not_found"}]
    assert gql(wang, LIST, {"c": str(beta.company_id)})["data"] is None
    # bad input on camel-case fields
    past = (timezone.localdate() - timedelta(days=2)).isoformat()
    body = gql(wang, RECORD, {"c": str(alpha.company_id), "at": at, "note": " ", "on": past})
    assert {(e["field"], e["code"]) for e in body["data"]["recordFollowUp"]["errors"]} == {
        ("note", "required"),
        ("nextStepOn", "past"),
    }
    assert FollowUp.objects.count() == 1
    assert (
        gql(factories.distributor("shop"), LIST, {"c": str(alpha.company_id)})["errors"][0]["extensions"]["code"]
        == "forbidden"
    )
