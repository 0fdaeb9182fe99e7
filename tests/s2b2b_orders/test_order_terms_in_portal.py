"""A supplier sets its offer's order terms (起订量, 包装倍数) in the portal, without review; values
out of range are refused with the field named and nothing changes."""

import pytest
from django.urls import reverse

from tests.s2b2b_orders.conftest import client_for

pytestmark = pytest.mark.django_db


def edit(shop, **terms):
    bolt = shop["bolt"]
    data = {"title": bolt.title, "description": "", "price": "32.00", "stock": "500", **terms}
    return client_for(shop["jg_staff"]).post(reverse("s2b2b-portal-product", args=[bolt.pk]), data)


def terms(shop):
    stockrecord = shop["bolt"].stockrecords.get()
    return stockrecord.min_order_quantity, stockrecord.pack_multiple


def test_a_supplier_sets_the_order_terms_of_its_offer_at_once(shop):
    page = client_for(shop["jg_staff"]).get(reverse("s2b2b-portal-product", args=[shop["bolt"].pk])).content.decode()
    assert "起订量" in page and "包装倍数" in page
    response = edit(shop, min_order_quantity="20", pack_multiple="10")
    assert response.status_code == 302, response.context["form"].errors
    assert terms(shop) == (20, 10)
    # blank keeps them
    response = edit(shop)
    assert response.status_code == 302, dict(response.context["form"].errors)
    assert terms(shop) == (20, 10)
    # the storefront enforces them at once
    body = client_for(shop["buyer"]).post(
        reverse("basket:add", kwargs={"pk": shop["bolt"].pk}), {"quantity": 5}, follow=True
    )
    assert "起订量为 20 件。" in body.content.decode()


@pytest.mark.parametrize(
    "field, value", [("min_order_quantity", "0"), ("pack_multiple", "-2"), ("pack_multiple", "100000")]
)
def test_out_of_range_terms_are_refused_and_change_nothing(shop, field, value):
    response = edit(shop, **{field: value})
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert terms(shop) == (1, 1)
