"""finance 0003: the money history written before the ledger (credit entries, order payment
events) is posted by the real migration on the historical models; running it again adds nothing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from oscar.core.loading import get_model

from core.orders import payments
from plugins.finance import chart
from plugins.finance.models import JournalEntry
from plugins.finance.selectors import balance, receivable_of_company
from plugins.finance.services.ledger import account
from plugins.member_tiers.models import CreditAccount, CreditEntry
from plugins.member_tiers.signals import credit_moved
from tests import factories
from tests.finance.conftest import assert_books_hold, fen_of

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")
HISTORY = [("finance", "0002_ledger_guards")]
LATEST = [("finance", "0003_money_history")]


@pytest.fixture
def history(credit_buyer):
    """Credit movements and paid orders recorded while finance was not listening."""
    from plugins.finance import receivers
    from plugins.member_tiers.services import credit

    credit_moved.disconnect(dispatch_uid="finance.credit_moved")
    try:
        account_ = CreditAccount.objects.get(membership__company=factories.company_of(credit_buyer))
        credit.reserve(credit_buyer, Decimal("300.00"), "H-1")
        credit.reserve(credit_buyer, Decimal("200.00"), "H-2")
        credit.record_repayment(account_, Decimal("120.50"), reason="还款")
        credit.refund(account_, Decimal("10.00"), order_number="H-1", reason="折让")
        credit.revert_order("H-2")
    finally:
        credit_moved.connect(receivers.credit_moved, dispatch_uid="finance.credit_moved")
    # orders whose payment events were written directly (as the demo's history is)
    factories.history_order(credit_buyer, "H-1", "300.00", None, paid=False)
    Order.objects.get(number="H-1").payment_events.create(
        event_type=payments.event_type(payments.SECURED), amount=Decimal("300.00")
    )
    factories.history_order(credit_buyer, "B-1", "456.78", None, paid=True)
    factories.history_order(credit_buyer, "B-2", "99.99", None, paid=True, status="Cancelled")
    assert not JournalEntry.objects.exists()
    return account_


def test_the_migration_posts_the_history_and_is_idempotent(history, credit_buyer):
    if connection.vendor != "postgresql":
        pytest.skip("runs the migration inside the test's transaction (PostgreSQL's transactional DDL)")
    executor = MigrationExecutor(connection)
    executor.migrate(HISTORY)
    executor.loader.build_graph()
    executor.migrate(LATEST)
    # and the later migrations again (finance_check reads the documents' tables they make)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes("finance"))
    company_id = factories.company_of(credit_buyer).pk
    history.refresh_from_db()
    assert history.balance == Decimal("169.50")  # 300 + 200 − 120.50 − 10 − 200
    assert receivable_of_company(company_id) == 16950
    kinds = sorted(JournalEntry.objects.values_list("kind", flat=True))
    assert kinds == sorted(
        [
            chart.CREDIT_RESERVE,
            chart.CREDIT_RESERVE,
            chart.CREDIT_REPAYMENT,
            chart.CREDIT_REFUND,
            chart.REVERSAL,  # H-2's release reverses its reservation
            chart.ORDER_SECURED,  # B-1
            chart.ORDER_PAID,
            chart.ORDER_SECURED,  # B-2, then cancelled:
            chart.ORDER_PAID,
            chart.REVERSAL,
            chart.ORDER_UNAPPLIED,
        ]
    )
    revert = CreditEntry.objects.get(kind="reverted")
    assert JournalEntry.objects.get(key=f"credit:{revert.pk}").reverses.order_number == "H-2"
    assert fen_of(JournalEntry.objects.get(key="order:B-1:paid")) == {
        chart.BANK: 45678,
        chart.RECEIVABLE_ORDERS: -45678,
    }
    assert balance(account(chart.BANK)) == 12050 + 45678 + 9999
    assert balance(account(chart.UNAPPLIED, company_id=company_id)) == -9999
    assert_books_hold(credit_buyer, warnings_ok=False)

    # again (a re-run, or live postings that came first): nothing more
    count = JournalEntry.objects.count()
    executor.migrate(HISTORY)
    executor.loader.build_graph()
    executor.migrate(LATEST)
    assert JournalEntry.objects.count() == count


def test_an_unexplained_credit_balance_is_stated_against_suspense(credit_buyer):
    from django.apps import apps

    from plugins.finance.services.backfill import backfill

    CreditAccount.objects.filter(membership__company=factories.company_of(credit_buyer)).update(
        balance=Decimal("42.00")
    )
    assert backfill(apps) == 1
    entry = JournalEntry.objects.get(kind=chart.OPENING)
    assert fen_of(entry) == {chart.RECEIVABLE_ON_ACCOUNT: 4200, chart.SUSPENSE: -4200}
    assert backfill(apps) == 0
    assert_books_hold(credit_buyer, warnings_ok=False)
