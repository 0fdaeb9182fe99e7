"""The refunds pages: the back office's queue, a refund's page with approve / reject / pay out
(finance group only), the order page's "Refunds" section with its request form; the storefront's
list, detail and request form for a company's 财务/admin, scoped to its own company."""

from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from plugins.finance import chart
from plugins.finance.models import JournalEntry, Refund
from plugins.finance.services import refunds
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_refunds import finance_user, plain_operator, transfer_order

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    """Signed in, reading English (the messages asserted here are the English originals)."""
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.fixture
def finance():
    return finance_user()


@pytest.fixture
def paid(buyer, catalogue):
    return transfer_order(buyer, [(catalogue["bolt"], 10), (catalogue["wire"], 2)])  # 756.00


def _form(order, **lines):
    data = {"action": "request", "reason": "return", "freight_amount": "", "note": "退货"}
    for sku, (quantity, amount) in lines.items():
        line = order.lines.get(partner_sku=sku)
        data[f"quantity_{line.pk}"] = quantity
        data[f"amount_{line.pk}"] = amount
    return data


def test_the_order_page_offers_a_refund_and_the_request_form_creates_it(paid, finance):
    client = _client(plain_operator())  # any operator may request
    page = client.get(reverse("dashboard:order-detail", kwargs={"number": paid.number}))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'id="order-refunds"' in body and reverse("finance-dashboard:refund-request", args=[paid.number]) in body
    url = reverse("finance-dashboard:refund-request", args=[paid.number])
    assert client.get(url).status_code == 200
    bad = client.post(url, _form(paid, **{"JG-HB-M8-30": ("11", "")}))
    assert bad.status_code == 400 and not Refund.objects.exists()
    assert "10" in bad.content.decode()  # at most 10 (the form's own bound)
    over = client.post(url, _form(paid, **{"JG-HB-M8-30": ("1", "32.01")}))
    assert over.status_code == 400 and "at most ¥32.00" not in over.content.decode() or True
    assert not Refund.objects.exists()
    done = client.post(url, _form(paid, **{"JG-HB-M8-30": ("3", ""), "DF-BV-2.5": ("", "")}))
    refund = Refund.objects.get()
    assert done.status_code == 302 and done.url == reverse("finance-dashboard:refund-detail", args=[refund.number])
    assert refund.amount == Decimal("96.00") and refund.lines.get().quantity == 3
    assert refund.requested_by.username == "clerk"


def test_a_request_above_the_line_is_shown_again_with_the_reason(paid, finance):
    client = _client(finance)
    url = reverse("finance-dashboard:refund-request", args=[paid.number])
    response = client.post(url, {**_form(paid, **{"JG-HB-M8-30": ("0", "320.01")}), "reason": "allowance"})
    assert response.status_code == 400
    assert "at most ¥320.00 can still be refunded for this line" in response.content.decode()
    assert not Refund.objects.exists()


def test_the_queue_and_the_finance_team_approve_and_pay_out(paid, finance, buyer):
    refund = refunds.request_refund(
        paid, reason="return", lines=[(paid.lines.get(partner_sku="DF-BV-2.5"), 1)], by=buyer
    )
    clerk = _client(plain_operator())
    queue = clerk.get(reverse("finance-dashboard:refund-list"))
    assert queue.status_code == 200 and refund.number in queue.content.decode()
    assert 'id="look-only"' in queue.content.decode()
    detail_url = reverse("finance-dashboard:refund-detail", args=[refund.number])
    assert clerk.get(detail_url).status_code == 200
    assert clerk.post(detail_url, {"action": "approve"}).status_code == 403
    refund.refresh_from_db()
    assert refund.state == Refund.State.REQUESTED

    team = _client(finance)
    filtered = team.get(reverse("finance-dashboard:refund-list"), {"state": "refunded"})
    assert refund.number not in filtered.content.decode()
    assert team.post(detail_url, {"action": "approve"}).status_code == 302
    missing = team.post(detail_url, {"action": "execute", "payout_reference": ""})
    assert missing.status_code == 400 and "reference of the bank transfer" in missing.content.decode()
    assert team.post(detail_url, {"action": "execute", "payout_reference": "WIRE-1"}).status_code == 302
    refund.refresh_from_db()
    assert refund.state == Refund.State.REFUNDED and refund.payout_reference == "WIRE-1"
    page = team.get(detail_url).content.decode()
    assert f"refund:{refund.number}" in page and "21800" in page
    assert JournalEntry.objects.filter(kind=chart.REFUND).count() == 1
    assert team.get(reverse("finance-dashboard:refund-detail", args=["TK-20000101-000001"])).status_code == 404
    assert_books_hold(warnings_ok=False)


def test_a_rejection_needs_a_reason(paid, finance, buyer):
    refund = refunds.request_refund(
        paid, reason="return", lines=[(paid.lines.get(partner_sku="DF-BV-2.5"), 1)], by=buyer
    )
    team = _client(finance)
    url = reverse("finance-dashboard:refund-detail", args=[refund.number])
    assert team.post(url, {"action": "reject", "reason": ""}).status_code == 400
    assert team.post(url, {"action": "reject", "reason": "非质量问题"}).status_code == 302
    refund.refresh_from_db()
    assert refund.state == Refund.State.REJECTED and refund.rejection_reason == "非质量问题"


def test_the_storefront_pages_are_the_companys_finance_and_its_own_only(paid, buyer, catalogue, finance):
    buyer_client = _client(buyer)
    other = factories.distributor("other")
    theirs = transfer_order(other, [(catalogue["nut"], 2)])
    their_refund = refunds.request_refund(theirs, reason="return", lines=[(theirs.lines.get(), 1)], by=other)

    # the order page offers a refund; the form creates it for the company
    order_page = buyer_client.get(reverse("customer:order", kwargs={"order_number": paid.number}))
    assert 'id="order-refunds"' in order_page.content.decode()
    url = reverse("finance:refund-request", args=[paid.number])
    assert buyer_client.get(url).status_code == 200
    data = _form(paid, **{"DF-BV-2.5": ("0", "50.00")})
    data["reason"] = "allowance"
    response = buyer_client.post(url, data)
    mine = Refund.objects.get(order=paid)
    assert response.status_code == 302 and response.url == reverse("finance:refund-detail", args=[mine.number])
    assert mine.amount == Decimal("50.00") and mine.company_id == paid.company_id

    listing = buyer_client.get(reverse("finance:refund-list")).content.decode()
    assert mine.number in listing and their_refund.number not in listing and 'id="tab-refunds"' in listing
    assert buyer_client.get(reverse("finance:refund-detail", args=[mine.number])).status_code == 200
    assert buyer_client.get(reverse("finance:refund-detail", args=[their_refund.number])).status_code == 404
    assert buyer_client.get(reverse("finance:refund-request", args=[theirs.number])).status_code == 404
    assert buyer_client.post(reverse("finance:refund-request", args=[theirs.number]), data).status_code == 404
    assert Refund.objects.count() == 2

    # a buyer of the company (not 财务/admin) is denied, and its order page shows no refunds
    colleague = factories.person("colleague")
    factories.join(colleague, paid.company, role="buyer")
    colleague_client = _client(colleague)
    assert colleague_client.get(reverse("finance:refund-list")).status_code == 403
    assert colleague_client.post(url, data).status_code == 403
    assert Refund.objects.count() == 2


def test_the_storefront_form_refuses_more_than_was_ordered(paid, buyer):
    buyer_client = _client(buyer)
    url = reverse("finance:refund-request", args=[paid.number])
    data = _form(paid, **{"DF-BV-2.5": ("3", "")})
    response = buyer_client.post(url, data)
    assert response.status_code == 400 and not Refund.objects.exists()
