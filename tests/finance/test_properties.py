"""Property: any sequence of orders on account (with points), repayments, refunds, bank-transfer
orders and cancellations keeps every entry balanced, the credit used equal to the company's
receivable to the fen, and finance_check clean."""

import itertools
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.orders.services import cancel_order, record_payment, secure_payment
from plugins.finance.models import JournalEntry
from plugins.finance.selectors import receivable_of_company
from plugins.finance.services.reconcile import check
from plugins.member_tiers.models import CreditAccount
from plugins.member_tiers.services import credit
from tests import factories

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=1, max_value=60_000)
step = st.one_of(
    st.tuples(st.just("reserve"), cents, st.integers(min_value=0, max_value=2_000)),
    st.tuples(st.just("repay"), cents, st.just(0)),
    st.tuples(st.just("refund"), cents, st.integers(min_value=-1, max_value=20)),
    st.tuples(st.just("cancel"), st.integers(min_value=0, max_value=20), st.just(0)),
    st.tuples(st.just("bank"), cents, st.just(0)),
)
numbers = itertools.count(1)


def _yuan(c: int) -> Decimal:
    return Decimal(c) / 100


def _apply(buyer, account_id: int, orders: list, op: str, a: int, b: int) -> None:
    account = CreditAccount.objects.get(pk=account_id)
    if op == "reserve":  # the checkout: credit for the rest after points (b), then the order is secured
        number = f"PR-{next(numbers)}"
        try:
            credit.reserve(buyer, _yuan(a), number)
        except credit.CreditRefused:
            return
        order = factories.history_order(buyer, number, str(_yuan(a + b)), None, paid=False)
        secure_payment(order, method="on-account", amount=_yuan(a + b), reference=number)
        orders.append(order)
    elif op == "repay" and account.balance > 0:
        credit.record_repayment(account, min(_yuan(a), account.balance), reason="还款")
    elif op == "refund" and account.balance > 0:
        number = orders[b].number if 0 <= b < len(orders) else ""
        credit.refund(account, min(_yuan(a), account.balance), order_number=number, reason="退款")
    elif op == "bank":
        order = factories.history_order(buyer, f"PB-{next(numbers)}", str(_yuan(a)), None, paid=False)
        record_payment(order, amount=order.total_incl_tax, reference="BANK", method="bank-transfer")
        orders.append(order)
    elif op == "cancel" and a < len(orders):
        order = orders[a]
        order.refresh_from_db()
        # a repaid order on account too: what was repaid for it waits as the company's unapplied money
        if order.status == "Confirmed":
            cancel_order(order, reason="取消")


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_any_sequence_keeps_the_books_balanced_and_credit_equal_to_receivable(credit_buyer, steps):
    company_id = factories.company_of(credit_buyer).pk
    account_id = CreditAccount.objects.get(membership__company_id=company_id).pk
    with transaction.atomic():
        orders: list = []
        for op, a, b in steps:
            _apply(credit_buyer, account_id, orders, op, a, b)
            used = CreditAccount.objects.get(pk=account_id).balance
            assert receivable_of_company(company_id) == int(used * 100)
        report = check()
        assert report.errors == [], steps
        event(f"entries: {min(JournalEntry.objects.count() // 5 * 5, 20)}+")
        transaction.set_rollback(True)
