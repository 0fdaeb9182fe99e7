"""Settlement under concurrency on PostgreSQL: two drafts for one supplier at once make one batch
(the supplier's row lock; the other is refused), two payouts of one batch at once post once."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from plugins.finance import chart
from plugins.finance.models import JournalEntry, SettlementBatch, SettlementLine
from plugins.finance.services import settlement
from plugins.finance.services.ledger import business_date
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_settlement import delivered_orders, finance_operator, supplier_with_staff


def _race(actions) -> list[str]:
    barrier = threading.Barrier(len(actions))
    results: list[str] = []
    lock = threading.Lock()

    def run(action):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):  # a new thread does not inherit the test's language
                action()
            outcome = "ok"
        except ValidationError as exc:
            outcome = f"refused: {exc.messages[0]}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sorted(results)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_drafts_make_one_batch_and_concurrent_payouts_post_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")
    jg, jg_staff = supplier_with_staff("racejg", "苏州精工五金制品有限公司")
    op = finance_operator("racecaiwu")
    product = factories.product("RACE-1", "扳手", "10.10", partner=jg)
    delivered_orders(jg, [[(product, 1, "10.00")] for _ in range(5)])
    today = business_date()

    def draft():
        settlement.draft_batch(jg, period_start=today, period_end=today, by=op)

    results = _race([draft, draft])
    assert results[0] == "ok" and "already has an open settlement batch" in results[1], results
    batch = SettlementBatch.objects.get()
    assert SettlementLine.objects.filter(batch=batch).count() == 5  # every order once

    settlement.confirm(batch, by=jg_staff)

    def pay(reference):
        return lambda: settlement.pay(SettlementBatch.objects.get(pk=batch.pk), payout_reference=reference, by=op)

    results = _race([pay("HX-A"), pay("HX-B")])
    assert results[0] == "ok" and results[1].startswith("refused"), results
    assert JournalEntry.objects.filter(kind=chart.PAYOUT).count() == 1
    assert_books_hold(skip_areas=("refunds",))


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_refund_executed_while_the_supplier_confirms_is_never_lost():
    """The refund holds its order's row (as the refunds area does while executing) when the
    supplier confirms: the confirmation waits for it, sees it and is refused as stale; nothing is
    posted, and after a refresh the refund is deducted."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")
    import time

    from django.db import transaction
    from oscar.core.loading import get_model

    from tests.finance.fixtures_settlement import executed_refund

    Order = get_model("order", "Order")
    jg, jg_staff = supplier_with_staff("lockjg", "苏州精工五金制品有限公司")
    op = finance_operator("lockcaiwu")
    product = factories.product("LOCK-1", "扳手", "10.10", partner=jg)
    (so,) = delivered_orders(jg, [[(product, 1, "100.00")]])
    today = business_date()
    batch = settlement.draft_batch(jg, period_start=today, period_end=today, by=op)
    held = threading.Event()

    def refund():
        close_old_connections()
        try:
            with transaction.atomic():
                Order.objects.select_for_update().filter(pk=so.order_id).exists()
                held.set()
                executed_refund(so, goods="10.00", commission="0.50")
                time.sleep(0.5)
        finally:
            connection.close()

    thread = threading.Thread(target=refund)
    thread.start()
    held.wait(5)
    with pytest.raises(ValidationError, match="changed since it was drafted"):
        settlement.confirm(batch, by=jg_staff)
    thread.join()
    assert not JournalEntry.objects.filter(kind=chart.SETTLEMENT).exists()
    settlement.refresh(batch, by=op)
    settlement.confirm(batch, by=jg_staff)
    batch.refresh_from_db()
    assert batch.refunds == 9.50 and batch.payable == 85.50
    assert_books_hold(skip_areas=("refunds",))
