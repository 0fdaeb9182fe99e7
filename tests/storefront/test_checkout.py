"""A distributor's order placed through the storefront, from basket to confirmation."""

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from oscar.core.loading import get_model

from core.orders import status as order_status
from tests import factories

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

ADDRESS = {
    "last_name": "李四",
    "line2": "成都川西工业品贸易有限公司",
    "phone_number": "13808012346",
    "state": "四川省",
    "line4": "成都市",
    "line3": "武侯区",
    "line1": "武兴四路166号",
    "postcode": "610045",
}


def add(client, product, quantity):
    response = client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}, follow=True)
    assert response.status_code == 200


def checkout_to_preview(client, method="bank-transfer", address=None):
    client.get(reverse("checkout:index"), follow=True)
    response = client.post(reverse("checkout:shipping-address"), address or ADDRESS, follow=True)
    assert response.status_code == 200
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-details")
    return client.post(reverse("checkout:preview"), {"method": method})


def test_order_by_bank_transfer_from_basket_to_confirmation(
    buyer_client, buyer, catalogue, django_capture_on_commit_callbacks
):
    add(buyer_client, catalogue["bolt"], 10)
    add(buyer_client, catalogue["wire"], 2)

    preview = checkout_to_preview(buyer_client)
    assert preview.status_code == 200
    assert "银行转账" in preview.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        placed = buyer_client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert placed.redirect_chain[-1][0] == reverse("checkout:thank-you")

    order = Order.objects.get(user=buyer)
    assert order.total_incl_tax == Decimal("756.00")  # 10 × 32.00 + 2 × 218.00, free delivery
    assert order.currency == "CNY"
    assert order.status == order_status.PENDING_PAYMENT  # waits for the transfer; no supplier sees it yet
    assert not order.supplier_orders.exists()
    assert order.shipping_address.state == "四川省"
    assert order.shipping_address.line2 == "成都川西工业品贸易有限公司"
    source = order.sources.get()
    assert (source.source_type.code, source.amount_allocated, source.amount_debited) == (
        "bank-transfer",
        Decimal("756.00"),
        Decimal("0.00"),
    )
    assert source.reference == order.number
    # stock is allocated for the order
    assert StockRecord.objects.get(product=catalogue["bolt"]).num_allocated == 10

    body = placed.content.decode()
    assert order.number in body
    assert "待付款" in body
    assert "链采通供应链管理有限公司" in body  # the account to transfer to

    # the confirmation e-mail went out (through the Celery task) exactly once
    assert len(mail.outbox) == 1
    assert order.number in mail.outbox[0].subject + mail.outbox[0].body
    assert mail.outbox[0].to == [buyer.email]

    history = buyer_client.get(reverse("customer:order-list")).content.decode()
    assert order.number in history and "待付款" in history


def test_order_on_account(buyer_client, buyer, catalogue):
    factories.credit_line(buyer)
    add(buyer_client, catalogue["nut"], 3)
    checkout_to_preview(buyer_client, method="on-account")
    buyer_client.post(reverse("checkout:preview"), {"action": "place_order"})

    order = Order.objects.get(user=buyer)
    assert order.total_incl_tax == Decimal("59.40")
    assert order.sources.get().source_type.code == "on-account"


def test_unknown_province_is_rejected_and_nothing_is_placed(buyer_client, buyer, catalogue):
    add(buyer_client, catalogue["bolt"], 1)
    buyer_client.get(reverse("checkout:index"), follow=True)
    response = buyer_client.post(reverse("checkout:shipping-address"), {**ADDRESS, "state": "加州"})

    assert response.status_code == 200
    assert "state" in response.context["form"].errors
    assert "请选择列出的省份之一" in response.content.decode()
    assert Order.objects.count() == 0


def test_missing_consignee_and_bad_phone_are_rejected(buyer_client, catalogue):
    add(buyer_client, catalogue["bolt"], 1)
    buyer_client.get(reverse("checkout:index"), follow=True)
    response = buyer_client.post(
        reverse("checkout:shipping-address"), {**ADDRESS, "last_name": "", "phone_number": "12"}
    )
    errors = response.context["form"].errors
    assert "last_name" in errors and "phone_number" in errors


def test_payment_method_must_be_chosen(buyer_client, buyer, catalogue):
    add(buyer_client, catalogue["bolt"], 1)
    response = checkout_to_preview(buyer_client, method="")
    assert response.status_code == 200
    assert "请选择付款方式" in response.content.decode()

    response = buyer_client.post(reverse("checkout:preview"), {"method": "bitcoin"})
    assert "请选择列出的付款方式之一" in response.content.decode()

    # placing the order without a chosen method places nothing
    buyer_client.post(reverse("checkout:preview"), {"action": "place_order"})
    assert Order.objects.filter(user=buyer).count() == 0


def test_quick_order_then_checkout(buyer_client, buyer, catalogue):
    factories.credit_line(buyer)
    buyer_client.post(reverse("storefront:quick-order"), {"lines": "JG-HN-M8 4\nDF-MCB-1P16 1"})
    checkout_to_preview(buyer_client, method="on-account")
    buyer_client.post(reverse("checkout:preview"), {"action": "place_order"})

    order = Order.objects.get(user=buyer)
    assert {(line.upc, line.quantity) for line in order.lines.all()} == {("JG-HN-M8", 4), ("DF-MCB-1P16", 1)}
    assert order.total_incl_tax == Decimal("93.00")  # 4 × 19.80 + 13.80
    assert {line.partner_name for line in order.lines.all()} == {"苏州精工五金制品有限公司", "宁波东方电气设备有限公司"}


def test_a_distributor_cannot_open_another_distributors_order(buyer_client, buyer, catalogue, client):
    add(buyer_client, catalogue["bolt"], 1)
    checkout_to_preview(buyer_client)
    buyer_client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get(user=buyer)

    from tests.factories import distributor

    other = distributor("other")
    client.force_login(other)
    response = client.get(reverse("customer:order", kwargs={"order_number": order.number}))
    assert response.status_code == 404
