"""The invoices pages: the storefront's 发票 for a company's 财务/admin, the back office's invoice
requests and tax rates, and the tax shown on product, basket and order pages."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from plugins.finance.models import Invoice, InvoiceRequest, ProductTax, TaxCategory
from plugins.finance.services import invoices
from tests import factories
from tests.finance.fixtures_invoices import complete_invoicing, finance_operator, plain_operator, tax_classes

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


@pytest.fixture
def paid(catalogue, buyer):
    tax_classes(catalogue)
    company = complete_invoicing(factories.company_of(buyer))
    order = factories.place_order(buyer, [(catalogue["bolt"], 3), (catalogue["wire"], 2)], paid=True)
    return {"order": order, "company": company, "buyer": buyer, "catalogue": catalogue}


def test_the_company_requests_downloads_and_confirms_its_invoice(paid):
    client = client_for(paid["buyer"])
    page = client.get(reverse("finance:invoice-list"))
    assert page.status_code == 200 and paid["order"].number in page.content.decode()
    response = client.post(reverse("finance:invoice-list"), {"orders": [paid["order"].pk], "kind": "special"})
    assert response.status_code == 302
    request = InvoiceRequest.objects.get()
    assert request.amount_incl_tax == Decimal("532.00") and list(request.orders.all()) == [paid["order"]]
    invoice = invoices.issue(request, finance_operator())
    pdf = client.get(reverse("finance:invoice-pdf", args=[invoice.number]))
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert client.post(reverse("finance:invoice-confirm", args=[invoice.number])).status_code == 302
    invoice.refresh_from_db()
    assert invoice.buyer_confirmed_by == paid["buyer"]
    # another company's finance cannot reach it
    stranger = client_for(factories.distributor("stranger"))
    assert stranger.get(reverse("finance:invoice-pdf", args=[invoice.number])).status_code == 404
    assert stranger.post(reverse("finance:invoice-red", args=[invoice.number])).status_code == 404


def test_a_request_with_missing_details_says_what_and_where(paid):
    complete_invoicing(paid["company"], invoice_bank_account="")
    response = client_for(paid["buyer"]).post(
        reverse("finance:invoice-list"), {"orders": [paid["order"].pk], "kind": "special"}
    )
    assert response.status_code == 400 and not InvoiceRequest.objects.exists()
    assert "bank and account number" in response.content.decode()
    assert reverse("finance:invoice-details") in response.content.decode()


def test_invoicing_details_are_edited_by_admin_or_finance_and_bad_tax_numbers_refused(paid):
    client = client_for(paid["buyer"])
    response = client.post(reverse("finance:invoice-details"), {"invoice_title": "新抬头", "tax_number": "坏号"})
    assert response.status_code == 400
    paid["company"].refresh_from_db()
    assert paid["company"].invoice_title != "新抬头"
    ok = client.post(
        reverse("finance:invoice-details"),
        {
            "invoice_title": "新抬头有限公司",
            "tax_number": paid["company"].uscc.lower(),
            "invoice_address_phone": "上海市 021-1",
            "invoice_bank_account": "工行 1",
        },
    )
    assert ok.status_code == 302
    paid["company"].refresh_from_db()
    assert (paid["company"].invoice_title, paid["company"].tax_number) == ("新抬头有限公司", paid["company"].uscc)
    clerk = factories.person("clerk")
    factories.join(clerk, paid["company"], role="buyer")
    assert client_for(clerk).get(reverse("finance:invoice-list")).status_code == 403


def test_back_office_issues_and_rejects_only_in_the_finance_group(paid):
    request = invoices.request_invoice(paid["company"], [paid["order"]], "normal", paid["buyer"])
    url = reverse("finance-dashboard:invoice-request-detail", args=[request.number])
    looker = client_for(plain_operator())
    assert looker.get(url).status_code == 200
    looker.post(url, {"action": "issue"})
    assert not Invoice.objects.exists()
    finance = client_for(finance_operator())
    assert finance.post(url, {"action": "reject", "reason": ""}).status_code == 400
    assert finance.post(url, {"action": "issue"}).status_code == 302
    invoice = Invoice.objects.get()
    page = finance.get(reverse("finance-dashboard:invoice-request-list") + "?state=issued").content.decode()
    assert request.number in page and invoice.number in page
    assert finance.get(reverse("finance-dashboard:invoice-pdf", args=[invoice.number])).status_code == 200
    # a full red for an invoicing error, from the invoice's page
    red = finance.post(reverse("finance-dashboard:invoice-red", args=[invoice.number]), {"refund": ""})
    assert red.status_code == 302
    assert InvoiceRequest.objects.get(red_kind="full").amount_incl_tax == Decimal("-532.00")


def test_tax_rates_are_edited_in_the_back_office_with_clear_errors(catalogue):
    finance = client_for(finance_operator())
    fasteners = catalogue["categories"]["fasteners"]
    url = reverse("finance-dashboard:invoice-tax-category", args=[fasteners.pk])
    bad = finance.post(url, {"rate": "0.13", "code": "12345", "short_name": "金属制品"})
    assert bad.status_code == 400 and not TaxCategory.objects.exists()
    assert (
        finance.post(url, {"rate": "0.13", "code": "1090213010000000000", "short_name": "金属制品"}).status_code == 302
    )
    assert TaxCategory.objects.get(category=fasteners).rate == Decimal("0.1300")
    product_url = reverse("finance-dashboard:invoice-tax-product")
    unknown = finance.post(product_url, {"sku": "NOPE", "rate": "0.09", "code": "1" * 19, "short_name": "x"})
    assert unknown.status_code == 400 and "No product has this SKU" in unknown.content.decode()
    finance.post(product_url, {"sku": "DF-BV-2.5", "rate": "0.09", "code": "1" * 19, "short_name": "电线电缆"})
    assert ProductTax.objects.get().product == catalogue["wire"]
    page = finance.get(reverse("finance-dashboard:invoice-tax-rates")).content.decode()
    assert "1090213010000000000" in page and "电线电缆" in page
    # an operator outside the finance group may look, not change
    looker = client_for(plain_operator())
    looker.post(url, {"rate": "0.06", "code": "2" * 19, "short_name": "改"})
    assert TaxCategory.objects.get(category=fasteners).rate == Decimal("0.1300")


def test_product_basket_and_order_pages_show_rate_and_tax(paid):
    buyer_client = client_for(paid["buyer"])
    catalogue = paid["catalogue"]
    wire = catalogue["wire"]
    detail = buyer_client.get(wire.get_absolute_url()).content.decode()
    assert "finance-price-tax" in detail and "9%" in detail and "¥18.00" in detail
    buyer_client.post(reverse("basket:add", args=[wire.pk]), {"quantity": 1})
    basket = buyer_client.get(reverse("basket:summary")).content.decode()
    assert "finance-basket-tax" in basket and "¥18.00" in basket
    order_page = buyer_client.get(reverse("customer:order", args=[paid["order"].number])).content.decode()
    assert "finance-order-tax" in order_page
    assert "¥11.04" in order_page and "¥36.00" in order_page  # 13 %: 96.00 − 84.96; 9 %: 436.00 − 400.00


def test_the_order_e_mail_says_how_much_of_the_total_is_vat(paid, mailoutbox):
    from django.utils import translation

    from storefront.services.notifications import notify_order_placed

    with translation.override("en"):
        assert notify_order_placed(paid["order"].pk)
    (message,) = [m for m in mailoutbox if paid["order"].number in m.subject or paid["order"].number in m.body]
    assert "of the order total, VAT is CN¥47.04" in message.body  # (the English currency format)
    html = message.alternatives[0][0] if message.alternatives else ""
    assert "¥47.04" in html


def test_the_back_office_order_page_shows_the_tax_by_rate_and_the_invoice(paid):
    invoice = invoices.issue(
        invoices.request_invoice(paid["company"], [paid["order"]], "normal", paid["buyer"]), finance_operator()
    )
    page = client_for(factories.operator()).get(reverse("dashboard:order-detail", args=[paid["order"].number]))
    text = page.content.decode()
    assert page.status_code == 200 and "finance-order-tax" in text
    assert "¥11.04" in text and "¥36.00" in text and invoice.number in text
