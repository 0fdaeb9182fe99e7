"""Operators handle orders in the back office with the statuses in Chinese."""

from django.urls import reverse
from oscar.core.loading import get_model

from core.orders import status as order_status
from tests import factories
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")


def place_order(client, product):
    add(client, product, 1)
    checkout_to_preview(client)
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    return Order.objects.get()


def test_order_statuses_show_as_labels_and_change_by_key(client, buyer_client, catalogue):
    order = place_order(buyer_client, catalogue["bolt"])
    client.force_login(factories.operator())

    listing = client.get(reverse("dashboard:order-list")).content.decode()
    assert '<option value="Pending payment">待付款</option>' in listing
    detail = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    assert '<option value="Cancelled">已取消</option>' in detail  # the one status set by hand
    assert "Pending payment" not in detail.replace('value="Pending payment"', "")

    response = client.post(
        reverse("dashboard:order-detail", args=[order.number]),
        {"order_action": "change_order_status", "new_status": order_status.CANCELLED},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == order_status.CANCELLED
    history = client.get(reverse("dashboard:order-detail", args=[order.number])).content.decode()
    assert "<td>待付款</td>" in history and "<td>已取消</td>" in history


def test_an_unknown_status_is_refused_and_nothing_changes(client, buyer_client, catalogue):
    order = place_order(buyer_client, catalogue["bolt"])
    client.force_login(factories.operator())
    client.post(
        reverse("dashboard:order-detail", args=[order.number]),
        {"order_action": "change_order_status", "new_status": "Shipped-ish"},
    )
    order.refresh_from_db()
    assert order.status == order_status.PENDING_PAYMENT
    assert not order.status_changes.exists()
