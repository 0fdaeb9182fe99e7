"""Targets on the platform's real paths: orders paid and refunded through the kernel and finance
become facts, a target's achievement and weighted score follow (a refund after the fact lowers
them on its day), collections are finance's receipts applied to the salesperson's customers'
orders; and the operators' target editor and weights refuse bad input with a message on the
field and save nothing."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.money import to_fen
from plugins.bigdata.backends.base import Filters, Period
from plugins.bigdata.performance import selectors
from plugins.bigdata.performance.models import SalesTarget, ScoreWeights
from plugins.bigdata.performance.periods import Level
from plugins.finance.services import receipts as receipt_service
from plugins.finance.services import refunds
from plugins.member_tiers.services.members import membership_for
from tests import factories
from tests.finance.fixtures_receipts import clerk, receipt
from tests.finance.fixtures_refunds import finance_user

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests read the pages' messages in English (the site's default is Chinese)."""
    settings.LANGUAGE_CODE = "en"


EDITOR = "bigdata-dashboard:performance-target-editor"


def salesperson(key: str, name: str):
    return User.objects.create_user(key, f"{key}@example.cn", "pw", is_staff=True, first_name=name)


@pytest.fixture
def wang(db):
    return salesperson("wang", "王伟")


@pytest.fixture
def li(db):
    return salesperson("li", "李娜")


def owned(buyer, person):
    membership = membership_for(buyer)
    membership.salesperson = person
    membership.save()
    return buyer


def this_month() -> Period:
    today = timezone.localdate()
    return Period(today.replace(day=1), today)


def report(owner="salesperson", filters=None):
    return selectors.targets_report(filters or Filters(period=this_month()), Level.MONTH, owner)


def test_a_refund_after_the_fact_lowers_achievement_and_score(
    buyer, catalogue, wang, django_capture_on_commit_callbacks
):
    owned(buyer, wang)
    with django_capture_on_commit_callbacks(execute=True):
        order = factories.place_order(buyer, [(catalogue["bolt"], 10)], paid=True)  # 10 × 32.00
    SalesTarget.objects.create(
        owner_kind="salesperson",
        salesperson=wang,
        level="month",
        period_start=this_month().start,
        revenue=Decimal("1000.00"),
        new_customers=1,
    )
    [before] = report()
    assert (before.revenue, before.shown("revenue_achievement"), before.new, before.shown("new_achievement")) == (
        32000,
        Decimal("32.0"),
        1,
        Decimal("100.0"),
    )
    assert before.collections_achievement is None  # no collections target: 60/20 scaled up to 100
    assert before.score == Decimal("49.0")  # (60 × 32 + 20 × 100) ÷ 80

    finance = finance_user()
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=buyer)
    refunds.approve(refund, finance)
    with django_capture_on_commit_callbacks(execute=True):
        refunds.execute(refund, payout_reference="BANK-RF-9", by=finance)
    [after] = report()
    assert (after.revenue, after.shown("revenue_achievement"), after.new) == (22400, Decimal("22.4"), 1)
    assert after.score == Decimal("41.8")  # (60 × 22.4 + 20 × 100) ÷ 80


def test_collections_are_receipts_applied_to_the_salespersons_customers_orders(
    buyer, catalogue, wang, li, django_capture_on_commit_callbacks
):
    owned(buyer, wang)
    other = owned(factories.distributor("other", province="四川省"), li)
    finance = clerk()
    with django_capture_on_commit_callbacks(execute=True):
        order = factories.place_order(buyer, [(catalogue["wire"], 2)], secure=False)  # waits for a transfer
        theirs = factories.place_order(other, [(catalogue["bolt"], 5)], paid=True)
    with django_capture_on_commit_callbacks(execute=True):
        paid = receipt(finance, str(order.total_incl_tax), orders=[order])
        receipt_service.approve(paid, finance)
    for person in (wang, li):
        SalesTarget.objects.create(
            owner_kind="salesperson",
            salesperson=person,
            level="month",
            period_start=this_month().start,
            revenue=Decimal("436.00"),
            collections=Decimal("1000.00"),
        )
    rows = {r.owner_key: r for r in report()}
    mine, its = rows[str(wang.pk)], rows[str(li.pk)]
    assert mine.collections == to_fen(order.total_incl_tax)  # the money received, freight included
    assert mine.shown("collections_achievement") == (Decimal(to_fen(order.total_incl_tax)) / 1000).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    assert (mine.revenue, mine.shown("revenue_achievement")) == (43600, Decimal("100.0"))
    # li's customer paid without a receipt (confirmed on the order page): nothing collected
    assert (its.collections, its.shown("collections_achievement")) == (0, Decimal("0.0"))
    assert its.revenue == 16000 and theirs.number
    assert mine.rank == 1 and its.rank == 2

    # a supplier filter: a receipt pays a whole order, so collections are not shown and drop out
    df = catalogue["suppliers"]["df"]
    filtered = {r.owner_key: r for r in report(filters=Filters(period=this_month(), supplier_ids=(df.pk,)))}
    assert filtered[str(wang.pk)].collections is None and filtered[str(wang.pk)].score == Decimal("100.0")


# --- the editor -----------------------------------------------------------------------------------------


def editor_post(client, rows, *, level="month", owner="salesperson", year=2026, initial=0):
    data = {
        "targets-TOTAL_FORMS": str(len(rows)),
        "targets-INITIAL_FORMS": str(initial),
        "targets-MIN_NUM_FORMS": "0",
        "targets-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for field, value in row.items():
            data[f"targets-{i}-{field}"] = value
    url = reverse(EDITOR) + f"?owner={owner}&level={level}&year={year}"
    return client.post(url, data)


@pytest.fixture
def operator_client(db):
    client = Client()
    client.force_login(factories.operator("op"))
    return client


def row(owner, period, revenue="1000.00", new="", collections="", **extra):
    return {
        "owner": str(owner),
        "period": period,
        "revenue": revenue,
        "new_customers": new,
        "collections": collections,
        **extra,
    }


@pytest.mark.parametrize(
    "rows,level,message",
    [
        (
            lambda w, b: [row(w.pk, "2026-11"), row(w.pk, "2026-10", revenue="-5.00")],
            "month",
            "A target cannot be negative.",
        ),
        (
            lambda w, b: [row(w.pk, "2026-11"), row(w.pk, "2026-11", revenue="2.00")],
            "month",
            "Row 1 already sets the targets for this period.",
        ),
        (
            lambda w, b: [row(w.pk, "2026-11"), row(w.pk, "2026-02")],
            "quarter",
            "A quarter starts on 1 January, 1 April, 1 July or 1 October.",
        ),
        (
            lambda w, b: [row(w.pk, "2026-04-15")],
            "quarter",
            "A quarter starts on 1 January, 1 April, 1 July or 1 October.",
        ),
        (lambda w, b: [row(w.pk, "2026-07-01")], "year", "A year starts on 1 January."),
        (lambda w, b: [row(w.pk, "2026-11"), row(b.pk, "2026-11")], "month", "Unknown salesperson."),
        (lambda w, b: [row(w.pk, "2026-11"), row(w.pk, "2026-13")], "month", "Write the month as 2026-11."),
        (
            lambda w, b: [row(w.pk, "2026-11", revenue="0")],
            "month",
            "A target must be above zero; leave it blank for no target.",
        ),
        (
            lambda w, b: [row(w.pk, "2026-11", revenue="")],
            "month",
            "Set at least one target (revenue, new companies or collections).",
        ),
    ],
)
def test_the_editor_refuses_bad_rows_and_saves_nothing(operator_client, wang, buyer, rows, level, message):
    response = editor_post(operator_client, rows(wang, buyer), level=level)
    assert response.status_code == 400
    text = response.content.decode()
    assert message in text.replace("&#x27;", "'")
    assert "Nothing was saved" in text
    assert SalesTarget.objects.count() == 0


def test_the_editor_saves_changes_and_deletes_and_refuses_a_period_already_set(operator_client, wang, li):
    response = editor_post(
        operator_client,
        [
            row(wang.pk, "2026-11", new="2"),
            row(li.pk, "2026-11", revenue="", collections="500.50"),
            row("", "", revenue=""),
        ],
    )
    assert response.status_code == 302
    saved = {t.salesperson_id: t for t in SalesTarget.objects.all()}
    assert (saved[wang.pk].revenue, saved[wang.pk].new_customers, saved[wang.pk].collections) == (
        Decimal("1000.00"),
        2,
        None,
    )
    assert saved[li.pk].collections == Decimal("500.50") and saved[li.pk].period_start == date(2026, 11, 1)

    # the page lists both; a new row for a period already set is refused, nothing changes
    page = operator_client.get(reverse(EDITOR) + "?owner=salesperson&level=month&year=2026")
    assert page.status_code == 200 and page.content.decode().count('class="target-row') == 5  # 2 + 3 blank
    # the rows as the editor lists them (by salesperson's username: li, then wang), unchanged
    mine, theirs = saved[wang.pk], saved[li.pk]
    kept = [
        row(li.pk, "2026-11", revenue="", collections=str(theirs.collections), id=str(theirs.pk)),
        row(wang.pk, "2026-11", revenue=str(mine.revenue), new=str(mine.new_customers), id=str(mine.pk)),
    ]
    response = editor_post(operator_client, [*kept, row(wang.pk, "2026-11", revenue="5.00")], initial=2)
    assert response.status_code == 400
    assert "Targets for this period are already set (2026-11)." in response.content.decode()
    assert SalesTarget.objects.count() == 2

    # change wang's, delete li's
    kept[1]["revenue"] = "1200.00"
    kept[0]["DELETE"] = "on"
    response = editor_post(operator_client, kept, initial=2)
    assert response.status_code == 302
    [left] = SalesTarget.objects.all()
    assert (left.salesperson_id, left.revenue) == (wang.pk, Decimal("1200.00"))


def test_region_targets_and_the_unknown_province(operator_client):
    response = editor_post(
        operator_client, [row("440000", "2026-Q4"), row("999999", "2026-Q3")], owner="region", level="quarter"
    )
    assert response.status_code == 400 and "Unknown province." in response.content.decode()
    assert SalesTarget.objects.count() == 0
    response = editor_post(operator_client, [row("440000", "2026-Q4")], owner="region", level="quarter")
    assert response.status_code == 302
    [target] = SalesTarget.objects.all()
    assert (target.owner_kind, target.province_code, target.level, target.period_start) == (
        "region",
        "440000",
        "quarter",
        date(2026, 10, 1),
    )


def test_weights_must_add_up_to_100_and_are_stored(operator_client):
    url = reverse("bigdata-dashboard:performance-weights")
    response = operator_client.post(url, {"revenue": "60", "new_customers": "20", "collections": "10", "cap": "120"})
    assert response.status_code == 400 and "The weights must add up to 100 % (now 90 %)." in response.content.decode()
    response = operator_client.post(url, {"revenue": "70", "new_customers": "30", "collections": "0", "cap": "90"})
    assert response.status_code == 400 and "The cap is from 100 % to 1000 %" in response.content.decode()
    assert ScoreWeights.objects.count() == 0
    response = operator_client.post(url, {"revenue": "70", "new_customers": "30", "collections": "0", "cap": ""})
    assert response.status_code == 302
    assert selectors.weights() == selectors.d.Weights(70, 30, 0, None)


def test_salespeople_may_not_edit_targets_or_weights(wang):
    client = Client()
    client.force_login(wang)
    response = editor_post(client, [row(wang.pk, "2026-11", revenue="99999999.00")])
    assert response.status_code == 403
    assert client.post(reverse("bigdata-dashboard:performance-weights"), {"revenue": "100"}).status_code == 403
    assert SalesTarget.objects.count() == 0 and ScoreWeights.objects.count() == 0


def test_the_demo_gives_every_salesperson_targets_and_runs_twice_without_change(
    buyer, catalogue, wang, li, django_capture_on_commit_callbacks
):
    from plugins.bigdata.performance import demo

    owned(buyer, wang)  # wang has sales; li owns a customer without any
    owned(factories.distributor("other", province="四川省"), li)
    with django_capture_on_commit_callbacks(execute=True):
        factories.place_order(buyer, [(catalogue["bolt"], 10)], paid=True)
    made = demo.seed()
    this_year = timezone.localdate().year
    assert made == SalesTarget.objects.count() > 0
    for person in (wang, li):
        mine = SalesTarget.objects.filter(owner_kind="salesperson", salesperson=person)
        months = mine.filter(level="month")
        assert months.count() >= 12 and mine.filter(level="year", period_start=date(this_year, 1, 1)).exists()
        assert mine.filter(level="quarter").count() == 4
    assert SalesTarget.objects.filter(owner_kind="region").exists()  # the province with sales
    assert demo.seed() == 0  # idempotent: nothing new, nothing changed
    assert SalesTarget.objects.count() == made
