"""Red-letter invoices (红字确认单) after refunds: full red while the buyer has not confirmed the blue
invoice, partial red (negative quantities, positive unit price) only after confirmation and only
for returns and allowances, invoicing errors only full red; an executed refund asks by itself."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from plugins.finance.models import Invoice, InvoiceRequest, Refund
from plugins.finance.selectors import invoices as selectors
from plugins.finance.services import invoices
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_invoices import complete_invoicing, executed_refund, finance_operator, tax_classes

pytestmark = pytest.mark.django_db
RedKind, State = InvoiceRequest.RedKind, InvoiceRequest.State


@pytest.fixture
def blue(catalogue, buyer):
    tax_classes(catalogue)
    company = complete_invoicing(factories.company_of(buyer))
    order = factories.place_order(buyer, [(catalogue["bolt"], 3), (catalogue["wire"], 2)], paid=True)
    finance = finance_operator()
    invoice = invoices.issue(invoices.request_invoice(company, [order], "special", buyer), finance)
    lines = {line.partner_sku: line for line in order.lines.all()}
    return {"invoice": invoice, "order": order, "buyer": buyer, "company": company, "finance": finance, "lines": lines}


def test_unconfirmed_invoice_an_executed_return_makes_a_full_red_by_itself(blue):
    refund = executed_refund(blue["order"], lines=[(blue["lines"]["JG-HB-M8-30"], 1, "32.00")])
    red = InvoiceRequest.objects.get(refund=refund)
    assert (red.red_kind, red.state, red.blue_invoice_id) == (RedKind.FULL, State.REQUESTED, blue["invoice"].pk)
    assert (red.amount_excl_tax, red.tax, red.amount_incl_tax) == (
        Decimal("-484.96"),
        Decimal("-47.04"),
        Decimal("-532.00"),
    )
    assert all(line.quantity < 0 and line.unit_price > 0 and line.amount < 0 for line in red.lines.all())
    # the order stays invoiced until the red is issued
    assert selectors.invoiceable_orders(blue["company"]).filter(pk=blue["order"].pk).count() == 0
    red_invoice = invoices.issue(red, blue["finance"])
    assert red_invoice.is_red and red_invoice.amount_incl_tax == Decimal("-532.00")
    with red_invoice.pdf.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    # then it may be invoiced again, net of the refund: ¥532 − ¥32
    again = invoices.request_invoice(blue["company"], [blue["order"]], "special", blue["buyer"])
    bolt = again.lines.get(order_line=blue["lines"]["JG-HB-M8-30"])
    assert (bolt.quantity, bolt.amount + bolt.tax) == (Decimal("2"), Decimal("64.00"))
    assert again.amount_incl_tax == Decimal("500.00")
    invoices.issue(again, blue["finance"])
    assert selectors.invoiced_by_order([blue["order"].pk]) == {blue["order"].pk: Decimal("500.00")}
    assert_books_hold(skip_areas=("refunds",))  # executed_refund writes the row, not its postings


def test_confirmed_invoice_a_return_is_offset_in_part_with_negative_quantities(blue):
    invoices.confirm_received(blue["invoice"], blue["buyer"])
    refund = executed_refund(blue["order"], lines=[(blue["lines"]["JG-HB-M8-30"], 2, "64.00")])
    red = InvoiceRequest.objects.get(refund=refund)
    assert red.red_kind == RedKind.PARTIAL
    (line,) = red.lines.all()
    assert (line.name, line.quantity, line.unit_price, line.amount, line.tax) == (
        "*金属制品*外六角螺栓 M8×30",
        Decimal("-2"),
        Decimal("28.32000000"),
        Decimal("-56.64"),
        Decimal("-7.36"),
    )
    assert red.amount_incl_tax == Decimal("-64.00")
    invoices.issue(red, blue["finance"])
    assert selectors.invoiced_by_order([blue["order"].pk]) == {blue["order"].pk: Decimal("468.00")}
    assert_books_hold(skip_areas=("refunds",))


def test_confirmed_invoice_an_allowance_has_no_quantity(blue):
    invoices.confirm_received(blue["invoice"], blue["buyer"])
    refund = executed_refund(blue["order"], reason="allowance", lines=[(blue["lines"]["DF-BV-2.5"], 0, "21.80")])
    (line,) = InvoiceRequest.objects.get(refund=refund).lines.all()
    assert (line.quantity, line.unit_price, line.amount, line.tax, line.rate) == (
        Decimal("0"),
        Decimal("0"),
        Decimal("-20.00"),
        Decimal("-1.80"),
        Decimal("0.09"),
    )


def test_invoicing_error_after_confirmation_only_by_the_buyer_and_only_full(blue):
    invoices.confirm_received(blue["invoice"], blue["buyer"])
    refund = executed_refund(
        blue["order"],
        reason="invoice_error",
        lines=[(blue["lines"]["JG-HB-M8-30"], 3, "96.00"), (blue["lines"]["DF-BV-2.5"], 2, "436.00")],
    )
    assert not InvoiceRequest.objects.filter(refund=refund).exists()  # the system may not: the buyer asks
    with pytest.raises(ValidationError, match="only the buyer"):
        invoices.request_red(blue["invoice"], refund=refund, by=blue["finance"])
    red = invoices.request_red(blue["invoice"], refund=refund, by=blue["buyer"])
    assert red.red_kind == RedKind.FULL and red.amount_incl_tax == Decimal("-532.00")
    with pytest.raises(ValidationError, match="fully reversed"):
        invoices.request_red(blue["invoice"], refund=None, by=blue["buyer"])


def test_bad_red_requests_are_refused_and_change_nothing(blue, catalogue):
    order = blue["order"]
    pending = Refund.objects.create(
        number="TK-PENDING",
        order=order,
        company=order.company,
        reason="return",
        goods_amount=Decimal("32.00"),
        amount=Decimal("32.00"),
        method="bank-transfer",
    )
    with pytest.raises(ValidationError, match="paid back"):
        invoices.request_red(blue["invoice"], refund=pending, by=blue["finance"])
    other = factories.place_order(blue["buyer"], [(catalogue["nut"], 1)], paid=True)
    elsewhere = executed_refund(other, lines=[(other.lines.get(), 1, "19.80")])
    with pytest.raises(ValidationError, match="does not cover"):
        invoices.request_red(blue["invoice"], refund=elsewhere, by=blue["finance"])
    assert not InvoiceRequest.objects.exclude(red_kind="").exists()
    red = invoices.issue(invoices.request_red(blue["invoice"], refund=None, by=blue["finance"]), blue["finance"])
    with pytest.raises(ValidationError, match="cannot itself"):
        invoices.request_red(red, refund=None, by=blue["finance"])
    assert Invoice.objects.count() == 2


def test_partial_reds_never_exceed_the_blue_invoice(blue):
    invoices.confirm_received(blue["invoice"], blue["buyer"])
    first = executed_refund(blue["order"], lines=[(blue["lines"]["DF-BV-2.5"], 2, "436.00")])
    invoices.issue(InvoiceRequest.objects.get(refund=first), blue["finance"])
    too_much = executed_refund(blue["order"], reason="allowance", lines=[(blue["lines"]["DF-BV-2.5"], 0, "100.00")])
    assert not InvoiceRequest.objects.filter(refund=too_much).exists()  # the receiver refuses quietly
    with pytest.raises(ValidationError, match="exceeds what the invoice has left"):
        invoices.request_red(blue["invoice"], refund=too_much, by=blue["finance"])


def test_two_refunds_in_a_row_each_get_their_partial_red(blue):
    invoices.confirm_received(blue["invoice"], blue["buyer"])
    first = executed_refund(blue["order"], lines=[(blue["lines"]["JG-HB-M8-30"], 1, "32.00")])
    second = executed_refund(blue["order"], lines=[(blue["lines"]["DF-BV-2.5"], 1, "218.00")])
    reds = {r.refund_id: r for r in InvoiceRequest.objects.exclude(red_kind="")}
    assert reds[first.pk].amount_incl_tax == Decimal("-32.00") and reds[second.pk].amount_incl_tax == Decimal("-218.00")
    assert selectors.red_total(blue["invoice"]) == Decimal("250.00")
