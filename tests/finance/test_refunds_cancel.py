"""Money-path regressions: an order cancelled midway through a refund (requested, approved, or
already paid out) loses nothing and pays nothing twice; finance_check after every step."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.orders.services import cancel_order
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Refund
from plugins.finance.selectors import balance
from plugins.finance.selectors import refunds as sel
from plugins.finance.services import refunds
from plugins.finance.services.ledger import account
from plugins.member_tiers.services import credit
from tests.finance.conftest import assert_books_hold, fen_of
from tests.finance.fixtures_refunds import credit_account_of, finance_user, on_account_order, transfer_order

pytestmark = pytest.mark.django_db
Y = Decimal


@pytest.fixture
def finance():
    return finance_user()


def _held(order) -> int:
    return -balance(account(chart.UNAPPLIED, company_id=order.company_id))


def test_transfer_order_cancelled_between_approval_and_payout_pays_the_held_money_back(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])  # 320.00 received
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=buyer)
    refunds.approve(refund, finance)
    cancel_order(order, reason="客户取消")
    assert _held(order) == 32000  # the cancellation holds the whole payment for the company
    assert_books_hold(warnings_ok=False)
    with pytest.raises(ValidationError, match="was cancelled: its money is held"):
        refunds.execute(refund, by=finance)
    refund.refresh_from_db()
    assert refund.state == Refund.State.APPROVED
    refunds.execute(refund, payout_reference="BACK-9600", by=finance)
    entry = JournalEntry.objects.get(key=f"refund:{refund.number}")
    assert fen_of(entry) == {chart.UNAPPLIED: 9600, chart.BANK: -9600}
    assert _held(order) == 32000 - 9600
    assert balance(account(chart.REVENUE)) == 0 and balance(account(chart.BANK)) == 32000 - 9600
    assert sel.refundable_for_order(order) == Y("224.00")
    assert_books_hold(warnings_ok=False)


def test_transfer_order_cancelled_after_a_refund_was_paid_holds_only_what_was_not_paid_back(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=buyer)
    refunds.approve(refund, finance)
    refunds.execute(refund, payout_reference="BACK-1", by=finance)
    cancel_order(order, reason="客户取消")
    correction = JournalEntry.objects.get(key=f"order:{order.number}:cancelled:refunds")
    assert fen_of(correction) == {chart.UNAPPLIED: 9600, chart.REVENUE: -9600}
    assert _held(order) == 22400 and balance(account(chart.REVENUE)) == 0
    assert balance(account(chart.BANK)) == 22400
    cancel_order(order, reason="再次")  # once
    assert JournalEntry.objects.filter(key__startswith=f"order:{order.number}:cancelled").count() == 2
    assert_books_hold(warnings_ok=False)
    # the rest is refundable, paid out of the held money
    rest = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 7)], by=finance)
    assert rest.amount == Y("224.00")
    refunds.approve(rest, finance)
    refunds.execute(rest, payout_reference="BACK-2", by=finance)
    assert _held(order) == 0 == balance(account(chart.BANK))
    assert_books_hold(warnings_ok=False)


def test_on_account_refund_restored_then_order_cancelled_releases_only_the_rest(credit_buyer, catalogue, finance):
    order = on_account_order(credit_buyer, [(catalogue["bolt"], 10)])
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=finance)
    refunds.approve(refund, finance)
    refunds.execute(refund, by=finance)
    cancel_order(order, reason="客户取消")
    line = credit_account_of(credit_buyer)
    assert line.balance == Y("0.00")
    assert balance(account(chart.REVENUE)) == 0 and _held(order) == 0
    # charged 96.00 (reserved 320.00, released 224.00), all of it refunded: nothing left to refund
    assert sel.received_for_order(order) == Y("96.00") and sel.refundable_for_order(order) == Y("0.00")
    assert_books_hold(credit_buyer, warnings_ok=False)


def test_on_account_cancelled_midway_the_approved_refund_above_what_was_repaid_is_refused(
    credit_buyer, catalogue, finance
):
    order = on_account_order(credit_buyer, [(catalogue["bolt"], 10)])  # 320.00 on credit
    big = refunds.request_refund(order, reason="allowance", lines=[(order.lines.get(), 0, "200.00")], by=finance)
    refunds.approve(big, finance)
    credit.record_repayment(credit_account_of(credit_buyer), Y("100.00"), reason="部分还款")
    cancel_order(order, reason="客户取消")  # releases the 220.00 still owed; 100.00 repaid is held
    assert sel.received_for_order(order) == Y("100.00")
    assert _held(order) == 10000
    before = JournalEntry.objects.count()
    with pytest.raises(ValidationError, match=r"received ¥100.00, refunds ¥0.00, at most ¥100.00 more"):
        refunds.execute(big, payout_reference="X-1", by=finance)
    with pytest.raises(ValidationError, match="cannot exceed what was received"):
        refunds.approve(
            refunds.request_refund(order, reason="allowance", lines=[(order.lines.get(), 0, "0.01")], by=finance),
            finance,
        )
    assert JournalEntry.objects.count() == before
    big.refresh_from_db()
    assert big.state == Refund.State.APPROVED
    refunds.reject(big, "订单已取消，超出已收款", finance)
    Refund.objects.filter(state=Refund.State.REQUESTED).update(state=Refund.State.REJECTED)
    right = refunds.request_refund(order, reason="allowance", lines=[(order.lines.get(), 0, "100.00")], by=finance)
    refunds.approve(right, finance)
    refunds.execute(right, payout_reference="X-2", by=finance)
    assert fen_of(JournalEntry.objects.get(key=f"refund:{right.number}")) == {
        chart.UNAPPLIED: 10000,
        chart.BANK: -10000,
    }
    assert _held(order) == 0 and balance(account(chart.BANK)) == 0 and balance(account(chart.REVENUE)) == 0
    assert_books_hold(credit_buyer, warnings_ok=False)
