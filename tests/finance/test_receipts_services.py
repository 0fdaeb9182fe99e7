"""收款单 services: recording, matching (memo, amount + payer), the 待认领 claim, approval paying
orders (bank transfer and on account), unapplied credit allocated later, void, and bad input that
changes nothing. Amounts to the fen; finance_check after every scenario."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from core.orders import payments
from core.orders import status as order_status
from core.orders.services import cancel_order
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Receipt, ReceiptAllocation
from plugins.finance.selectors import balance, receivable_of_company
from plugins.finance.selectors.receipts import left_of, unapplied_of
from plugins.finance.services import receipts as service
from plugins.finance.services.ledger import account
from plugins.member_tiers.models import CreditAccount
from tests import factories
from tests.finance.conftest import assert_books_hold, fen_of
from tests.finance.fixtures_receipts import (  # noqa: F401 - fixtures
    finance_clerk_fixture,
    looker,
    other_buyer_fixture,
    receipt,
    today,
)
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")
pytestmark = pytest.mark.django_db


def _unpaid(user, catalogue, item="wire", quantity=2):
    return factories.place_order(user, [(catalogue[item], quantity)], secure=False)


def _cents(amount) -> int:
    return int(Decimal(amount) * 100)


def _books_snapshot():
    return (Receipt.objects.count(), ReceiptAllocation.objects.count(), JournalEntry.objects.count())


def test_a_memo_naming_the_order_matches_and_approval_pays_it_to_the_fen(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    total = order.total_incl_tax
    made = receipt(finance_clerk, str(total), memo=f"货款 订单{order.number} 谢谢")
    assert made.state == Receipt.State.PENDING and made.matched_by == Receipt.MatchedBy.MEMO
    assert made.company == order.company and made.number.startswith("SK-")
    assert list(made.allocations.values_list("order__number", "amount")) == [(order.number, total)]
    assert fen_of(JournalEntry.objects.get(key=f"receipt:{made.number}")) == {
        chart.BANK: _cents(total),
        chart.UNCLAIMED: -_cents(total),
    }
    assert not payments.is_paid(order)  # nothing is paid before approval
    assert_books_hold(warnings_ok=False)

    service.approve(made, finance_clerk)
    order.refresh_from_db()
    assert payments.is_paid(order) and order.status != order_status.PENDING_PAYMENT
    allocation = made.allocations.get()
    assert fen_of(JournalEntry.objects.get(key=f"allocation:{allocation.pk}")) == {
        chart.UNAPPLIED: _cents(total),
        chart.RECEIVABLE_ORDERS: -_cents(total),
    }
    assert not JournalEntry.objects.filter(kind=chart.ORDER_PAID).exists()  # the money came with the receipt
    assert balance(account(chart.BANK)) == _cents(total)
    assert balance(account(chart.UNCLAIMED)) == 0
    assert balance(account(chart.RECEIVABLE_ORDERS, company_id=order.company_id)) == 0
    assert balance(account(chart.REVENUE)) == -_cents(total)
    assert unapplied_of(order.company) == Decimal("0.00")
    assert_books_hold(warnings_ok=False)
    with pytest.raises(ValidationError):
        service.approve(made, finance_clerk)  # once


def test_an_overpayment_stays_unapplied_and_pays_a_later_order(buyer, catalogue, finance_clerk):
    first = _unpaid(buyer, catalogue)
    made = receipt(finance_clerk, str(first.total_incl_tax + Decimal("500.01")), memo=first.number)
    service.approve(made, finance_clerk)
    assert unapplied_of(first.company) == Decimal("500.01") == left_of(made)
    assert_books_hold(warnings_ok=False)

    later = _unpaid(buyer, catalogue, "bolt", 3)  # 96.00 + freight
    assert later.total_incl_tax < Decimal("500.01")
    with pytest.raises(ValidationError) as refused:
        service.allocate(first.company, later, later.total_incl_tax + Decimal("0.01"), finance_clerk)
    assert "waits for only" in str(refused.value)
    service.allocate(first.company, later, later.total_incl_tax, finance_clerk)
    later.refresh_from_db()
    assert payments.is_paid(later)
    assert unapplied_of(first.company) == Decimal("500.01") - later.total_incl_tax
    assert_books_hold(warnings_ok=False)


def test_allocation_above_what_is_left_is_refused_and_changes_nothing(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue, "bolt", 10)
    made = receipt(finance_clerk, "50.00", company=order.company)
    service.approve(made, finance_clerk)
    before = _books_snapshot()
    with pytest.raises(ValidationError) as refused:
        service.allocate(made, order, Decimal("50.01"), finance_clerk)
    assert "Only ¥50.00 is left" in str(refused.value)
    for bad in ("0", "-1", "abc", "1.001"):
        with pytest.raises(ValidationError):
            service.allocate(made, order, bad, finance_clerk)
    assert _books_snapshot() == before
    service.allocate(made, order, Decimal("50.00"), finance_clerk)  # a partial payment
    order.refresh_from_db()
    assert not payments.is_paid(order) and left_of(made) == 0
    assert balance(account(chart.RECEIVABLE_ORDERS, company_id=order.company_id)) == -5000
    assert_books_hold(warnings_ok=False)


def test_two_receipts_pay_one_order_only_when_the_second_is_approved(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    half = (order.total_incl_tax / 2).quantize(Decimal("0.01"))
    one = receipt(finance_clerk, str(half), orders=[order])
    two = receipt(finance_clerk, str(order.total_incl_tax - half), orders=[order])
    service.approve(one, finance_clerk)
    order.refresh_from_db()
    assert not payments.is_paid(order)
    service.approve(two, finance_clerk)
    order.refresh_from_db()
    assert payments.is_paid(order)
    event = order.payment_events.get(event_type__code=payments.PAID)
    assert event.reference == f"receipt:{two.number}" and event.amount == order.total_incl_tax
    assert_books_hold(warnings_ok=False)


def test_amount_and_payer_name_match_one_open_order(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    company = order.company
    made = receipt(finance_clerk, str(order.total_incl_tax), payer_name=company.legal_name)
    assert made.matched_by == Receipt.MatchedBy.AMOUNT_PAYER and made.company == company
    assert made.allocations.get().order == order
    # a different amount: nothing to match on, it waits for a claim
    other = receipt(finance_clerk, "12.34", payer_name=company.legal_name)
    assert other.state == Receipt.State.UNCLAIMED and other.company is None
    assert balance(account(chart.UNCLAIMED)) == -(_cents(order.total_incl_tax) + 1234)
    assert_books_hold(warnings_ok=False)


def test_two_open_orders_of_the_same_amount_are_not_guessed(buyer, catalogue, finance_clerk):
    first = _unpaid(buyer, catalogue)
    _unpaid(buyer, catalogue)
    made = receipt(finance_clerk, str(first.total_incl_tax), payer_name=first.company.legal_name)
    assert made.state == Receipt.State.UNCLAIMED


def test_the_company_claims_an_unclaimed_transfer_with_proof_and_finance_approves(
    buyer, other_buyer, catalogue, finance_clerk
):
    order = _unpaid(buyer, catalogue)
    company = factories.company_of(buyer)
    made = receipt(finance_clerk, "888.88", payer_name="张三个人账户", payer_account="6222 0000 1111 2345")
    assert made.state == Receipt.State.UNCLAIMED
    before = _books_snapshot()
    # wrong account, wrong amount, wrong date: refused, nothing changed
    for proof in (
        {"amount": "888.88", "payer_account": "6222000011112346", "received_on": today()},
        {"amount": "888.87", "payer_account": "6222000011112345", "received_on": today()},
        {"amount": "888.88", "payer_account": "6222000011112345", "received_on": today() - timedelta(days=1)},
        {"amount": "-888.88", "payer_account": "6222000011112345", "received_on": today()},
    ):
        with pytest.raises(ValidationError):
            service.claim(made, company=company, orders=[order], by=buyer, **proof)
    # someone else's company: refused outright
    with pytest.raises(PermissionDenied):
        service.claim(made, company=company, by=other_buyer, amount="888.88", payer_account="6222000011112345")
    made.refresh_from_db()
    assert made.state == Receipt.State.UNCLAIMED and _books_snapshot() == before

    found = service.find_claimable(received_on=today(), amount="888.88", payer_account="62220000 1111 2345")
    assert found == made
    service.claim(
        made,
        company=company,
        orders=[order],
        by=buyer,
        amount="888.88",
        payer_account="62220000 1111 2345",
        received_on=today(),
    )
    made.refresh_from_db()
    assert made.state == Receipt.State.PENDING and made.matched_by == Receipt.MatchedBy.CLAIM
    assert made.claimed_by == buyer and made.company == company
    # claimed already: the other company cannot take it, even with the proof
    other_company = factories.company_of(other_buyer)
    with pytest.raises(ValidationError):
        service.claim(
            made,
            company=other_company,
            by=other_buyer,
            amount="888.88",
            payer_account="6222000011112345",
            received_on=today(),
        )
    service.approve(made, finance_clerk)
    order.refresh_from_db()
    assert payments.is_paid(order)
    assert unapplied_of(company) == Decimal("888.88") - order.total_incl_tax
    assert_books_hold(warnings_ok=False)


def test_a_transfer_without_payer_account_cannot_be_claimed_only_assigned(buyer, catalogue, finance_clerk):
    company = factories.company_of(buyer)
    made = receipt(finance_clerk, "10.00", payer_account="")
    with pytest.raises(ValidationError):
        service.claim(made, company=company, by=buyer, amount="10.00", payer_account="", received_on=today())
    with pytest.raises(PermissionDenied):
        service.assign(made, company=company, by=buyer)
    service.assign(made, company=company, by=finance_clerk)
    made.refresh_from_db()
    assert made.state == Receipt.State.PENDING and made.matched_by == Receipt.MatchedBy.FINANCE
    service.approve(made, finance_clerk)
    assert unapplied_of(company) == Decimal("10.00")
    assert_books_hold(warnings_ok=False)


def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    receipt(finance_clerk, "1.00", ref="DUP-1")
    cancelled = _unpaid(buyer, catalogue, "bolt", 1)
    cancel_order(cancelled, reason="客户取消")
    before = _books_snapshot()
    cases = [
        ({"ref": "DUP-1"}, "bank_reference", "already recorded"),
        ({"amount": "-5.00"}, "amount", "more than zero"),
        ({"amount": "0"}, "amount", "more than zero"),
        ({"amount": "1.005"}, "amount", "two decimals"),
        ({"received_on": today() + timedelta(days=1)}, "received_on", "future"),
        ({"payer_name": "  "}, "payer_name", "payer"),
        ({"orders": [cancelled]}, "orders", "cancelled"),
    ]
    for kwargs, field, words in cases:
        amount = kwargs.pop("amount", "100.00")
        with pytest.raises(ValidationError) as refused:
            receipt(finance_clerk, amount, **kwargs)
        assert words in " ".join(refused.value.message_dict[field]), (kwargs, refused.value)
    with pytest.raises(PermissionDenied):
        receipt(looker(), "100.00")
    with pytest.raises(PermissionDenied):
        receipt(buyer, "100.00")
    assert _books_snapshot() == before
    assert not order.receipt_allocations.exists()
    assert_books_hold(warnings_ok=False)


def test_void_reverses_the_receipt_and_an_approved_one_cannot_be_voided(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    made = receipt(finance_clerk, str(order.total_incl_tax), memo=order.number)
    with pytest.raises(ValidationError):
        service.void(made, "", finance_clerk)  # a reason is required
    service.void(made, "录入错误", finance_clerk)
    made.refresh_from_db()
    assert made.state == Receipt.State.VOID and made.void_reason == "录入错误"
    assert not made.allocations.exists()
    assert balance(account(chart.BANK)) == 0 == balance(account(chart.UNCLAIMED))
    assert JournalEntry.objects.get(key=f"receipt:{made.number}:void").reverses.key == f"receipt:{made.number}"
    with pytest.raises(ValidationError):
        service.approve(made, finance_clerk)
    assert_books_hold(warnings_ok=False)

    again = receipt(finance_clerk, str(order.total_incl_tax), memo=order.number)
    service.approve(again, finance_clerk)
    with pytest.raises(ValidationError):
        service.void(again, "太晚了", finance_clerk)
    again.refresh_from_db()
    assert again.state == Receipt.State.APPROVED
    assert_books_hold(warnings_ok=False)


def test_an_order_cancelled_before_approval_keeps_the_money_unapplied(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    made = receipt(finance_clerk, str(order.total_incl_tax), memo=order.number)
    cancel_order(order, reason="客户取消")
    service.approve(made, finance_clerk)
    assert not made.allocations.exists()
    assert unapplied_of(order.company) == order.total_incl_tax
    order.refresh_from_db()
    assert not payments.is_paid(order)
    assert balance(account(chart.REVENUE)) == 0
    assert_books_hold(warnings_ok=False)


def test_an_order_cancelled_after_payment_by_receipt_holds_its_money_for_the_company(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    made = receipt(finance_clerk, str(order.total_incl_tax), memo=order.number)
    service.approve(made, finance_clerk)
    cancel_order(order, reason="缺货")
    cents = _cents(order.total_incl_tax)
    assert fen_of(JournalEntry.objects.get(key=f"order:{order.number}:unapplied")) == {
        chart.RECEIVABLE_ORDERS: cents,
        chart.UNAPPLIED: -cents,
    }
    assert unapplied_of(order.company) == order.total_incl_tax
    assert balance(account(chart.REVENUE)) == 0 and balance(account(chart.BANK)) == cents
    assert_books_hold(warnings_ok=False)
    # the held money pays the next order (not the cancelled one)
    later = _unpaid(buyer, catalogue, "bolt", 1)
    with pytest.raises(ValidationError):
        service.allocate(order.company, order, Decimal("1.00"), finance_clerk)
    assert left_of(made) == order.total_incl_tax
    service.allocate(order.company, later, later.total_incl_tax, finance_clerk)
    later.refresh_from_db()
    assert payments.is_paid(later)
    assert unapplied_of(order.company) == order.total_incl_tax - later.total_incl_tax
    assert_books_hold(warnings_ok=False)


def test_a_partially_paid_order_cancelled_gives_the_part_back_as_unapplied(buyer, catalogue, finance_clerk):
    order = _unpaid(buyer, catalogue)
    made = receipt(finance_clerk, "10.00", company=order.company)
    service.approve(made, finance_clerk)
    service.allocate(made, order, "10.00", finance_clerk)
    cancel_order(order, reason="客户取消")
    assert unapplied_of(order.company) == Decimal("10.00")
    assert balance(account(chart.RECEIVABLE_ORDERS, company_id=order.company_id)) == 0
    assert_books_hold(warnings_ok=False)


def test_a_receipt_for_an_on_account_order_repays_the_credit_line_from_unapplied_money(
    buyer_client, credit_buyer, catalogue, finance_clerk
):
    add(buyer_client, catalogue["nut"], 5)  # 99.00
    checkout_to_preview(buyer_client, method="on-account")
    buyer_client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    order = Order.objects.get(user=credit_buyer)
    company = order.company
    credit_account = CreditAccount.objects.get(membership__company=company)
    total = order.total_incl_tax
    assert credit_account.balance == total and receivable_of_company(company.pk) == _cents(total)
    made = receipt(finance_clerk, str(total + Decimal("1.00")), memo=f"还款 {order.number}")
    assert made.allocations.get().amount == total
    service.approve(made, finance_clerk)
    credit_account.refresh_from_db()
    assert credit_account.balance == Decimal("0.00") and receivable_of_company(company.pk) == 0
    repayment = JournalEntry.objects.get(kind=chart.CREDIT_REPAYMENT)
    assert fen_of(repayment) == {chart.UNAPPLIED: _cents(total), chart.RECEIVABLE_ON_ACCOUNT: -_cents(total)}
    assert balance(account(chart.BANK)) == _cents(total) + 100  # once, by the receipt
    assert unapplied_of(company) == Decimal("1.00")
    order.refresh_from_db()
    assert payments.is_paid(order)
    with pytest.raises(ValidationError):  # repaid: nothing left to pay
        service.allocate(company, order, Decimal("1.00"), finance_clerk)
    assert_books_hold(credit_buyer, warnings_ok=False)


@pytest.mark.parametrize("amount", ["1E26", "1e12", "999999999999999999999999999.999"])
def test_a_huge_amount_is_refused_as_too_large_not_a_server_error(amount):
    """Found by the property test: 1E26 could not be rounded to the fen (decimal.InvalidOperation)."""
    from plugins.finance.services.receipts import _amount

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        _amount(amount)
    assert refused.value.message_dict["amount"] == ["The amount is too large."]
