"""Invoice requests (开票申请), issuing through the provider, the buyer's confirmation: the rules
of DOMAIN-FACTS "Fapiao (数电票)", bad input refused with nothing changed, amounts to the fen."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.orders.services import cancel_order
from plugins.finance.invoices import providers
from plugins.finance.models import Invoice, InvoiceLine, InvoiceRequest
from plugins.finance.services import invoices
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_invoices import (
    FASTENER_CODE,
    complete_invoicing,
    finance_operator,
    plain_operator,
    tax_classes,
)
from tests.logistics.conftest import freight  # noqa: F401 - the fixture: weights and freight templates

pytestmark = pytest.mark.django_db
SPECIAL, NORMAL = InvoiceRequest.Kind.SPECIAL, InvoiceRequest.Kind.NORMAL


@pytest.fixture
def setup(catalogue, buyer):
    tax_classes(catalogue)
    company = complete_invoicing(factories.company_of(buyer))
    order = factories.place_order(buyer, [(catalogue["bolt"], 3), (catalogue["wire"], 2)], paid=True)
    return {"catalogue": catalogue, "buyer": buyer, "company": company, "order": order}


def test_request_lines_are_named_by_class_and_split_per_line_to_the_fen(setup):
    request = invoices.request_invoice(setup["company"], [setup["order"]], SPECIAL, setup["buyer"])
    assert request.number.startswith("KP-") and request.state == InvoiceRequest.State.REQUESTED
    assert (request.buyer_name, request.buyer_tax_number) == (setup["company"].legal_name, setup["company"].uscc)
    assert request.buyer_bank_account.startswith("招商银行")
    lines = {line.tax_code: line for line in request.lines.all()}
    bolt, wire = lines[FASTENER_CODE], lines["1090314010000000000"]
    # 3 × ¥32.00 = ¥96.00 at 13 %: tax 11.04 (96 × 13/113 = 11.0442…), amount 84.96
    assert (bolt.name, bolt.quantity, bolt.amount, bolt.tax, bolt.rate) == (
        "*金属制品*外六角螺栓 M8×30",
        Decimal("3"),
        Decimal("84.96"),
        Decimal("11.04"),
        Decimal("0.13"),
    )
    assert bolt.unit_price == Decimal("28.32000000") and bolt.order_id == setup["order"].pk
    assert (wire.name, wire.amount, wire.tax, wire.rate) == (
        "*电线电缆*BV铜芯电线 2.5mm²",
        Decimal("400.00"),
        Decimal("36.00"),
        Decimal("0.09"),
    )
    assert (request.amount_excl_tax, request.tax, request.amount_incl_tax) == (
        Decimal("484.96"),
        Decimal("47.04"),
        Decimal("532.00"),
    )
    assert request.amount_incl_tax == setup["order"].total_incl_tax


def test_freight_is_a_line_taxed_as_the_goods_it_carries(freight, buyer):  # noqa: F811
    tax_classes(freight)
    company = complete_invoicing(factories.company_of(buyer))
    order = factories.place_order(buyer, [(freight["bolt"], 3), (freight["nut"], 5)], paid=True)
    assert order.shipping_incl_tax == Decimal("12.00")
    request = invoices.request_invoice(company, [order], NORMAL, buyer)
    carriage = request.lines.get(order_line__isnull=True)
    assert (carriage.name, carriage.quantity, carriage.amount, carriage.tax, carriage.tax_code) == (
        "*金属制品*Freight",
        Decimal("1"),
        Decimal("10.62"),
        Decimal("1.38"),
        FASTENER_CODE,
    )
    assert request.amount_incl_tax == order.total_incl_tax == Decimal("207.00")


def test_special_invoice_needs_all_four_details_and_names_what_is_missing(setup):
    company = setup["company"]
    company.invoice_address_phone = ""
    company.invoice_bank_account = "  "
    company.save()
    with pytest.raises(ValidationError) as refused:
        invoices.request_invoice(company, [setup["order"]], SPECIAL, setup["buyer"])
    message = str(refused.value.message_dict["kind"])
    assert "address and telephone" in message and "bank and account number" in message
    assert "Invoicing details" in message  # where to fill them in
    assert not InvoiceRequest.objects.exists() and not InvoiceLine.objects.exists()
    # a normal invoice needs the name and the tax number only
    assert invoices.request_invoice(company, [setup["order"]], NORMAL, setup["buyer"]).kind == NORMAL


def test_normal_invoice_for_a_company_needs_its_tax_number(setup):
    company = complete_invoicing(setup["company"], tax_number="")
    with pytest.raises(ValidationError) as refused:
        invoices.request_invoice(company, [setup["order"]], NORMAL, setup["buyer"])
    assert "taxpayer identification number" in str(refused.value)
    assert not InvoiceRequest.objects.exists()


def test_only_paid_uncancelled_own_uninvoiced_orders(setup, catalogue):
    buyer, company = setup["buyer"], setup["company"]
    unpaid = factories.place_order(buyer, [(catalogue["nut"], 1)])  # secured on account, not paid
    with pytest.raises(ValidationError) as refused:
        invoices.request_invoice(company, [setup["order"], unpaid], NORMAL, buyer)
    assert unpaid.number in str(refused.value) and not InvoiceRequest.objects.exists()

    other = factories.distributor("other")
    theirs = factories.place_order(other, [(catalogue["nut"], 1)], paid=True)
    with pytest.raises(ValidationError, match="own orders"):
        invoices.request_invoice(company, [theirs], NORMAL, buyer)

    cancelled = factories.place_order(buyer, [(catalogue["nut"], 2)], paid=True)
    cancel_order(cancelled, reason="test", actor=None)
    with pytest.raises(ValidationError, match="cancelled"):
        invoices.request_invoice(company, [cancelled], NORMAL, buyer)

    with pytest.raises(ValidationError, match="at least one"):
        invoices.request_invoice(company, [], NORMAL, buyer)
    with pytest.raises(ValidationError, match="invoice type"):
        invoices.request_invoice(company, [setup["order"]], "fancy", buyer)

    invoices.request_invoice(company, [setup["order"]], NORMAL, buyer)
    with pytest.raises(ValidationError, match="invoiced already"):
        invoices.request_invoice(company, [setup["order"]], NORMAL, buyer)
    assert InvoiceRequest.objects.count() == 1


def test_goods_without_a_classification_code_are_named(setup, catalogue):
    order = factories.place_order(setup["buyer"], [(catalogue["breaker"], 1)], paid=True)
    with pytest.raises(ValidationError) as refused:
        invoices.request_invoice(setup["company"], [order], NORMAL, setup["buyer"])
    assert "小型断路器 1P C16" in str(refused.value) and "Tax rates" in str(refused.value)
    assert not InvoiceRequest.objects.exists()


def test_who_may_request(setup):
    clerk = factories.person("clerk")
    factories.join(clerk, setup["company"], role="buyer")
    with pytest.raises(PermissionDenied):
        invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, clerk)
    accountant = factories.person("accountant")
    factories.join(accountant, setup["company"], role="finance")
    assert invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, accountant).requested_by == accountant


def test_issue_records_a_unique_20_digit_number_and_a_chinese_pdf(setup):
    finance = finance_operator()
    first = invoices.request_invoice(setup["company"], [setup["order"]], SPECIAL, setup["buyer"])
    with pytest.raises(PermissionDenied):
        invoices.issue(first, plain_operator())
    invoice = invoices.issue(first, finance)
    first.refresh_from_db()
    assert first.state == InvoiceRequest.State.ISSUED and first.decided_by == finance
    assert len(invoice.number) == 20 and invoice.number.isdigit() and invoice.number[4] == "0"
    assert (invoice.amount_incl_tax, invoice.tax, invoice.is_red) == (Decimal("532.00"), Decimal("47.04"), False)
    assert invoice.lines.count() == 2 and invoice.provider == "built-in"
    with invoice.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    with pytest.raises(ValidationError, match="cannot become"):
        invoices.issue(first, finance)
    second_order = factories.place_order(setup["buyer"], [(setup["catalogue"]["nut"], 1)], paid=True)
    second = invoices.issue(invoices.request_invoice(setup["company"], [second_order], NORMAL, setup["buyer"]), finance)
    assert int(second.number) == int(invoice.number) + 1
    assert_books_hold()


def test_a_provider_failure_records_nothing(setup, settings):
    class Refusing:
        name = "refusing"

        def issue(self, request, *, lines, issued_at):
            raise providers.ProviderError("税务平台维护中")

    settings.FINANCE_INVOICE_PROVIDER = f"{__name__}.Refusing"
    globals()["Refusing"] = Refusing
    request = invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, setup["buyer"])
    with pytest.raises(ValidationError, match="税务平台维护中"):
        invoices.issue(request, finance_operator())
    request.refresh_from_db()
    assert request.state == InvoiceRequest.State.REQUESTED and not Invoice.objects.exists()
    assert not request.lines.filter(invoice__isnull=False).exists()


def test_reject_needs_a_reason_and_frees_the_orders(setup):
    finance = finance_operator()
    request = invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, setup["buyer"])
    with pytest.raises(ValidationError, match="reason"):
        invoices.reject(request, "  ", finance)
    invoices.reject(request, "抬头有误", finance)
    request.refresh_from_db()
    assert (request.state, request.rejection_reason) == (InvoiceRequest.State.REJECTED, "抬头有误")
    again = invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, setup["buyer"])
    assert again.pk != request.pk


def test_confirm_received_by_the_buyer_only_once(setup):
    invoice = invoices.issue(
        invoices.request_invoice(setup["company"], [setup["order"]], SPECIAL, setup["buyer"]), finance_operator()
    )
    with pytest.raises(PermissionDenied):
        invoices.confirm_received(invoice, factories.distributor("stranger"))
    invoices.confirm_received(invoice, setup["buyer"])
    invoice.refresh_from_db()
    assert invoice.buyer_confirmed_at is not None and invoice.buyer_confirmed_by == setup["buyer"]
    with pytest.raises(ValidationError, match="confirmed already"):
        invoices.confirm_received(invoice, setup["buyer"])


def test_finance_check_flags_an_order_invoiced_above_its_total(setup):
    invoice = invoices.issue(
        invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, setup["buyer"]), finance_operator()
    )
    assert assert_books_hold().errors == []
    line = invoice.lines.first()
    InvoiceLine.objects.filter(pk=line.pk).update(amount=line.amount + 100)
    from plugins.finance.services.reconcile import check

    errors = check().errors
    assert any(setup["order"].number in e and "exceeds" in e for e in errors)
    assert any(invoice.number in e and "sums of its lines" in e for e in errors)


def test_an_order_cancelled_between_request_and_issue_is_not_invoiced(setup):
    request = invoices.request_invoice(setup["company"], [setup["order"]], NORMAL, setup["buyer"])
    cancel_order(setup["order"], reason="客户取消", actor=None)
    finance = finance_operator()
    with pytest.raises(ValidationError, match="cancelled after the request"):
        invoices.issue(request, finance)
    request.refresh_from_db()
    assert request.state == InvoiceRequest.State.REQUESTED and not Invoice.objects.exists()
    invoices.reject(request, "订单已取消", finance)
    assert_books_hold()
