"""Property: for any sequence of the areas' postings (orders secured and paid by transfer,
receipts approved and allocated, refunds by transfer, write-offs) on any days, a statement adds up
(opening + movements = closing, checked inside), its closing is the ledger balance of the
company's accounts, and cutting the period at any day gives two statements whose movements sum to
the whole and whose balances join (the closing of the first is the opening of the second)."""

import itertools
from datetime import timedelta

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from plugins.finance import chart
from plugins.finance.models import Posting
from plugins.finance.services import statements
from plugins.finance.services.reconcile import check
from tests import factories
from tests.finance.fixtures_statements import order_of, posting, today

pytestmark = pytest.mark.django_db

P: dict = {}
numbers = itertools.count(1)
day = st.integers(min_value=0, max_value=40)
cents = st.integers(min_value=1, max_value=90_000)
step = st.tuples(st.sampled_from(["order", "paid", "receipt", "refund", "write_off"]), cents, day)


def _apply(user, c: dict, orders: list, op: str, amount: int, back: int) -> None:
    on = today() - timedelta(days=back)
    n = next(numbers)
    if op == "order":
        order = order_of(user, f"PS-{n}")
        posting(
            f"order:{order.number}:secured",
            chart.ORDER_SECURED,
            [(chart.RECEIVABLE_ORDERS, amount, c), (chart.REVENUE, -amount, P)],
            on=on,
            order_number=order.number,
        )
        orders.append(order.number)
    elif op == "paid" and orders:
        posting(
            f"paid:{n}",
            chart.ORDER_PAID,
            [(chart.BANK, amount, P), (chart.RECEIVABLE_ORDERS, -amount, c)],
            on=on,
            order_number=orders[n % len(orders)],
        )
    elif op == "receipt":
        posting(f"receipt:SK-{n}", chart.RECEIPT, [(chart.BANK, amount, P), (chart.UNCLAIMED, -amount, P)], on=on)
        posting(
            f"receipt:SK-{n}:approved",
            chart.RECEIPT_APPLIED,
            [(chart.UNCLAIMED, amount, P), (chart.UNAPPLIED, -amount, c)],
            on=on,
        )
        if orders:
            part = max(1, amount // 2)
            posting(
                f"allocation:{n}",
                chart.RECEIPT_APPLIED,
                [(chart.UNAPPLIED, part, c), (chart.RECEIVABLE_ORDERS, -part, c)],
                on=on,
                order_number=orders[n % len(orders)],
            )
    elif op == "refund" and orders:
        posting(
            f"refund:TK-{n}",
            chart.REFUND,
            [(chart.REVENUE, amount, P), (chart.BANK, -amount, P)],
            on=on,
            order_number=orders[n % len(orders)],
        )
    elif op == "write_off":
        posting(
            f"write_off:{n}",
            chart.WRITE_OFF_KIND,
            [(chart.UNAPPLIED, amount % 500 + 1, c), (chart.WRITE_OFF, -(amount % 500 + 1), P)],
            on=on,
        )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=14), start_back=day, cut=st.integers(min_value=0, max_value=40))
def test_statements_add_up_and_join_at_any_day(buyer, steps, start_back, cut):
    company = factories.company_of(buyer)
    c = {"company_id": company.pk}
    with transaction.atomic():
        orders: list = []
        for op, amount, back in steps:
            _apply(buyer, c, orders, op, amount, back)
        start, end = today() - timedelta(days=start_back), today()
        middle = min(start + timedelta(days=cut), end)
        whole = statements.company_figures(company, start, end)
        first = statements.company_figures(company, start, middle)
        second = statements.company_figures(company, middle + timedelta(days=1), end)
        ledger = sum(
            Posting.objects.filter(account__company=company, entry__posted_on__lte=end).values_list("amount", flat=True)
        )
        assert whole["closing"] == ledger
        assert first["opening"] == whole["opening"] and second["closing"] == whole["closing"]
        assert first["closing"] == second["opening"]
        for key in (*statements.COMPANY_MOVEMENTS, "credit_used", "invoiced"):
            assert whole[key] == first[key] + second[key], key
        assert whole["unapplied_closing"] == second["unapplied_closing"]
        assert check(skip_areas=("receipts", "refunds", "settlement", "invoices")).errors == []
        transaction.set_rollback(True)
