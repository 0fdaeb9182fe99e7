"""The settlement screens: finance drafts and pays in the back office, the supplier confirms or
disputes in its portal and downloads the XLSX; another supplier's batch is a 404; an operator
outside the finance group may look but not pay; bad input shows its error and changes nothing.
Also: finance_check notices a batch whose figures no longer match its postings."""

from datetime import timedelta
from decimal import Decimal
from io import BytesIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from plugins.finance import chart
from plugins.finance.models import CategoryCommission, JournalEntry, SettlementBatch
from plugins.finance.services import settlement
from plugins.finance.services.ledger import business_date
from plugins.finance.services.reconcile import check
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_settlement import clawback, delivered_orders, finance_operator, supplier_with_staff

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests read the pages' messages in English (the site's default is Chinese)."""
    settings.LANGUAGE_CODE = "en"


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def setup(db):
    jg, jg_staff = supplier_with_staff("jg", "苏州精工五金制品有限公司")
    df, df_staff = supplier_with_staff("df", "宁波东方电气设备有限公司")
    product = factories.product("P1", "扳手", "10.10", partner=jg)
    so1, so2 = delivered_orders(jg, [[(product, 1, "100.00")], [(product, 3, "33.33")]], freight=["6.00", "0.00"])
    looker = get_user_model().objects.create_user(username="looker", password="x", is_staff=True)
    looker.groups.add(Group.objects.get_or_create(name="operators")[0])
    return {
        "jg": jg,
        "jg_staff": jg_staff,
        "df": df,
        "df_staff": df_staff,
        "op": finance_operator(),
        "looker": looker,
        "product": product,
        "sos": (so1, so2),
    }


def _period(**over):
    today = business_date()
    return {"period_start": (today - timedelta(days=30)).isoformat(), "period_end": today.isoformat(), **over}


def test_finance_drafts_the_supplier_confirms_in_the_portal_and_finance_pays(setup):
    s = setup
    op = client_of(s["op"])
    response = op.post(reverse("finance-dashboard:settlement-batch-new"), {"supplier": s["jg"].pk, **_period()})
    batch = SettlementBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "finance-dashboard:settlement-batch", args=[batch.number]
    )
    # 100.00 × 5 % = 5.00; 99.99 × 5 % = 4.9995 → 5.00; payable 100 − 5 + 6 + 99.99 − 5 = 195.99
    assert (batch.goods, batch.commission, batch.freight, batch.payable) == (
        D("199.99"),
        D("10.00"),
        D("6.00"),
        D("195.99"),
    )
    page = op.get(reverse("finance-dashboard:settlement-batch", args=[batch.number]))
    assert page.status_code == 200 and s["sos"][0].number in page.content.decode()
    listed = op.get(reverse("finance-dashboard:settlement-batches"), {"state": "draft", "supplier": s["jg"].pk})
    assert batch.number in listed.content.decode()

    portal = client_of(s["jg_staff"])
    mine = portal.get(reverse("finance-dashboard:settlement-portal-batches"))
    assert mine.status_code == 200 and batch.number in mine.content.decode()
    # the portal's menu leads there; the back office's 财务 menu leads operators to theirs
    portal_page = portal.get(reverse("s2b2b-portal-orders")).content.decode()
    assert reverse("finance-dashboard:settlement-portal-batches") in portal_page
    assert reverse("finance-dashboard:settlement-batches") not in portal_page
    back_office = op.get(reverse("dashboard:index")).content.decode()
    for name in ("settlement-batches", "settlement-rates", "settlement-income"):
        assert reverse(f"finance-dashboard:{name}") in back_office
    detail = reverse("finance-dashboard:settlement-portal-batch", args=[batch.number])
    assert "settlement-confirm" in portal.get(detail).content.decode()
    response = portal.post(detail, {"action": "confirm"})
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.state == "confirmed" and batch.confirmed_by == s["jg_staff"]
    assert JournalEntry.objects.filter(key=f"settlement:{batch.number}").exists()

    # the XLSX: header figures and one row per line, numbers as numbers
    from openpyxl import load_workbook

    xlsx = portal.get(reverse("finance-dashboard:settlement-portal-export", args=[batch.number]))
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(xlsx.content)).active.iter_rows(values_only=True))
    assert rows[0][1] == batch.number and D(str(rows[9][1])) == D("195.99")
    assert {r[0] for r in rows[12:]} == {so.number for so in s["sos"]}

    # an operator outside the finance group sees the page but cannot pay
    pay_url = reverse("finance-dashboard:settlement-batch", args=[batch.number])
    refused = client_of(s["looker"]).post(pay_url, {"action": "pay", "payout_reference": "HX-1"})
    assert refused.status_code == 400 and "finance staff" in refused.content.decode()
    empty = op.post(pay_url, {"action": "pay", "payout_reference": ""})
    assert empty.status_code == 400
    batch.refresh_from_db()
    assert batch.state == "confirmed" and not JournalEntry.objects.filter(kind=chart.PAYOUT).exists()
    assert op.post(pay_url, {"action": "pay", "payout_reference": "HX-1"}).status_code == 302
    batch.refresh_from_db()
    assert batch.state == "paid" and batch.payout_reference == "HX-1"
    assert_books_hold(skip_areas=("refunds",))


def test_another_supplier_gets_a_404_and_the_supplier_can_dispute_with_a_reason(setup):
    s = setup
    batch = settlement.draft_batch(
        s["jg"],
        by=s["op"],
        **{
            k: business_date() - timedelta(days=30) if k == "period_start" else business_date()
            for k in ("period_start", "period_end")
        },
    )
    other = client_of(s["df_staff"])
    for name in ("settlement-portal-batch", "settlement-portal-export"):
        assert other.get(reverse(f"finance-dashboard:{name}", args=[batch.number])).status_code == 404
    assert (
        other.post(
            reverse("finance-dashboard:settlement-portal-batch", args=[batch.number]), {"action": "confirm"}
        ).status_code
        == 404
    )
    assert batch.number not in other.get(reverse("finance-dashboard:settlement-portal-batches")).content.decode()
    # suppliers do not reach the back office's pages
    assert other.get(reverse("finance-dashboard:settlement-batch", args=[batch.number])).status_code in (302, 403)

    portal = client_of(s["jg_staff"])
    detail = reverse("finance-dashboard:settlement-portal-batch", args=[batch.number])
    blank = portal.post(detail, {"action": "dispute", "reason": ""})
    assert blank.status_code == 400 and "Say what is wrong" in blank.content.decode()
    assert portal.post(detail, {"action": "pay", "payout_reference": "X"}).status_code == 400  # not a portal action
    batch.refresh_from_db()
    assert batch.state == "draft"
    assert portal.post(detail, {"action": "dispute", "reason": "运费少算了"}).status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.dispute_reason) == ("disputed", "运费少算了")
    assert_books_hold(skip_areas=("refunds",))


def test_new_batch_form_errors_and_the_rates_and_income_pages(setup):
    s = setup
    op = client_of(s["op"])
    url = reverse("finance-dashboard:settlement-batch-new")
    bad = op.post(url, {"supplier": s["jg"].pk, **_period(period_end="2020-01-01")})
    assert bad.status_code == 400 and "ends before it starts" in bad.content.decode()
    assert op.post(url, {"supplier": s["jg"].pk}).status_code == 400
    nothing = op.post(url, {"supplier": s["df"].pk, **_period()})
    assert nothing.status_code == 400 and "Nothing to settle" in nothing.content.decode()
    assert not SettlementBatch.objects.exists()

    rates = reverse("finance-dashboard:settlement-supplier-rates", args=[s["jg"].pk])
    assert op.get(reverse("finance-dashboard:settlement-rates")).status_code == 200
    assert op.post(rates, {"action": "rate", "rate": "1.5"}).status_code == 400
    assert client_of(s["looker"]).post(rates, {"action": "rate", "rate": "0.02"}).status_code == 400
    assert op.post(rates, {"action": "rate", "rate": "0.02"}).status_code == 302
    category = factories.category("工具")
    assert op.post(rates, {"action": "category", "category": category.pk, "rate": "0.1000"}).status_code == 302
    override = CategoryCommission.objects.get(supplier=s["jg"])
    assert override.rate == D("0.1000") and s["jg"].supplier_profile.__class__.objects.get(
        partner=s["jg"]
    ).commission_rate == D("0.0200")
    assert op.post(rates, {"action": "remove", "override": override.pk}).status_code == 302
    assert not CategoryCommission.objects.exists()

    batch = settlement.draft_batch(s["jg"], period_start=business_date(), period_end=business_date(), by=s["op"])
    settlement.confirm(batch, by=s["jg_staff"])
    clawback(s["sos"][1], goods="33.33", commission="0.67")
    income = op.get(reverse("finance-dashboard:settlement-income"))
    assert income.status_code == 200
    # 2 % of 199.99 = 4.00 on the batch, less 0.67 given back by the clawback
    assert "3.33" in income.context["income"]["total"].to_eng_string()
    assert income.context["income"]["rows"][0][0] == s["jg"].name


def test_finance_check_notices_a_batch_that_no_longer_matches_its_postings(setup):
    s = setup
    batch = settlement.draft_batch(s["jg"], period_start=business_date(), period_end=business_date(), by=s["op"])
    settlement.confirm(batch, by=s["jg_staff"])
    settlement.pay(batch, payout_reference="HX-1", by=s["op"])
    assert_books_hold(skip_areas=("refunds",))
    SettlementBatch.objects.filter(pk=batch.pk).update(payable=batch.payable + D("0.01"))
    errors = check().errors
    assert any(batch.number in e and "payout" in e for e in errors), errors
