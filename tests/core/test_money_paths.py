"""Money paths across plugins. Every status change goes through Oscar's pipeline and the
kernel's payment events, so credit, points and supplier orders follow whatever path pays or
cancels an order — including one cancelled midway through fulfilment."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from core.orders import payments
from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.member_tiers.models import CreditAccount, CreditEntry, Membership, PointsEntry, Tier
from plugins.member_tiers.services import credit, members, points
from plugins.s2b2b_orders.models import State, SupplierOrder
from plugins.s2b2b_orders.services import lifecycle
from tests import factories
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(buyer, catalogue):
    Tier.objects.create(code="regular", name="普通会员", rank=1, points_per_yuan=Decimal("1"))
    membership = members.membership_for(buyer)
    factories.credit_line(buyer, limit="10000.00", terms_days=30)
    points.adjust(membership, 5000, reason="开业赠送")
    operator = Client()
    operator.force_login(factories.operator())
    jg, df = catalogue["suppliers"]["jg"], catalogue["suppliers"]["df"]
    return {
        **catalogue,
        "buyer": buyer,
        "membership": membership,
        "operator": operator,
        "jg_staff": factories.supplier_staff(jg, "jgstaff"),
        "df_staff": factories.supplier_staff(df, "dfstaff"),
    }


def place(client, world, *, method: str, redeem: int = 0, items=(("bolt", 10), ("wire", 1))):
    """10 bolts (320.00) and a roll of wire (218.00) = 538.00, freight free, through the checkout."""
    for key, quantity in items:
        add(client, world[key], quantity)
    checkout_to_preview(client, method=method)
    if redeem:
        client.post(reverse("membership:redeem-points"), {"points": str(redeem)})
    response = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:thank-you"), response.content.decode()[:2000]
    return Order.objects.filter(user=world["buyer"]).latest("id")


def account(world) -> CreditAccount:
    return CreditAccount.objects.get(membership=world["membership"])


def balance_points(world) -> int:
    return Membership.objects.get(pk=world["membership"].pk).points_balance


def parts(order) -> dict[str, SupplierOrder]:
    return {so.partner.code: so for so in SupplierOrder.objects.filter(order=order).select_related("partner")}


def test_cancelling_every_supplier_order_gives_back_credit_and_points(buyer_client, world):
    """Defect 1: the order became 已取消 but the credit stayed used and the points were lost."""
    order = place(buyer_client, world, method="on-account", redeem=3000)
    assert (order.status, order.total_incl_tax) == (order_status.CONFIRMED, Decimal("538.00"))
    assert account(world).balance == Decimal("508.00")  # 538.00 − ¥30.00 of points
    assert balance_points(world) == 2000
    for so in parts(order).values():
        response = world["operator"].post(
            reverse("s2b2b-ops-order", args=[so.number]), {"action": "cancel", "reason": "客户改单"}
        )
        assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    assert set(order.lines.values_list("status", flat=True)) == {order_status.CANCELLED}
    assert order.status_changes.filter(new_status=order_status.CANCELLED).count() == 1
    assert account(world).balance == Decimal("0.00")
    reversal = account(world).entries.get(kind=CreditEntry.REVERTED)
    assert (reversal.amount, reversal.order_number) == (Decimal("-508.00"), order.number)
    assert balance_points(world) == 5000
    assert payments.has_event(order, payments.RELEASED)
    assert payments.payment_state(order) == payments.UNPAID


def test_a_bank_transfer_order_waits_for_its_money_then_is_forwarded_and_paid_once(buyer_client, world):
    """Defect 2: an unpaid order reached its suppliers, jumped to 处理中 and could never be paid."""
    order = place(buyer_client, world, method="bank-transfer")
    assert order.status == order_status.PENDING_PAYMENT
    assert not SupplierOrder.objects.filter(order=order).exists()
    jg = Client()
    jg.force_login(world["jg_staff"])
    assert order.number not in jg.get(reverse("s2b2b-portal-orders")).content.decode()
    assert members.rolling_spend(factories.company_of(world["buyer"]), 365, order.date_placed) == Decimal("0.00")
    mine = reverse("customer:order", args=[order.number])
    assert "付款状态: 未付款" in buyer_client.get(mine).content.decode()

    detail = reverse("dashboard:order-detail", args=[order.number])
    # with finance installed the page offers "record a receipt for this order" instead of the form
    # (tests/finance/test_receipts_views.py); the kernel's action stays for a site without it
    assert 'id="record-receipt-for-order"' in world["operator"].get(detail).content.decode()
    for bad, message in (
        ({"amount": "500.00", "reference": "CMB20261128001"}, "转账金额须等于订单总额 ¥538.00"),
        ({"amount": "538.00", "reference": ""}, "请填写银行流水号"),
    ):
        response = world["operator"].post(detail, {"order_action": "confirm_payment", **bad})
        assert response.status_code == 400 and message in response.content.decode()
        order.refresh_from_db()
        assert order.status == order_status.PENDING_PAYMENT and not order.payment_events.exists()

    response = world["operator"].post(
        detail, {"order_action": "confirm_payment", "amount": "538.00", "reference": "CMB20261128001"}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == order_status.CONFIRMED
    assert payments.payment_state(order) == payments.PAID_STATE
    assert set(parts(order)) == {"jg", "df"}
    assert balance_points(world) == 5000 + 538  # earned at 1 point per yuan, once
    assert members.rolling_spend(factories.company_of(world["buyer"]), 365, order.date_placed) == Decimal("538.00")
    assert "付款状态: 已付款" in buyer_client.get(mine).content.decode()
    mine_api = buyer_client.post(
        "/graphql/",
        {"query": "{ myOrders(first: 5) { items { number status statusLabel paymentState paymentStateLabel } } }"},
        content_type="application/json",
    ).json()
    assert mine_api["data"]["myOrders"]["items"] == [
        {
            "number": order.number,
            "status": order_status.CONFIRMED,
            "statusLabel": "已确认",
            "paymentState": "paid",
            "paymentStateLabel": "已付款",
        }
    ]
    # a second confirmation (a double click) records and earns nothing more
    world["operator"].post(detail, {"order_action": "confirm_payment", "amount": "538.00", "reference": "X"})
    assert order.payment_events.filter(event_type__code=payments.PAID).count() == 1
    assert PointsEntry.objects.filter(kind=PointsEntry.EARN).count() == 1

    lifecycle.accept(parts(order)["jg"], actor=world["jg_staff"])
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING


def test_cancelling_in_the_back_office_cancels_every_supplier_order_and_tells_each_supplier(buyer_client, world):
    """Defect 5: the order was cancelled but its supplier orders stayed forwarded, no supplier told."""
    order = place(buyer_client, world, method="on-account", redeem=1000)
    lifecycle.accept(parts(order)["jg"], actor=world["jg_staff"])  # cancelled midway: one part accepted
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING
    detail = reverse("dashboard:order-detail", args=[order.number])
    response = world["operator"].post(
        detail, {"order_action": "change_order_status", "new_status": order_status.CANCELLED}
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    for code, so in parts(order).items():
        assert so.state == State.CANCELLED, code
        assert so.events.last().via == "back office"
    told = OutboxMessage.objects.filter(topic="supplier_order.cancelled", channel="notification")
    assert set(told.values_list("recipient", flat=True)) == {str(world["jg_staff"].pk), str(world["df_staff"].pk)}
    assert account(world).balance == Decimal("0.00")
    assert balance_points(world) == 5000
    # a cancelled order cannot be paid afterwards
    response = world["operator"].post(
        detail, {"order_action": "confirm_payment", "amount": "538.00", "reference": "CMB1"}
    )
    assert not payments.is_paid(order)


def test_an_order_with_a_shipped_part_cannot_be_cancelled_and_nothing_changes(buyer_client, world):
    order = place(buyer_client, world, method="on-account")
    jg = parts(order)["jg"]
    lifecycle.accept(jg, actor=world["jg_staff"])
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890123"], complete=False)
    before = (account(world).balance, sorted((so.number, so.state) for so in parts(order).values()))
    detail = reverse("dashboard:order-detail", args=[order.number])
    response = world["operator"].post(
        detail, {"order_action": "change_order_status", "new_status": order_status.CANCELLED}, follow=True
    )
    assert f"供应商订单 {jg.number} 为“部分发货”，该订单已不能取消。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING
    assert (account(world).balance, sorted((so.number, so.state) for so in parts(order).values())) == before
    assert not OutboxMessage.objects.filter(topic="supplier_order.cancelled").exists()
    assert not account(world).entries.filter(kind=CreditEntry.REVERTED).exists()


def test_statuses_other_than_cancelled_are_not_set_by_hand(buyer_client, world):
    order = place(buyer_client, world, method="bank-transfer")
    detail = reverse("dashboard:order-detail", args=[order.number])
    page = world["operator"].get(detail).content.decode()
    assert f'<option value="{order_status.CANCELLED}">已取消</option>' in page
    assert f'<option value="{order_status.CONFIRMED}">' not in page
    response = world["operator"].post(
        detail, {"order_action": "change_order_status", "new_status": order_status.CONFIRMED}, follow=True
    )
    assert "订单状态随付款和供应商订单自动变化，只能手动取消。" in response.content.decode()
    order.refresh_from_db()
    assert order.status == order_status.PENDING_PAYMENT
    assert not order.status_changes.exists() and not SupplierOrder.objects.filter(order=order).exists()
    # the bulk action of the order list cannot move it either
    world["operator"].post(
        reverse("dashboard:order-list"),
        {"action": "change_order_statuses", "selected_order": [order.pk], "new_status": order_status.SHIPPED},
    )
    order.refresh_from_db()
    assert order.status == order_status.PENDING_PAYMENT


def test_repayments_pay_orders_on_account_oldest_first_and_a_refund_lowers_what_is_owed(buyer_client, world):
    first = place(buyer_client, world, method="on-account")  # 538.00
    second = place(buyer_client, world, method="on-account", items=(("bolt", 10),))  # 320.00
    assert account(world).balance == Decimal("858.00")
    assert not payments.is_paid(first) and not payments.is_paid(second)

    credit.record_repayment(account(world), Decimal("600.00"), reason="对公转账 CMB001")
    assert payments.is_paid(first) and not payments.is_paid(second)
    assert balance_points(world) == 5000 + 538

    credit.refund(account(world), Decimal("20.00"), order_number=second.number, reason="少发2件退款")
    assert not payments.is_paid(second)  # owes 300.00, 62.00 of it still open
    credit.record_repayment(account(world), Decimal("237.99"), reason="对公转账 CMB002")
    assert not payments.is_paid(second)  # one fen short
    credit.record_repayment(account(world), Decimal("0.01"), reason="对公转账 CMB003")
    assert payments.is_paid(second)
    assert account(world).balance == Decimal("0.00")
    assert balance_points(world) == 5000 + 538 + 320


def test_a_paid_order_cancelled_gives_back_nothing_it_did_not_take_and_takes_back_its_points(buyer_client, world):
    order = place(buyer_client, world, method="bank-transfer", redeem=2000)  # ¥20.00 of points, ¥518.00 by transfer
    assert balance_points(world) == 3000
    detail = reverse("dashboard:order-detail", args=[order.number])
    world["operator"].post(detail, {"order_action": "confirm_payment", "amount": "538.00", "reference": "CMB9"})
    assert balance_points(world) == 3000 + 538
    world["operator"].post(detail, {"order_action": "change_order_status", "new_status": order_status.CANCELLED})
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    assert balance_points(world) == 5000  # the 2000 redeemed come back, the 538 earned are withdrawn
    assert members.rolling_spend(factories.company_of(world["buyer"]), 365, order.date_placed) == Decimal("0.00")
    assert account(world).balance == Decimal("0.00") and not account(world).entries.filter(kind="reverted").exists()
    kinds = list(PointsEntry.objects.filter(order_number=order.number).order_by("id").values_list("kind", "points"))
    assert kinds == [("redeem", -2000), ("earn", 538), ("adjust", 2000), ("withdraw", -538)]
