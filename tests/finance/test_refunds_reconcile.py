"""finance_check's refunds part finds what the ledger cannot explain: a refund marked paid with
no entry, refunds above what was received, a clawback that does not match its allocation."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.finance import chart
from plugins.finance.models import Refund
from plugins.finance.refunds import reconcile
from plugins.finance.services import refunds
from plugins.finance.services.ledger import account, post
from plugins.finance.services.reconcile import Report, check
from tests.finance.fixtures_refunds import finance_user, transfer_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance():
    return finance_user()


def _errors() -> list[str]:
    return check(skip_areas=("settlement",)).errors


def test_a_refund_marked_paid_without_its_entry_is_an_error(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=finance)
    assert _errors() == []
    Refund.objects.filter(pk=refund.pk).update(state=Refund.State.REFUNDED)  # no money posted
    assert _errors() == [f"Order {order.number}: refunds of ¥96.00 were paid, the ledger shows ¥0.00."]


def test_refunds_above_what_was_received_are_an_error_once_paid_and_a_warning_while_approved(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=finance)
    refunds.approve(refund, finance)
    Refund.objects.filter(pk=refund.pk).update(amount=Decimal("320.01"))
    report = check(skip_areas=("settlement",))
    assert report.errors == []
    assert report.warnings == [
        f"Order {order.number}: approved refunds of ¥320.01 exceed the ¥320.00 received; reject them."
    ]
    Refund.objects.filter(pk=refund.pk).update(state=Refund.State.REFUNDED)
    assert f"Order {order.number}: refunds of ¥320.01 exceed the ¥320.00 received." in _errors()


def test_a_clawback_that_does_not_match_its_allocation_is_an_error(buyer, catalogue, finance):
    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=finance)
    share = refund.allocations.get()
    jg = catalogue["suppliers"]["jg"]
    post(
        key=f"clawback:{share.pk}",
        kind=chart.CLAWBACK,
        lines=[(account(chart.PAYABLE, supplier_id=jg.pk), 9600), (account(chart.COST_OF_GOODS), -9600)],
    )
    errors = _errors()
    assert len(errors) == 1 and errors[0].startswith(f"Clawback of refund allocation #{share.pk} posts")


def test_the_check_costs_the_same_queries_for_one_refund_or_many(buyer, catalogue, finance):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            reconcile.check(Report())
        return len(ctx.captured_queries)

    order = transfer_order(buyer, [(catalogue["bolt"], 10)])
    first = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 1)], by=finance)
    refunds.approve(first, finance)
    refunds.execute(first, payout_reference="Q-1", by=finance)
    one = queries()
    for n in range(4):
        other = transfer_order(buyer, [(catalogue["nut"], 2)])
        r = refunds.request_refund(other, reason="return", lines=[(other.lines.get(), 1)], by=finance)
        refunds.approve(r, finance)
        refunds.execute(r, payout_reference=f"Q-{n + 2}", by=finance)
    assert queries() == one <= 10
    assert check(skip_areas=("settlement",)).errors == []
