"""Two finance clerks approving, or two companies claiming, the same receipt at once on
PostgreSQL: the receipt's row lock decides; the second is refused and the books post once."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import close_old_connections, connection

from core.orders import payments
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Receipt
from plugins.finance.selectors.receipts import unapplied_of
from plugins.finance.services import receipts as service
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_receipts import clerk, receipt, today

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _race(*calls) -> list[str]:
    barrier = threading.Barrier(len(calls))
    results: list[str] = []
    lock = threading.Lock()

    def run(call):
        close_old_connections()
        try:
            barrier.wait()
            call()
            outcome = "ok"
        except (ValidationError, PermissionDenied):
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _skip_unless_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")


def test_two_concurrent_approvals_of_one_receipt_post_once(catalogue):
    _skip_unless_postgresql()
    buyer = factories.distributor("raceapprove")
    order = factories.place_order(buyer, [(catalogue["wire"], 2)], secure=False)
    one, two = clerk("clerk1"), clerk("clerk2")
    made = receipt(one, str(order.total_incl_tax + Decimal("3.00")), memo=order.number)
    results = _race(lambda: service.approve(made, one), lambda: service.approve(made, two))
    assert sorted(results) == ["ok", "refused"]
    made.refresh_from_db()
    assert made.state == Receipt.State.APPROVED
    assert JournalEntry.objects.filter(key__startswith=f"receipt:{made.number}:approved").count() == 1
    assert JournalEntry.objects.filter(kind=chart.RECEIPT_APPLIED, order_number=order.number).count() == 1
    order.refresh_from_db()
    assert payments.is_paid(order) and order.payment_events.filter(event_type__code=payments.PAID).count() == 1
    assert unapplied_of(order.company) == Decimal("3.00")
    assert_books_hold(warnings_ok=False)


def test_two_companies_claiming_one_transfer_at_once_one_wins(db):
    _skip_unless_postgresql()
    first, second = factories.distributor("claimone"), factories.distributor("claimtwo")
    finance = clerk("clerk3")
    made = receipt(finance, "321.00", payer_name="个人", payer_account="6222 1111 2222 3333")

    def claimer(user):
        return lambda: service.claim(
            made,
            company=factories.company_of(user),
            by=user,
            amount="321.00",
            payer_account="6222111122223333",
            received_on=today(),
        )

    results = _race(claimer(first), claimer(second))
    assert sorted(results) == ["ok", "refused"]
    made.refresh_from_db()
    assert made.state == Receipt.State.PENDING
    assert made.company_id in {factories.company_of(first).pk, factories.company_of(second).pk}
    assert made.claimed_by.username in {"claimone", "claimtwo"}
    assert_books_hold(warnings_ok=False)


def test_two_allocations_of_the_same_unapplied_money_at_once_never_overspend_it(catalogue):
    _skip_unless_postgresql()
    buyer = factories.distributor("raceallocate")
    company = factories.company_of(buyer)
    first = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    second = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    assert first.total_incl_tax == second.total_incl_tax
    one, two = clerk("clerk5"), clerk("clerk6")
    made = receipt(one, str(first.total_incl_tax + Decimal("1.00")), company=company)  # enough for one order
    service.approve(made, one)
    results = _race(
        lambda: service.allocate(company, first, first.total_incl_tax, one),
        lambda: service.allocate(made, second, second.total_incl_tax, two),
    )
    assert sorted(results) == ["ok", "refused"]
    assert unapplied_of(company) == Decimal("1.00")
    first.refresh_from_db()
    second.refresh_from_db()
    assert payments.is_paid(first) != payments.is_paid(second)
    assert_books_hold(warnings_ok=False)
