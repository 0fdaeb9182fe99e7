"""Every money event today posts, to the fen: credit reserved at checkout, repaid, refunded,
released on cancellation; an order paid by bank transfer; a paid order cancelled. After each
step the credit used equals the company's receivable and finance_check is clean."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from core.orders.services import cancel_order, record_payment
from plugins.finance import chart
from plugins.finance.models import JournalEntry
from plugins.finance.selectors import balance, receivable_of_company
from plugins.finance.services.ledger import account
from plugins.member_tiers.models import CreditAccount
from plugins.member_tiers.services import credit
from plugins.member_tiers.services.checkout import release_unplaced
from tests import factories
from tests.finance.conftest import assert_books_hold, fen_of
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def _place_on_account(client):
    checkout_to_preview(client, method="on-account")
    client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)


def test_an_order_on_account_posts_receivable_and_revenue_and_cancelling_reverses_it(
    buyer_client, credit_buyer, catalogue
):
    add(buyer_client, catalogue["bolt"], 10)  # 320.00
    _place_on_account(buyer_client)
    order = Order.objects.get(user=credit_buyer)
    company_id = order.company_id
    reserve = JournalEntry.objects.get(kind=chart.CREDIT_RESERVE, order_number=order.number)
    assert fen_of(reserve) == {chart.RECEIVABLE_ON_ACCOUNT: 32000, chart.REVENUE: -32000}
    # credit covered the whole order: securing it posted nothing more
    assert not JournalEntry.objects.filter(kind=chart.ORDER_SECURED).exists()
    assert receivable_of_company(company_id) == 32000
    assert_books_hold(credit_buyer, warnings_ok=False)

    cancel_order(order, reason="客户取消")
    undo = JournalEntry.objects.get(reverses=reserve)
    assert fen_of(undo) == {chart.RECEIVABLE_ON_ACCOUNT: -32000, chart.REVENUE: 32000}
    assert receivable_of_company(company_id) == 0 == balance(account(chart.REVENUE))
    cancel_order(order, reason="客户取消")  # once
    assert JournalEntry.objects.count() == 2
    assert_books_hold(credit_buyer, warnings_ok=False)


def test_repayment_and_refund_post_and_the_receivable_follows_the_credit_to_the_fen(credit_buyer):
    company = factories.company_of(credit_buyer)
    account_ = CreditAccount.objects.get(membership__company=company)
    credit.reserve(credit_buyer, Decimal("333.33"), "R-1")
    credit.reserve(credit_buyer, Decimal("100.01"), "R-2")
    repaid = credit.record_repayment(account_, Decimal("200.00"), reason="网银还款")
    refunded = credit.refund(account_, Decimal("0.34"), order_number="R-1", reason="销售折让")
    account_.refresh_from_db()
    assert account_.balance == Decimal("233.00")
    assert receivable_of_company(company.pk) == 23300
    assert fen_of(JournalEntry.objects.get(key=f"credit:{repaid.pk}")) == {
        chart.BANK: 20000,
        chart.RECEIVABLE_ON_ACCOUNT: -20000,
    }
    refund_entry = JournalEntry.objects.get(key=f"credit:{refunded.pk}")
    assert refund_entry.kind == chart.CREDIT_REFUND and refund_entry.order_number == "R-1"
    assert fen_of(refund_entry) == {chart.REVENUE: 34, chart.RECEIVABLE_ON_ACCOUNT: -34}
    assert balance(account(chart.BANK)) == 20000
    assert balance(account(chart.REVENUE)) == -(33333 + 10001 - 34)
    # two reservations whose orders were never placed: finance_check warns, does not fail
    report = assert_books_hold(credit_buyer)
    assert len(report.warnings) == 2
    # the checkout gives back an unplaced reservation: the reversing entry
    release_unplaced("R-2")
    assert JournalEntry.objects.filter(kind=chart.REVERSAL, order_number="R-2").count() == 1
    assert receivable_of_company(company.pk) == 13299 == int(CreditAccount.objects.get(pk=account_.pk).balance * 100)


def test_a_release_smaller_than_the_reservation_posts_what_was_released(credit_buyer):
    company = factories.company_of(credit_buyer)
    account_ = CreditAccount.objects.get(membership__company=company)
    credit.reserve(credit_buyer, Decimal("500.00"), "P-1")
    credit.record_repayment(account_, Decimal("450.00"), reason="还款")
    released = credit.revert_order("P-1")  # only 50.00 was still owed
    assert released.amount == Decimal("-50.00")
    entry = JournalEntry.objects.get(key=f"credit:{released.pk}")
    assert entry.kind == chart.CREDIT_REVERT and entry.reverses is None
    assert fen_of(entry) == {chart.REVENUE: 5000, chart.RECEIVABLE_ON_ACCOUNT: -5000}
    assert receivable_of_company(company.pk) == 0
    assert_books_hold(credit_buyer)


def test_repaying_in_full_pays_the_order_without_a_second_bank_posting(buyer_client, credit_buyer, catalogue):
    add(buyer_client, catalogue["nut"], 5)  # 99.00
    _place_on_account(buyer_client)
    order = Order.objects.get(user=credit_buyer)
    account_ = CreditAccount.objects.get(membership__company=order.company)
    credit.record_repayment(account_, Decimal("99.00"), reason="还清")
    assert not JournalEntry.objects.filter(kind=chart.ORDER_PAID).exists()
    assert balance(account(chart.BANK)) == 9900
    assert receivable_of_company(order.company_id) == 0
    assert_books_hold(credit_buyer, warnings_ok=False)


def test_a_bank_transfer_order_posts_secured_and_paid_and_a_cancellation_holds_the_money(buyer, catalogue):
    order = factories.place_order(buyer, [(catalogue["wire"], 2)], secure=False)
    record_payment(order, amount=order.total_incl_tax, reference="BANK-1", method="bank-transfer")
    cents = int(order.total_incl_tax * 100)
    secured = JournalEntry.objects.get(key=f"order:{order.number}:secured")
    paid = JournalEntry.objects.get(key=f"order:{order.number}:paid")
    assert fen_of(secured) == {chart.RECEIVABLE_ORDERS: cents, chart.REVENUE: -cents}
    assert fen_of(paid) == {chart.BANK: cents, chart.RECEIVABLE_ORDERS: -cents}
    assert_books_hold(warnings_ok=False)

    cancel_order(order, reason="缺货")
    assert fen_of(JournalEntry.objects.get(key=f"order:{order.number}:cancelled")) == {
        chart.RECEIVABLE_ORDERS: -cents,
        chart.REVENUE: cents,
    }
    held = account(chart.UNAPPLIED, company_id=order.company_id)
    assert balance(held) == -cents  # the platform holds the company's money
    assert balance(account(chart.RECEIVABLE_ORDERS, company_id=order.company_id)) == 0
    assert balance(account(chart.REVENUE)) == 0 and balance(account(chart.BANK)) == cents
    assert_books_hold(warnings_ok=False)


def test_points_paying_part_of_an_order_on_account_post_as_points_redeemed(credit_buyer):
    company = factories.company_of(credit_buyer)
    credit.reserve(credit_buyer, Decimal("90.00"), "PT-1")
    order = factories.history_order(credit_buyer, "PT-1", "100.00", None, paid=False)
    from core.orders.services import secure_payment

    secure_payment(order, method="on-account", amount=Decimal("100.00"), reference="PT-1")
    entry = JournalEntry.objects.get(key="order:PT-1:secured")
    assert fen_of(entry) == {chart.POINTS_REDEEMED: 1000, chart.REVENUE: -1000}
    assert balance(account(chart.REVENUE)) == -10000
    assert receivable_of_company(company.pk) == 9000
    assert_books_hold(credit_buyer, warnings_ok=False)
