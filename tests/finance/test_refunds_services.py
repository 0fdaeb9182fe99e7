"""退款单 services: request (lines, quantities, freight share, reasons), approval by finance,
execution to the original method with its postings to the fen, allocation to supplier orders and
the clawback after settlement, bad input refused with nothing changed; finance_check after each."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from oscar.core.loading import get_model

from core.orders.services import cancel_order
from core.statemachine import history
from plugins.finance import chart
from plugins.finance.models import CategoryCommission, JournalEntry, Refund, RefundAllocation, RefundLine
from plugins.finance.selectors import balance
from plugins.finance.selectors import refunds as sel
from plugins.finance.services import refunds
from plugins.finance.services.ledger import account
from plugins.finance.services.refunds import LineRequest
from plugins.member_tiers.services import credit
from tests import factories
from tests.finance.conftest import assert_books_hold, fen_of
from tests.finance.fixtures_refunds import (
    credit_account_of,
    finance_user,
    on_account_order,
    plain_operator,
    settle,
    transfer_order,
    transfer_order_with_freight,
)

pytestmark = pytest.mark.django_db
Y = Decimal
SupplierOrder = get_model("s2b2b_orders", "SupplierOrder")


def _line(order, sku):
    return order.lines.get(partner_sku=sku)


def _nothing_changed(before: tuple[int, int, int, int]):
    assert (Refund.objects.count(), RefundLine.objects.count(), RefundAllocation.objects.count()) == before[:3]
    assert JournalEntry.objects.count() == before[3]


def _counts():
    return (
        Refund.objects.count(),
        RefundLine.objects.count(),
        RefundAllocation.objects.count(),
        JournalEntry.objects.count(),
    )


@pytest.fixture
def finance():
    return finance_user()


@pytest.fixture
def freight_order(buyer, catalogue):
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    # 320.00 + 436.00 goods, freight 10.00 (jg) + 5.00 (df)
    return transfer_order_with_freight(
        buyer, [(catalogue["bolt"], 10), (catalogue["wire"], 2)], {jg: Y("10.00"), df: Y("5.00")}
    )


def test_a_transfer_refund_is_allocated_to_supplier_orders_and_posts_revenue_back_out_of_the_bank(
    buyer, catalogue, finance, freight_order
):
    order = freight_order
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    CategoryCommission.objects.create(supplier=jg, category=catalogue["categories"]["bolts"], rate=Y("0.0800"))
    assert sel.received_for_order(order) == Y("771.00") == sel.refundable_for_order(order)
    refund = refunds.request_refund(
        order,
        reason=Refund.Reason.RETURN,
        lines=[LineRequest(_line(order, "JG-HB-M8-30"), 3), LineRequest(_line(order, "DF-BV-2.5"), 1)],
        freight_amount="10.00",
        note="三件螺栓与一卷电线退回",
        by=buyer,
    )
    assert refund.number.startswith("TK-") and refund.state == Refund.State.REQUESTED
    assert (refund.goods_amount, refund.freight_amount, refund.amount) == (Y("314.00"), Y("10.00"), Y("324.00"))
    assert refund.method == Refund.Method.TRANSFER and refund.company_id == order.company_id
    assert sorted(refund.lines.values_list("quantity", "amount")) == [(1, Y("218.00")), (3, Y("96.00"))]
    shares = {a.supplier_order.partner_id: a for a in refund.allocations.select_related("supplier_order")}
    # freight 10.00 by 10:5 (largest remainder: 6.67 / 3.33); bolts at the category's 8 %, wire 5 %
    assert (shares[jg.pk].goods, shares[jg.pk].freight, shares[jg.pk].commission) == (Y("96.00"), Y("6.67"), Y("7.68"))
    assert (shares[df.pk].goods, shares[df.pk].freight, shares[df.pk].commission) == (
        Y("218.00"),
        Y("3.33"),
        Y("10.90"),
    )
    assert sel.refundable_for_order(order) == Y("447.00")
    assert sel.refunded_for_order(order) == Y("0.00")  # requested only

    refunds.approve(refund, finance)
    assert sel.refunded_for_order(order) == Y("324.00")
    refunds.execute(refund, payout_reference="PAYOUT-0001", by=finance)
    refund.refresh_from_db()
    assert refund.state == Refund.State.REFUNDED and refund.refunded_by == finance and refund.refunded_at
    entry = JournalEntry.objects.get(key=f"refund:{refund.number}")
    assert entry.kind == chart.REFUND and entry.order_number == order.number
    assert fen_of(entry) == {chart.REVENUE: 32400, chart.BANK: -32400}
    assert balance(account(chart.BANK)) == 77100 - 32400
    assert balance(account(chart.REVENUE)) == -(77100 - 32400)
    assert [(h.from_state, h.to_state) for h in history(refund)] == [
        ("requested", "approved"),
        ("approved", "refunded"),
    ]
    # nothing was settled: no clawback; settlement reads the shares
    assert not JournalEntry.objects.filter(kind=chart.CLAWBACK).exists()
    got = sel.refunded_by_supplier_order([shares[jg.pk].supplier_order_id, shares[df.pk].supplier_order_id])
    assert got[shares[jg.pk].supplier_order_id].clawback == Y("94.99")  # 96.00 + 6.67 − 7.68
    assert got[shares[df.pk].supplier_order_id].clawback == Y("210.43")  # 218.00 + 3.33 − 10.90
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))


def test_the_rest_of_a_line_and_freight_can_be_refunded_to_the_fen_and_not_a_fen_more(
    buyer, catalogue, finance, freight_order
):
    order = freight_order
    bolt, wire = _line(order, "JG-HB-M8-30"), _line(order, "DF-BV-2.5")
    refunds.request_refund(
        order, reason=Refund.Reason.ALLOWANCE, lines=[(wire, 0, "33.33")], freight_amount="0", by=finance
    )
    last = refunds.request_refund(
        order,
        reason=Refund.Reason.RETURN,
        lines=[(bolt, 10), (wire, 2)],  # the wire's rest: 436.00 − 33.33
        freight_amount="15.00",
        by=finance,
    )
    assert last.amount == Y("737.67") and sel.refundable_for_order(order) == Y("0.00")
    before = _counts()
    with pytest.raises(ValidationError) as refused:
        refunds.request_refund(order, reason=Refund.Reason.ALLOWANCE, lines=[], freight_amount="0.01", by=finance)
    assert "freight" in str(refused.value)
    with pytest.raises(ValidationError, match="at most 0 can still be returned"):
        refunds.request_refund(order, reason=Refund.Reason.RETURN, lines=[(bolt, 1)], by=finance)
    with pytest.raises(ValidationError, match="at most ¥0.00 can still be refunded for this line"):
        refunds.request_refund(order, reason=Refund.Reason.ALLOWANCE, lines=[(bolt, 0, "0.01")], by=finance)
    _nothing_changed(before)
    # a rejected request gives its hold back
    refunds.reject(last, "数量有误", finance)
    assert sel.refundable_for_order(order) == Y("737.67")
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))


@pytest.mark.parametrize(
    "lines, freight, reason, message",
    [
        ([("bolt", 11, None)], "0", "return", "at most 10 can still be returned"),
        ([("bolt", -1, None)], "0", "return", "cannot be negative"),
        ([("bolt", 1, "-5.00")], "0", "return", "must be positive"),
        ([("bolt", 1, "1.005")], "0", "return", "two decimals"),
        ([("bolt", 1, "abc")], "0", "return", "such as 12.50"),
        ([("bolt", 1, "32.01")], "0", "return", r"1 × ¥32.00 is at most ¥32.00"),
        ([("bolt", 0, "320.01")], "0", "allowance", "at most ¥320.00"),
        ([("bolt", 0, "10.00")], "0", "return", "a sales return gives back goods"),
        ([("bolt", 1, None), ("bolt", 1, None)], "0", "return", "listed twice"),
        ([], "0.01", "return", "freight"),
        ([], "-1.00", "return", "freight"),
        ([], "0", "return", "the refund is ¥0.00"),
        ([("bolt", 1, None)], "0", "because", "Choose a reason"),
    ],
)
def test_bad_requests_are_refused_with_a_clear_error_and_change_nothing(
    buyer, catalogue, finance, lines, freight, reason, message
):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])  # 320.00, no freight
    before = _counts()
    with pytest.raises(ValidationError, match=message):
        refunds.request_refund(
            order,
            reason=reason,
            lines=[(_line(order, "JG-HB-M8-30"), q, a) for _sku, q, a in lines],
            freight_amount=freight,
            by=finance,
        )
    _nothing_changed(before)


def test_a_line_of_another_order_and_an_order_never_paid_are_refused(buyer, catalogue, finance):
    paid = transfer_order(buyer, [(catalogue["bolt"], 2)])
    other = transfer_order(buyer, [(catalogue["nut"], 2)])
    with pytest.raises(ValidationError, match="another order"):
        refunds.request_refund(paid, reason="return", lines=[(other.lines.get(), 1)], by=finance)
    unpaid = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    with pytest.raises(ValidationError, match="cannot exceed what was received: received ¥0.00"):
        refunds.request_refund(unpaid, reason="return", lines=[(unpaid.lines.get(), 1)], by=finance)
    assert not Refund.objects.exists()


def test_who_may_request_approve_and_pay(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    line = order.lines.get()
    stranger = factories.distributor("stranger")
    with pytest.raises(PermissionDenied):
        refunds.request_refund(order, reason="return", lines=[(line, 1)], by=stranger)
    colleague = factories.person("colleague")
    factories.join(colleague, order.company, role="buyer")  # a buyer, not 财务/admin
    with pytest.raises(PermissionDenied):
        refunds.request_refund(order, reason="return", lines=[(line, 1)], by=colleague)
    accountant = factories.person("accountant")
    factories.join(accountant, order.company, role="finance")
    refund = refunds.request_refund(order, reason="return", lines=[(line, 1)], by=accountant)
    clerk = plain_operator()
    refunds.request_refund(order, reason="return", lines=[(line, 1)], by=clerk)  # may request
    for act in (
        lambda: refunds.approve(refund, clerk),
        lambda: refunds.reject(refund, "不行", clerk),
        lambda: refunds.approve(refund, buyer),
    ):
        with pytest.raises(PermissionDenied):
            act()
    refund.refresh_from_db()
    assert refund.state == Refund.State.REQUESTED
    with pytest.raises(ValidationError, match="cannot become"):
        refunds.execute(refund, payout_reference="P-1", by=finance)  # not approved yet
    with pytest.raises(ValidationError, match="Say why"):
        refunds.reject(refund, "  ", finance)
    refunds.approve(refund, finance)
    with pytest.raises(ValidationError, match="reference of the bank transfer"):
        refunds.execute(refund, by=finance)
    refunds.reject(refund, "客户撤回", finance)  # an approved refund not paid yet may still be rejected
    refund.refresh_from_db()
    assert refund.state == Refund.State.REJECTED and refund.rejection_reason == "客户撤回"
    with pytest.raises(ValidationError, match="cannot become"):
        refunds.approve(refund, finance)
    assert not JournalEntry.objects.filter(kind=chart.REFUND).exists()
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))


def test_a_payout_reference_is_used_once(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    first = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 1)], by=finance)
    second = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 1)], by=finance)
    for r in (first, second):
        refunds.approve(r, finance)
    refunds.execute(first, payout_reference="WIRE-9", by=finance)
    with pytest.raises(ValidationError, match="used for another refund"):
        refunds.execute(second, payout_reference="WIRE-9", by=finance)
    second.refresh_from_db()
    assert second.state == Refund.State.APPROVED
    assert JournalEntry.objects.filter(kind=chart.REFUND).count() == 1
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))


def test_an_invoicing_error_refunds_the_whole_order_once(buyer, catalogue, finance, freight_order):
    order = freight_order
    refund = refunds.request_refund(order, reason=Refund.Reason.INVOICE_ERROR, by=finance)
    assert (refund.goods_amount, refund.freight_amount, refund.amount) == (Y("756.00"), Y("15.00"), Y("771.00"))
    assert refund.lines.count() == 2
    assert sum(a.goods + a.freight for a in refund.allocations.all()) == Y("771.00")
    with pytest.raises(ValidationError, match="has refunds already"):
        refunds.request_refund(order, reason=Refund.Reason.INVOICE_ERROR, by=finance)
    refunds.approve(refund, finance)
    refunds.execute(refund, payout_reference="RED-1", by=finance)
    assert balance(account(chart.REVENUE)) == 0 == balance(account(chart.BANK))
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))


def test_on_account_a_refund_restores_credit(credit_buyer, catalogue, finance):
    order = on_account_order(credit_buyer, [(catalogue["bolt"], 10)])  # 320.00 on credit
    assert sel.method_of(order) == Refund.Method.ON_ACCOUNT and sel.received_for_order(order) == Y("320.00")
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=credit_buyer)
    refunds.approve(refund, finance)
    refunds.execute(refund, by=finance)  # no payout: the credit comes back
    line = credit_account_of(credit_buyer)
    assert line.balance == Y("224.00")
    assert credit.outstanding_by_order(line)[order.number] == Y("224.00")
    entry = JournalEntry.objects.get(kind=chart.CREDIT_REFUND, order_number=order.number)
    assert fen_of(entry) == {chart.REVENUE: 9600, chart.RECEIVABLE_ON_ACCOUNT: -9600}
    assert not JournalEntry.objects.filter(kind=chart.REFUND).exists()
    assert_books_hold(credit_buyer, warnings_ok=False, skip_areas=("settlement",))


def test_on_account_partly_repaid_restores_what_is_owed_and_pays_the_rest_back(credit_buyer, catalogue, finance):
    order = on_account_order(credit_buyer, [(catalogue["bolt"], 10)])  # 320.00
    credit.record_repayment(credit_account_of(credit_buyer), Y("300.00"), reason="网银还款")  # 20.00 still owed
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=finance)  # 96.00
    refunds.approve(refund, finance)
    refunds.execute(refund, payout_reference="BACK-1", by=finance)
    assert credit_account_of(credit_buyer).balance == Y("0.00")
    restored = JournalEntry.objects.get(kind=chart.CREDIT_REFUND, order_number=order.number)
    assert fen_of(restored) == {chart.REVENUE: 2000, chart.RECEIVABLE_ON_ACCOUNT: -2000}
    held = JournalEntry.objects.get(key=f"refund:{refund.number}")
    assert fen_of(held) == {chart.REVENUE: 7600, chart.UNAPPLIED: -7600}
    paid = JournalEntry.objects.get(key=f"refund:{refund.number}:payout")
    assert fen_of(paid) == {chart.UNAPPLIED: 7600, chart.BANK: -7600}
    assert balance(account(chart.UNAPPLIED, company_id=order.company_id)) == 0
    assert balance(account(chart.BANK)) == 30000 - 7600
    assert_books_hold(credit_buyer, warnings_ok=False, skip_areas=("settlement",))

    # the order is cancelled afterwards: only what the company has not got back is held for it
    cancel_order(order, reason="客户取消")
    assert balance(account(chart.REVENUE)) == 0
    assert balance(account(chart.UNAPPLIED, company_id=order.company_id)) == -(30000 - 7600)
    assert_books_hold(credit_buyer, warnings_ok=False, skip_areas=("settlement",))


def test_on_account_repaid_without_a_payout_the_rest_stays_as_the_companys_unapplied_money(
    credit_buyer, catalogue, finance
):
    order = on_account_order(credit_buyer, [(catalogue["nut"], 5)])  # 99.00
    credit.record_repayment(credit_account_of(credit_buyer), Y("99.00"), reason="还清")
    refund = refunds.request_refund(
        order, reason="allowance", lines=[(order.lines.get(), 0, "9.90")], note="质量折让", by=finance
    )
    refunds.approve(refund, finance)
    refunds.execute(refund, by=finance)
    assert fen_of(JournalEntry.objects.get(key=f"refund:{refund.number}")) == {
        chart.REVENUE: 990,
        chart.UNAPPLIED: -990,
    }
    assert not JournalEntry.objects.filter(key=f"refund:{refund.number}:payout").exists()
    assert balance(account(chart.UNAPPLIED, company_id=order.company_id)) == -990
    assert_books_hold(credit_buyer, warnings_ok=False, skip_areas=("settlement",))


def test_a_share_of_a_settled_supplier_order_is_clawed_back(buyer, catalogue, finance, freight_order):
    order = freight_order
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    settled = SupplierOrder.objects.get(order=order, partner=jg)
    settle(settled, state="paid")
    draft = SupplierOrder.objects.get(order=order, partner=df)
    settle(draft, state="draft", number="JS-TEST-0002")  # a draft batch has not settled it
    refund = refunds.request_refund(
        order,
        reason="return",
        lines=[(_line(order, "JG-HB-M8-30"), 3), (_line(order, "DF-BV-2.5"), 1)],
        freight_amount="10.00",
        by=finance,
    )
    refunds.approve(refund, finance)
    refunds.execute(refund, payout_reference="P-77", by=finance)
    share = refund.allocations.get(supplier_order=settled)
    entry = JournalEntry.objects.get(key=f"clawback:{share.pk}")
    assert entry.kind == chart.CLAWBACK and entry.supplier_order_number == settled.number
    # goods 96.00 + freight 6.67 = 102.67; commission 5 % of 96.00 = 4.80
    assert fen_of(entry) == {chart.PAYABLE: 9787, chart.COMMISSION: 480, chart.COST_OF_GOODS: -10267}
    payable = entry.postings.get(account__code=chart.PAYABLE).account
    assert payable.supplier_id == jg.pk
    assert JournalEntry.objects.filter(kind=chart.CLAWBACK).count() == 1
    assert sel.clawed_back_allocation_ids() == {share.pk}
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))


def test_a_rerouted_supplier_order_takes_the_refund_of_its_lines(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    first = SupplierOrder.objects.get(order=order)
    backup = factories.supplier("bk", "备用供应商")
    replacement = SupplierOrder.objects.create(
        number=f"{order.number}-S9",
        order=order,
        partner=backup,
        sequence=9,
        subtotal=first.subtotal,
        deadline_at=first.deadline_at,
        replaces=first,
    )
    SupplierOrder.objects.filter(pk=first.pk).update(state="rejected", rejection_reason="缺货")
    first.lines.get().__class__.objects.create(
        supplier_order=replacement,
        order_line=order.lines.get(),
        sku="JG-HB-M8-30",
        name="外六角螺栓",
        quantity=10,
        unit_price=Y("32.00"),
        line_total=Y("320.00"),
    )
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 1)], by=finance)
    assert list(refund.allocations.values_list("supplier_order_id", "goods")) == [(replacement.pk, Y("32.00"))]


def test_a_partial_return_of_a_discounted_line_gives_back_what_was_paid_for_it(buyer, catalogue, finance):
    """Oscar keeps the unit price before discounts; the money came in after them. 10 of 20 bolts
    (32.00 each, 640.00) from an order with 满500减50 give back half of 590.00, not 10 × 32.00."""
    from tests.bigdata.marketing_world import place, site_offer

    site_offer("满500减50", minimum="500", off="50")
    order = place(buyer, [(catalogue["bolt"], 20)])
    bolts = _line(order, "JG-HB-M8-30")
    assert (bolts.unit_price_incl_tax, bolts.line_price_incl_tax) == (Y("32.00"), Y("590.00"))
    refund = refunds.request_refund(
        order, reason=Refund.Reason.RETURN, lines=[LineRequest(bolts, 10)], freight_amount="0", by=buyer
    )
    assert refund.goods_amount == Y("295.00")
    before = _counts()
    with pytest.raises(refunds.RefundError) as refused:
        refunds.request_refund(
            order, reason=Refund.Reason.RETURN, lines=[LineRequest(bolts, 3, "100.00")], freight_amount="0", by=buyer
        )
    assert "3 × ¥29.50 is at most ¥88.50" in str(refused.value.message_dict["lines"])
    _nothing_changed(before)
    # the rest of the line: exactly what is left of it
    rest = refunds.request_refund(
        order, reason=Refund.Reason.RETURN, lines=[LineRequest(bolts, 10)], freight_amount="0", by=buyer
    )
    assert rest.goods_amount == Y("295.00")
