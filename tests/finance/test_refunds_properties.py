"""Property: any sequence of orders (by transfer and on account), repayments, refund requests,
approvals, rejections, payouts and cancellations never refunds more than was received for an
order, keeps every entry balanced, the credit used equal to the receivable, and finance_check
clean."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from core.orders.services import cancel_order
from plugins.finance.models import Refund
from plugins.finance.selectors import receivable_of_company
from plugins.finance.selectors import refunds as sel
from plugins.finance.services import refunds
from plugins.finance.services.reconcile import check
from plugins.member_tiers.services import credit
from tests import factories
from tests.finance.fixtures_refunds import credit_account_of, finance_user, on_account_order, transfer_order

pytestmark = pytest.mark.django_db

index = st.integers(min_value=0, max_value=3)
which = st.integers(min_value=0, max_value=1)  # the transfer order or the one on account
#: how far a new request goes at once: 0 requested, 1 approved, 2 paid out with a reference, 3 paid
#: out without one (on account: credit restored, the rest held)
stage = st.integers(min_value=0, max_value=3)
step = st.one_of(
    st.tuples(st.just("repay"), st.integers(min_value=1, max_value=30_000), st.just(0), st.just(0)),
    st.tuples(st.just("return"), which, st.integers(min_value=1, max_value=4), stage),
    st.tuples(st.just("allowance"), which, st.integers(min_value=1, max_value=20_000), stage),
    st.tuples(st.just("approve"), index, st.just(0), st.just(0)),
    st.tuples(st.just("execute"), index, st.integers(min_value=0, max_value=1), st.just(0)),
    st.tuples(st.just("reject"), index, st.just(0), st.just(0)),
    st.tuples(st.just("cancel"), which, st.just(0), st.just(0)),
)


def _execute(refund, finance, with_reference: int) -> None:
    refunds.execute(refund, payout_reference=f"P-{refund.pk}" if with_reference else "", by=finance)


def _apply(buyer, finance, orders: list, made: list, op: str, a: int, b: int, c: int) -> str:
    try:
        if op == "repay":
            line = credit_account_of(buyer)
            if line.balance > 0:
                credit.record_repayment(line, min(Decimal(a) / 100, line.balance), reason="还款")
        elif op in ("return", "allowance"):
            order = orders[a]
            item = (order.lines.get(), b) if op == "return" else (order.lines.get(), 0, Decimal(b) / 100)
            refund = refunds.request_refund(order, reason=op, lines=[item], by=finance)
            made.append(refund)
            if c >= 1:
                refunds.approve(refund, finance)
            if c >= 2:
                _execute(refund, finance, c == 2)
        elif op == "approve" and a < len(made):
            refunds.approve(made[a], finance)
        elif op == "execute" and a < len(made):
            _execute(made[a], finance, b)
        elif op == "reject" and a < len(made):
            refunds.reject(made[a], "驳回", finance)
        elif op == "cancel":
            order = orders[a]
            order.refresh_from_db()
            if order.status == "Confirmed":
                cancel_order(order, reason="取消")
        else:
            return "skipped"
    except ValidationError:
        return "refused"
    return "done"


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    bank=st.integers(min_value=1, max_value=6),
    on_account=st.integers(min_value=1, max_value=6),
    steps=st.lists(step, min_size=1, max_size=10),
)
def test_any_sequence_never_refunds_more_than_received_and_the_books_hold(
    credit_buyer, catalogue, bank, on_account, steps
):
    bolt = catalogue["bolt"]
    company_id = factories.company_of(credit_buyer).pk
    with transaction.atomic():
        finance = finance_user()
        # an order paid by transfer and one on account (bolts at 32.00), then the steps
        orders: list = [
            transfer_order(credit_buyer, [(bolt, bank)]),
            on_account_order(credit_buyer, [(bolt, on_account)]),
        ]
        made: list = []
        outcomes = []
        for op, a, b, c in steps:
            outcomes.append(_apply(credit_buyer, finance, orders, made, op, a, b, c))
            for order in orders:  # paid back never exceeds what was received, whatever happened since
                paid_out = sum(
                    (r.amount for r in Refund.objects.filter(order=order, state=Refund.State.REFUNDED)), Decimal("0")
                )
                assert paid_out <= sel.received_for_order(order), steps
            if outcomes[-1] == "done" and op in ("return", "allowance"):  # a request fits what was received
                assert sel.committed_for_order(orders[a]) <= sel.received_for_order(orders[a]), steps
            used = credit_account_of(credit_buyer).balance
            assert receivable_of_company(company_id) == int(used * 100)
        report = check()
        assert report.errors == [], steps
        event(f"refunded: {Refund.objects.filter(state=Refund.State.REFUNDED).count()}")
        event(f"refused: {outcomes.count('refused')}")
        transaction.set_rollback(True)
