"""Two refund requests at once over what was received (PostgreSQL row locks): exactly one goes
through, and the books still hold."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.utils import translation

from core.orders.services import cancel_order
from plugins.finance.models import Refund
from plugins.finance.selectors import refunds as sel
from plugins.finance.services import refunds
from plugins.member_tiers.services import credit
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_refunds import credit_account_of, finance_user, on_account_order, transfer_order


def _race(order, finance, amounts: list[str], lines) -> list[str]:
    """Each worker asks for an allowance of its amount on its line (lines taken in turn)."""
    barrier = threading.Barrier(len(amounts))
    results: list[str] = []
    lock = threading.Lock()

    def ask(amount: str, line):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):  # a new thread does not inherit the test's language
                refunds.request_refund(order, reason="allowance", lines=[(line, 0, amount)], by=finance)
            outcome = "ok"
        except ValidationError as error:
            if "cannot exceed what was received" in str(error):
                outcome = "refused"
            elif "can still be refunded for this line" in str(error):
                outcome = "line full"
            else:
                outcome = f"error: {error}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=ask, args=(amount, lines[n % len(lines)])) for n, amount in enumerate(amounts)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_requests_over_what_was_received_one_is_refused():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    bolt = factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg)
    nut = factories.product("JG-HN-M8", "六角螺母 M8", "19.80", 300, jg)
    buyer = factories.distributor("refundrace")
    factories.credit_line(buyer, limit="1000.00")
    finance = finance_user()
    # 518.00 on account (320.00 + 198.00), 300.00 repaid, then cancelled: 300.00 was received for it
    order = on_account_order(buyer, [(bolt, 10), (nut, 10)])
    credit.record_repayment(credit_account_of(buyer), Decimal("300.00"), reason="还款")
    cancel_order(order, reason="客户取消")
    assert sel.received_for_order(order) == Decimal("300.00")
    lines = list(order.lines.order_by("id"))

    # each within its line (320.00, 198.00), together above what was received
    results = _race(order, finance, ["190.00", "190.00"], lines)
    assert sorted(results) == ["ok", "refused"]
    assert Refund.objects.filter(order=order).count() == 1
    assert sel.refundable_for_order(order) == Decimal("110.00")

    # many at once on the 110.00 left, on the line the first race left untouched (either line may
    # have won it): four of 30.00 fit the line but not what was received, three go through
    taken = Refund.objects.get(order=order).lines.get().order_line_id
    untouched = [line for line in lines if line.pk != taken]
    results = _race(order, finance, ["30.00"] * 4, untouched)
    assert results.count("ok") == 3 and results.count("refused") == 1
    assert sel.committed_for_order(order) == Decimal("280.00") <= sel.received_for_order(order)

    # a transfer order too: two requests of 300.00 on its 320.00 line at once, the line's ceiling holds
    paid = transfer_order(buyer, [(bolt, 10), (nut, 10)])  # 518.00 received
    results = _race(paid, finance, ["300.00", "300.00"], list(paid.lines.order_by("id"))[:1])
    assert sorted(results) == ["line full", "ok"]
    for refund in Refund.objects.filter(state=Refund.State.REQUESTED).order_by("id")[:1]:
        refunds.approve(refund, finance)
        refunds.execute(refund, payout_reference=f"R-{refund.pk}", by=finance)
    assert_books_hold(buyer)
