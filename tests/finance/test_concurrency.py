"""Concurrent checkouts on account on PostgreSQL: the credit line's row lock still decides, and
every reservation that went through posted its receivable (none that was refused did)."""

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection, transaction

from plugins.finance import chart
from plugins.finance.models import JournalEntry
from plugins.finance.selectors import receivable_of_company
from plugins.member_tiers.models import CreditAccount
from plugins.member_tiers.services.checkout import PaymentRefused, payment_sources
from storefront.payments import ON_ACCOUNT
from tests import factories
from tests.finance.conftest import assert_books_hold


def _race(buyer, workers: int, amount: Decimal, prefix: str) -> list[str]:
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def order(n: int):
        close_old_connections()
        try:
            barrier.wait()
            with transaction.atomic():
                payment_sources(buyer, {}, f"{prefix}-{n:03d}", amount, "CNY", ON_ACCOUNT)
            outcome = "ok"
        except PaymentRefused:
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=order, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_reserves_over_the_limit_one_is_refused_and_the_ledger_follows():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")
    buyer = factories.distributor("finrace")
    account = factories.credit_line(buyer, limit="1000.00")
    company_id = factories.company_of(buyer).pk

    # two at once, 600 each, limit 1000: exactly one fits
    results = _race(buyer, 2, Decimal("600.00"), "TWO")
    assert sorted(results) == ["ok", "refused"]
    account.refresh_from_db()
    assert account.balance == Decimal("600.00") and receivable_of_company(company_id) == 60000
    assert JournalEntry.objects.filter(kind=chart.CREDIT_RESERVE).count() == 1

    # many at once on what is left (400): four of 95 fit
    results = _race(buyer, 12, Decimal("95.00"), "MANY")
    assert results.count("ok") == 4 and results.count("refused") == 8
    account = CreditAccount.objects.get(pk=account.pk)
    assert account.balance == Decimal("980.00") <= account.limit
    assert receivable_of_company(company_id) == 98000
    assert JournalEntry.objects.filter(kind=chart.CREDIT_RESERVE).count() == 5
    assert_books_hold(buyer)
