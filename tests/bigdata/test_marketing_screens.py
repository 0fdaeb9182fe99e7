"""The marketing return page, its exports, the activity editor and ``analyticsCampaigns``: who
may see what (operators everything; a salesperson their own customers' orders, no budgets; nobody
else), the numbers the page shows are the API's, bad input is refused field by field and saves
nothing."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.access import OPERATORS_GROUP
from plugins.bigdata.marketing.models import Activity
from plugins.bigdata.marketing.services import save_activity
from tests import factories
from tests.bigdata.test_marketing_returns import shop  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
URL = "/dashboard/analytics/marketing/"
QUERY = """query($f: AnalyticsFiltersInput) { analyticsCampaigns(filters: $f) {
    key kind name discounts budget cost revenue orders newCompanies roi months { month revenue orders } } }"""


def operator():
    user = get_user_model().objects.create_user(username="ops", email="ops@example.cn", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=OPERATORS_GROUP)[0])
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def gql(user, variables=None) -> dict:
    response = client_of(user).post(
        "/graphql/", json.dumps({"query": QUERY, "variables": variables or {}}), content_type="application/json"
    )
    return response.json()


@pytest.fixture
def activity(shop):  # noqa: F811
    today = timezone.localdate()
    return save_activity(
        name="春季促销", start=today - timedelta(days=3), end=today, budget=40000, offers=[shop["offer"]]
    )


def test_an_operator_sees_every_campaign_with_its_numbers_and_exports_them(shop, activity):  # noqa: F811
    client = client_of(operator())
    with_lang = {"HTTP_ACCEPT_LANGUAGE": "en"}
    page = client.get(URL, **with_lang).content.decode()
    assert "满500减50" in page and "开春券" in page and "春季促销" in page
    assert "¥1,296.00" in page  # the offer's net revenue: 706.00 + 590.00
    assert 'id="chart-marketing-trend"' in page and 'id="new-activity"' in page
    export = client.get(URL, {"export": "csv", "table": "campaigns"}, **with_lang)
    assert export.status_code == 200 and export["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    offer_row = next(r for r in rows if r[0] == "满500减50")
    # discounts kept, budget, cost, net revenue, orders, new companies, ROI
    assert offer_row[3:] == ["100.00", "0.00", "100.00", "1296.00", "2", "1", "1196.0"]
    activity_row = next(r for r in rows if r[0] == "春季促销")
    assert activity_row[3:6] == ["100.00", "400.00", "500.00"]
    assert client.get(URL, {"export": "xlsx", "table": "trend"}).status_code == 200


def test_the_api_returns_the_pages_numbers(shop, activity):  # noqa: F811
    data = gql(operator())
    assert "errors" not in data, data
    rows = {r["key"]: r for r in data["data"]["analyticsCampaigns"]}
    offer = rows[f"offer:{shop['offer'].pk}"]
    assert (offer["discounts"], offer["revenue"], offer["orders"], offer["newCompanies"]) == (10000, 129600, 2, 1)
    assert offer["roi"] == "1196.0"
    spring = rows[f"activity:{activity.pk}"]
    assert (spring["budget"], spring["cost"]) == (40000, 50000)
    assert spring["months"][-1]["orders"] == 2


def test_a_salesperson_sees_their_customers_orders_without_budgets(shop, activity):  # noqa: F811
    wang = shop["wang"]
    data = gql(wang, {"f": {"salespersonId": "999"}})  # asking for someone else shows one's own
    rows = {r["key"]: r for r in data["data"]["analyticsCampaigns"]}
    offer = rows[f"offer:{shop['offer'].pk}"]
    assert (offer["revenue"], offer["orders"], offer["discounts"]) == (59000, 1, 5000)  # o4 only
    assert rows[f"activity:{activity.pk}"]["budget"] == 0
    page = client_of(wang).get(URL).content.decode()
    assert 'id="analytics-scope"' in page and 'id="marketing-budget-note"' in page
    assert 'id="new-activity"' not in page
    assert client_of(wang).get(reverse("bigdata-dashboard:marketing-activity-create")).status_code == 403


def test_nobody_else_sees_the_campaigns(shop):  # noqa: F811
    data = gql(shop["buyer"])
    assert data["data"] is None or data["data"].get("analyticsCampaigns") is None
    assert data["errors"][0]["extensions"]["code"] == "forbidden"
    assert client_of(shop["buyer"]).get(URL).status_code == 403


def test_the_editor_saves_a_good_activity_and_refuses_a_bad_one(shop, catalogue):  # noqa: F811
    from django.conf import settings

    client = client_of(operator())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the platform's language switch (not Accept-Language)
    today = timezone.localdate()
    create = reverse("bigdata-dashboard:marketing-activity-create")
    bad = client.post(
        create,
        {"name": "双十一", "start": today.isoformat(), "end": (today - timedelta(days=1)).isoformat(), "budget": "-5"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert bad.status_code == 200
    errors = bad.context["form"].errors
    assert errors["budget"] == ["The budget cannot be negative."]
    assert errors["end"] == ["The activity ends before it starts."]
    unknown = client.post(
        create,
        {"name": "双十一", "start": today.isoformat(), "end": today.isoformat(), "budget": "1", "skus": "NO-SUCH"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert unknown.context["form"].errors["skus"] == ["No product has the SKU NO-SUCH."]
    assert not Activity.objects.exists()
    good = client.post(
        create,
        {
            "name": "双十一",
            "start": today.isoformat(),
            "end": (today + timedelta(days=10)).isoformat(),
            "budget": "1234.56",
            "offers": [shop["offer"].pk],
            "companies": [factories.company_of(shop["buyer2"]).pk],
            "skus": "JG-HB-M8-30, DF-BV-2.5",
            "notes": "线上推广",
        },
    )
    assert good.status_code == 302
    saved = Activity.objects.get()
    assert (saved.budget, saved.end - saved.start, saved.notes) == (123456, timedelta(days=10), "线上推广")
    assert sorted(saved.products.values_list("pk", flat=True)) == sorted([catalogue["bolt"].pk, catalogue["wire"].pk])
    edit = reverse("bigdata-dashboard:marketing-activity-edit", args=[saved.pk])
    assert "JG-HB-M8-30" in client.get(edit).content.decode()
    refused = client.post(
        edit, {"name": "双十一", "start": today.isoformat(), "end": today.isoformat(), "budget": "-1"}
    )
    assert refused.status_code == 200
    saved.refresh_from_db()
    assert saved.budget == 123456
