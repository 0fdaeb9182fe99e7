"""Credit on account: reservation at checkout, limits, overdue blocking, and concurrency on PostgreSQL."""

import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection, transaction
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from core.orders import payments
from core.orders import status as order_status
from core.orders.services import cancel_order
from plugins.member_tiers.models import CreditAccount, CreditEntry
from plugins.member_tiers.services import credit
from plugins.member_tiers.services.checkout import PaymentRefused, payment_sources
from plugins.member_tiers.services.members import membership_for
from storefront.payments import ON_ACCOUNT
from tests import factories
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")


def place(client):
    return client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)


@pytest.mark.django_db
def test_paying_on_account_reserves_credit_with_a_due_date(buyer_client, buyer, catalogue):
    factories.credit_line(buyer, limit="1000.00", terms_days=45)
    add(buyer_client, catalogue["bolt"], 10)
    checkout_to_preview(buyer_client, method="on-account")
    place(buyer_client)
    order = Order.objects.get(user=buyer)
    account = CreditAccount.objects.get(membership__company__members__user=buyer)
    assert (account.balance, account.available) == (Decimal("320.00"), Decimal("680.00"))
    entry = account.entries.get(kind=CreditEntry.PURCHASED)
    assert entry.order_number == order.number and entry.amount == Decimal("320.00")
    assert entry.due_date == timezone.localdate() + timedelta(days=45)
    # the reserved credit secured the payment: the order is confirmed and went to its supplier
    assert order.status == order_status.CONFIRMED
    assert payments.payment_state(order) == payments.ON_ACCOUNT
    assert order.supplier_orders.count() == 1
    # cancelling the order gives the credit back, once
    cancel_order(order, reason="客户取消")
    cancel_order(order, reason="客户取消")
    account.refresh_from_db()
    assert account.balance == Decimal("0.00")
    assert account.entries.filter(kind=CreditEntry.REVERTED).count() == 1


@pytest.mark.django_db
def test_over_the_limit_is_refused_with_a_clear_message_and_nothing_is_placed(buyer_client, buyer, catalogue):
    factories.credit_line(buyer, limit="300.00")
    add(buyer_client, catalogue["bolt"], 10)  # 320.00
    checkout_to_preview(buyer_client, method="on-account")
    response = place(buyer_client)
    assert "可用额度不足：可用 ¥300.00，本单 ¥320.00。" in response.content.decode()
    assert not Order.objects.filter(user=buyer).exists()
    account = CreditAccount.objects.get(membership__company__members__user=buyer)
    assert account.balance == Decimal("0.00") and not account.entries.filter(kind="purchased").exists()


@pytest.mark.django_db
def test_no_credit_line_means_no_paying_on_account(buyer_client, buyer, catalogue):
    add(buyer_client, catalogue["bolt"], 1)
    checkout_to_preview(buyer_client, method="on-account")
    response = place(buyer_client)
    assert "贵公司尚未开通授信额度" in response.content.decode()
    assert not Order.objects.filter(user=buyer).exists()


@pytest.mark.django_db
def test_an_overdue_balance_blocks_new_orders_on_account_until_repaid(buyer_client, buyer, catalogue):
    account = factories.credit_line(buyer, limit="5000.00", terms_days=30)
    old = credit.reserve(buyer, Decimal("500.00"), "OLD-1")
    CreditEntry.objects.filter(pk=old.pk).update(due_date=timezone.localdate() - timedelta(days=3))
    add(buyer_client, catalogue["bolt"], 1)
    checkout_to_preview(buyer_client, method="on-account")
    response = place(buyer_client)
    body = response.content.decode()
    assert "¥500.00" in body and "到期仍未付清" in body
    assert not Order.objects.filter(user=buyer).exists()
    # a partial repayment leaves it overdue; paying it off unblocks
    credit.record_repayment(account, Decimal("200.00"), reason="部分还款")
    assert credit.overdue(account)[1] == Decimal("300.00")
    credit.record_repayment(account, Decimal("300.00"), reason="还清")
    assert credit.overdue(account) is None
    checkout_to_preview(buyer_client, method="on-account")
    place(buyer_client)
    assert Order.objects.filter(user=buyer).count() == 1


@pytest.mark.django_db
def test_bad_credit_input_is_rejected_and_changes_nothing(buyer, tiers):
    membership = membership_for(buyer)
    with pytest.raises(ValidationError) as exc:
        credit.set_credit_line(membership, limit=Decimal("-1"), payment_terms_days=30, reason="x")
    assert exc.value.message_dict["limit"] == ["信用额度不能为负数。"]
    assert not CreditAccount.objects.exists()
    account = credit.set_credit_line(membership, limit=Decimal("100"), payment_terms_days=30, reason="开通")
    with pytest.raises(ValidationError):
        credit.record_repayment(account, Decimal("5"), reason="多还")  # owes nothing
    with pytest.raises(ValidationError):
        credit.set_credit_line(membership, limit=Decimal("200"), payment_terms_days=30, reason=" ")
    account.refresh_from_db()
    assert account.limit == Decimal("100.00") and account.entries.count() == 1


@pytest.mark.django_db
def test_cancelling_a_refunded_order_gives_back_only_what_it_still_owes(buyer, tiers):
    """A 100 with 30 refunded, B 50: cancelling A releases 70, and B still owes its 50."""
    account = factories.credit_line(buyer, limit="1000.00")
    credit.reserve(buyer, Decimal("100.00"), "A-1")
    credit.reserve(buyer, Decimal("50.00"), "B-1")
    credit.refund(account, Decimal("30.00"), order_number="A-1", reason="销售折让")
    released = credit.revert_order("A-1")
    account.refresh_from_db()
    assert released.amount == Decimal("-70.00")
    assert account.balance == Decimal("50.00")
    assert credit.outstanding_by_order(account) == {"B-1": Decimal("50.00")}


@pytest.mark.django_db
def test_cancelling_a_repaid_order_never_wipes_what_other_orders_owe(buyer, tiers):
    """A 100 repaid in full, then B 50: cancelling A releases nothing (its money was paid; giving
    it back is a refund), B still owes 50, and cancelling B then releases its 50."""
    account = factories.credit_line(buyer, limit="1000.00")
    credit.reserve(buyer, Decimal("100.00"), "A-2")
    credit.record_repayment(account, Decimal("100.00"), reason="银行转账")
    credit.reserve(buyer, Decimal("50.00"), "B-2")
    released = credit.revert_order("A-2")
    account.refresh_from_db()
    assert released.amount == Decimal("0.00") and account.balance == Decimal("50.00")
    assert credit.revert_order("A-2") is None  # once per order
    credit.revert_order("B-2")
    account.refresh_from_db()
    assert account.balance == Decimal("0.00")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_orders_on_account_never_exceed_the_limit():
    """24 orders paid on account at the same moment, each thread on its own database connection.

    (Oscar keeps one open basket per user, so one distributor cannot run 24 storefront checkouts at
    once; the threads call the service the checkout calls, each in its own transaction.)
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update); bin/test runs on PostgreSQL")
    buyer = factories.distributor("concurrent")
    account = factories.credit_line(buyer, limit="1000.00")
    workers, amount = 24, Decimal("95.00")  # 24 × 95 = 2280 wanted; only 10 fit in 1000
    barrier = threading.Barrier(workers)
    results: list[str] = []
    lock = threading.Lock()

    def order(n: int):
        close_old_connections()
        try:
            barrier.wait()
            # what the checkout's handle_payment calls, in a transaction of its own like a request
            with transaction.atomic():
                sources = payment_sources(buyer, {}, f"C-{n:03d}", amount, "CNY", ON_ACCOUNT)
            outcome = "ok" if sources[0].amount_allocated == amount else "wrong"
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

    account.refresh_from_db()
    assert len(results) == workers
    assert results.count("ok") == 10 and results.count("refused") == 14
    assert account.balance == Decimal("950.00") <= account.limit
    purchases = CreditEntry.objects.filter(account=account, kind="purchased")
    assert purchases.count() == 10
    # the ledger's running balance never passed the limit
    assert max(purchases.values_list("balance_after", flat=True)) == Decimal("950.00")
