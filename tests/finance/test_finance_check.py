"""manage.py finance_check: passes on consistent books, fails (non-zero) naming what does not
reconcile."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from core.orders import payments
from core.orders.services import record_payment, secure_payment
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Posting
from plugins.finance.services.ledger import account, business_date
from plugins.member_tiers.models import CreditAccount
from plugins.member_tiers.services import credit
from tests import factories

pytestmark = pytest.mark.django_db


def _run() -> tuple[bool, str]:
    out = StringIO()
    try:
        call_command("finance_check", stdout=out)
    except CommandError as exc:
        return False, out.getvalue() + str(exc)
    return True, out.getvalue()


@pytest.fixture
def books(credit_buyer, catalogue):
    """An order on account (credit reserved, then secured) and one paid by bank transfer."""
    credit.reserve(credit_buyer, Decimal("120.00"), "X-1")
    on_account = factories.history_order(credit_buyer, "X-1", "120.00", None, paid=False)
    secure_payment(on_account, method="on-account", amount=Decimal("120.00"))
    order = factories.place_order(credit_buyer, [(catalogue["nut"], 2)], secure=False)
    record_payment(order, amount=order.total_incl_tax, reference="B-1", method="bank-transfer")
    return order


def test_consistent_books_pass(books):
    ok, out = _run()
    assert ok, out
    assert "0 个问题" in out or "0 problems" in out


def test_an_order_secured_with_no_posting_fails(books, credit_buyer):
    order = factories.history_order(credit_buyer, "NOPOST-1", "88.00", None, paid=False)
    order.payment_events.create(event_type=payments.event_type(payments.SECURED), amount=Decimal("88.00"))
    ok, out = _run()
    assert not ok
    assert "NOPOST-1" in out and "88.00" in out


def test_a_paid_order_without_its_bank_posting_fails(books, credit_buyer):
    order = factories.history_order(credit_buyer, "NOBANK-1", "66.00", None, paid=True)
    assert order.payment_events.count() == 2
    ok, out = _run()
    assert not ok and out.count("NOBANK-1") == 2  # neither the revenue nor the money was posted


def test_a_credit_balance_the_ledger_does_not_explain_fails(books, credit_buyer):
    CreditAccount.objects.filter(membership__company=factories.company_of(credit_buyer)).update(
        balance=Decimal("120.01")
    )
    ok, out = _run()
    assert not ok and "120.01" in out and "120.00" in out


def test_a_cancelled_order_whose_revenue_stands_fails(books):
    from oscar.core.loading import get_model

    get_model("order", "Order").objects.filter(pk=books.pk).update(status="Cancelled")
    ok, out = _run()
    assert not ok and books.number in out


def test_an_unbalanced_entry_fails(books):
    """Written around the service (and rolled back before COMMIT, where PostgreSQL would refuse it)."""
    with transaction.atomic():
        entry = JournalEntry.objects.create(key="broken", kind=chart.ORDER_PAID, posted_on=business_date())
        Posting.objects.create(entry=entry, account=account(chart.BANK), amount=5)
        ok, out = _run()
        transaction.set_rollback(True)
    assert not ok and "broken" in out
    if connection.vendor == "postgresql":
        assert not JournalEntry.objects.filter(key="broken").exists()


def test_the_check_costs_the_same_queries_for_more_orders(books, credit_buyer):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    from plugins.finance.services.reconcile import check

    with CaptureQueriesContext(conn) as few:
        assert check().ok
    for n in range(4):
        order = factories.history_order(credit_buyer, f"MORE-{n}", "10.00", None, paid=False)
        record_payment(order, amount=Decimal("10.00"), reference="B", method="bank-transfer")
    with CaptureQueriesContext(conn) as more:
        report = check()
    assert report.ok and report.orders == 6
    assert len(more.captured_queries) == len(few.captured_queries)
