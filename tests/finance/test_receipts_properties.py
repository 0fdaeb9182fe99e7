"""Property: any sequence of bank-transfer orders, receipts (matched by memo or not), approvals,
assignments, allocations of unapplied money, voids and cancellations keeps every entry balanced,
never applies more than a receipt holds or an order waits for, and finance_check stays clean."""

import itertools
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.orders.services import cancel_order
from plugins.finance.models import Receipt, ReceiptAllocation
from plugins.finance.selectors.receipts import unapplied_of
from plugins.finance.services import receipts as service
from plugins.finance.services.ledger import business_date
from plugins.finance.services.reconcile import check
from tests import factories
from tests.finance.fixtures_receipts import clerk

pytestmark = pytest.mark.django_db

cents = st.integers(min_value=1, max_value=50_000)
index = st.integers(min_value=0, max_value=8)
step = st.one_of(
    st.tuples(st.just("order"), cents, index),
    st.tuples(st.just("receipt"), cents, st.integers(min_value=-1, max_value=8)),  # -1: no memo
    st.tuples(st.just("approve"), cents, index),
    st.tuples(st.just("assign"), cents, index),
    st.tuples(st.just("allocate"), cents, index),
    st.tuples(st.just("void"), cents, index),
    st.tuples(st.just("cancel"), cents, index),
)
numbers = itertools.count(1)


def _apply(buyer, finance, orders: list, receipts: list, op: str, a: int, b: int) -> None:
    amount = Decimal(a) / 100
    company = factories.company_of(buyer)
    if op == "order":
        orders.append(factories.history_order(buyer, f"RP{next(numbers):05d}", str(amount), None, paid=False))
    elif op == "receipt":
        memo = orders[b].number if 0 <= b < len(orders) else "货款"
        receipts.append(
            service.record_receipt(
                bank_reference=f"P-{next(numbers)}",
                received_on=business_date(),
                amount=amount,
                payer_name="某人",
                memo=memo,
                by=finance,
            )
        )
    elif op == "approve" and b < len(receipts):
        service.approve(receipts[b], finance)
    elif op == "assign" and b < len(receipts):
        service.assign(receipts[b], company=company, orders=orders[-1:], by=finance)
    elif op == "allocate" and b < len(orders):
        service.allocate(company, orders[b], amount, finance)
    elif op == "void" and b < len(receipts):
        service.void(receipts[b], "录错", finance)
    elif op == "cancel" and b < len(orders):
        orders[b].refresh_from_db()
        cancel_order(orders[b], reason="取消")


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step, min_size=1, max_size=12))
def test_any_sequence_of_receipts_keeps_the_books_and_never_overapplies(buyer, steps):
    finance = clerk(f"prop{next(numbers)}")
    with transaction.atomic():
        orders: list = []
        receipts: list = []
        for op, a, b in steps:
            try:
                with transaction.atomic():
                    _apply(buyer, finance, orders, receipts, op, a, b)
            except ValidationError:
                pass  # refused: nothing changed (the savepoint rolled back)
            for r in Receipt.objects.all():
                applied = r.allocations.aggregate(s=Sum("amount"))["s"] or 0
                assert applied <= r.amount
            for order in orders:
                live = ReceiptAllocation.objects.filter(order=order).exclude(receipt__state="void")
                assert (live.aggregate(s=Sum("amount"))["s"] or 0) <= order.total_incl_tax
            assert unapplied_of(factories.company_of(buyer)) >= 0
            assert check().errors == [], steps
        transaction.set_rollback(True)
