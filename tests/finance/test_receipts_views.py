"""The receipts pages: the back office records, imports, approves, assigns, allocates and voids
(finance group only; other operators look); a company's 财务/admin sees its receipts and claims a
transfer with proof; bad input is a 400 that changes nothing; other parties see nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from core.orders import payments
from plugins.finance.models import JournalEntry, Receipt
from plugins.finance.services import receipts as service
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_receipts import (  # noqa: F401 - fixtures
    finance_clerk_fixture,
    looker,
    other_buyer_fixture,
    receipt,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_pages(settings):
    """These tests read the pages' messages in English (the site's default is Chinese)."""
    settings.LANGUAGE_CODE = "en"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _counts():
    return Receipt.objects.count(), JournalEntry.objects.count()


def test_finance_records_a_receipt_for_an_order_from_the_prefilled_form_and_approves_it(
    buyer, catalogue, finance_clerk
):
    order = factories.place_order(buyer, [(catalogue["wire"], 1)], secure=False)
    client = _client(finance_clerk)
    page = client.get(reverse("finance-dashboard:receipt-create") + f"?order={order.number}")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{order.total_incl_tax}"' in html and f'value="{order.number}"' in html
    form = {
        "bank_reference": "ICBC-778899",
        "received_on": today().isoformat(),
        "amount": str(order.total_incl_tax),
        "payer_name": order.company.legal_name,
        "orders": order.number,
    }
    # bad input: a 400 that records nothing
    before = _counts()
    for bad in ({"amount": "-1"}, {"amount": "0"}, {"bank_reference": ""}, {"orders": "NO-SUCH"}):
        response = client.post(reverse("finance-dashboard:receipt-create"), {**form, **bad})
        assert response.status_code == 400, bad
    assert _counts() == before
    response = client.post(reverse("finance-dashboard:receipt-create"), form)
    made = Receipt.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "finance-dashboard:receipt-detail", args=[made.number]
    )
    assert made.state == Receipt.State.PENDING and made.allocations.get().order == order
    # the same bank reference again: refused
    response = client.post(reverse("finance-dashboard:receipt-create"), form)
    assert response.status_code == 400 and "already recorded" in response.content.decode()
    assert Receipt.objects.count() == 1

    detail = reverse("finance-dashboard:receipt-detail", args=[made.number])
    assert client.get(detail).status_code == 200
    assert client.post(detail, {"action": "approve"}).status_code == 302
    order.refresh_from_db()
    assert payments.is_paid(order)
    assert client.post(detail, {"action": "void", "reason": "x"}).status_code == 400  # approved: no void
    assert_books_hold(warnings_ok=False)


def test_an_operator_outside_finance_may_look_but_not_act(buyer, catalogue, finance_clerk):
    made = receipt(finance_clerk, "50.00")
    client = _client(looker())
    detail = reverse("finance-dashboard:receipt-detail", args=[made.number])
    assert client.get(reverse("finance-dashboard:receipt-list")).status_code == 200
    page = client.get(detail)
    assert page.status_code == 200 and 'id="look-only"' in page.content.decode()
    before = _counts()
    company = factories.company_of(buyer)
    assert client.post(detail, {"action": "assign", "company_name": company.legal_name}).status_code == 400
    assert client.post(detail, {"action": "void", "reason": "x"}).status_code == 400
    assert _counts() == before
    made.refresh_from_db()
    assert made.state == Receipt.State.UNCLAIMED


def test_the_detail_page_assigns_allocates_and_voids(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    company = factories.company_of(buyer)
    made = receipt(finance_clerk, "500.00")
    client = _client(finance_clerk)
    detail = reverse("finance-dashboard:receipt-detail", args=[made.number])
    assert client.post(detail, {"action": "assign", "company_name": "没有这家公司"}).status_code == 400
    assert client.post(detail, {"action": "assign", "company_name": company.legal_name}).status_code == 302
    made.refresh_from_db()
    assert made.company == company and made.state == Receipt.State.PENDING
    assert client.post(detail, {"action": "approve"}).status_code == 302
    response = client.post(detail, {"action": "allocate", "order": order.number, "amount": "500.00"})
    assert response.status_code == 400 and "waits for only" in response.content.decode()
    response = client.post(detail, {"action": "allocate", "order": order.number, "amount": str(order.total_incl_tax)})
    assert response.status_code == 302
    order.refresh_from_db()
    assert payments.is_paid(order)
    other = receipt(finance_clerk, "9.99")
    other_detail = reverse("finance-dashboard:receipt-detail", args=[other.number])
    assert client.post(other_detail, {"action": "void", "reason": ""}).status_code == 400
    assert client.post(other_detail, {"action": "void", "reason": "重复录入"}).status_code == 302
    other.refresh_from_db()
    assert other.state == Receipt.State.VOID
    assert client.get(reverse("finance-dashboard:receipt-detail", args=["SK-19990101-000001"])).status_code == 404
    assert_books_hold(warnings_ok=False)


def test_the_lists_filter_and_the_unclaimed_queue_shows_only_unclaimed(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    matched = receipt(finance_clerk, str(order.total_incl_tax), memo=order.number, payer_name="甲方")
    waiting = receipt(finance_clerk, "77.00", payer_name="乙方")
    client = _client(finance_clerk)
    html = client.get(reverse("finance-dashboard:receipt-unclaimed")).content.decode()
    assert waiting.number in html and matched.number not in html
    html = client.get(reverse("finance-dashboard:receipt-list"), {"state": "pending"}).content.decode()
    assert matched.number in html and waiting.number not in html
    html = client.get(reverse("finance-dashboard:receipt-list"), {"q": "乙方"}).content.decode()
    assert waiting.number in html and matched.number not in html
    yesterday = (today() - timedelta(days=1)).isoformat()
    html = client.get(reverse("finance-dashboard:receipt-list"), {"until": yesterday}).content.decode()
    assert 'id="no-receipts"' in html


def test_the_import_pages_preview_then_apply(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    client = _client(finance_clerk)
    content = (
        f"流水号,交易日期,金额,对方户名,附言\nB-9,{today().isoformat()},{order.total_incl_tax},甲,{order.number}\n"
    )
    response = client.post(
        reverse("finance-dashboard:receipt-import"), {"file": SimpleUploadedFile("s.csv", content.encode())}
    )
    assert response.status_code == 302
    preview = response["Location"]
    html = client.get(preview).content.decode()
    assert order.number in html and order.company.legal_name in html and 'id="apply-form"' in html
    assert not Receipt.objects.exists()
    assert client.post(preview, {"action": "apply"}).status_code == 302
    assert Receipt.objects.get().source == Receipt.Source.IMPORT
    assert client.post(preview, {"action": "apply"}).status_code == 400  # once
    bad = client.post(reverse("finance-dashboard:receipt-import"), {"file": SimpleUploadedFile("s.txt", b"x")})
    assert bad.status_code == 400
    assert_books_hold(warnings_ok=False)


def test_the_company_sees_its_receipts_and_claims_a_transfer_with_proof(buyer, other_buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    company = factories.company_of(buyer)
    secret_account = "6222 8888 7777 1234"
    made = receipt(finance_clerk, "300.00", payer_name=company.legal_name, payer_account=secret_account)
    theirs = receipt(finance_clerk, "42.42", company=factories.company_of(other_buyer))
    client = _client(buyer)
    claim = reverse("finance:receipt-claim")
    page = client.get(claim).content.decode()
    assert "****1234" in page and secret_account not in page and "300.00" not in page  # the proof is not shown
    before = _counts()
    for bad in (
        {"amount": "300.01", "payer_account": secret_account},
        {"amount": "300.00", "payer_account": "6222888877771235"},
        {"amount": "-300.00", "payer_account": secret_account},
        {"amount": "300.00", "payer_account": secret_account, "orders": "NOT-MINE"},
    ):
        response = client.post(claim, {"received_on": today().isoformat(), **bad})
        assert response.status_code == 400, bad
    made.refresh_from_db()
    assert made.state == Receipt.State.UNCLAIMED and _counts() == before
    response = client.post(
        claim,
        {
            "received_on": today().isoformat(),
            "amount": "300.00",
            "payer_account": secret_account,
            "orders": order.number,
        },
    )
    assert response.status_code == 302
    made.refresh_from_db()
    assert made.state == Receipt.State.PENDING and made.company == company and made.claimed_by == buyer
    service.approve(made, finance_clerk)
    listing = client.get(reverse("finance:receipt-list")).content.decode()
    assert made.number in listing and theirs.number not in listing
    assert f"¥{Decimal('300.00') - order.total_incl_tax}" in listing  # the unapplied balance
    assert_books_hold(warnings_ok=False)


def test_a_buyer_who_is_not_finance_or_admin_is_told_so(buyer, finance_clerk):
    colleague = factories.person("colleague")
    factories.join(colleague, factories.company_of(buyer), role="buyer")
    receipt(finance_clerk, "5.00", company=factories.company_of(buyer))
    client = _client(colleague)
    response = client.get(reverse("finance:receipt-list"))
    assert response.status_code == 403 and 'id="not-finance"' in response.content.decode()
    response = client.post(
        reverse("finance:receipt-claim"), {"received_on": today().isoformat(), "amount": "5.00", "payer_account": "1"}
    )
    assert response.status_code == 403


def test_the_order_page_offers_a_receipt_instead_of_marking_paid(buyer, catalogue, finance_clerk):
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    client = _client(finance_clerk)
    html = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    assert 'id="record-receipt-for-order"' in html and 'id="confirm-payment-form"' not in html
    assert f"{reverse('finance-dashboard:receipt-create')}?order={order.number}" in html
    made = receipt(finance_clerk, str(order.total_incl_tax), memo=order.number)
    html = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    assert made.number in html
