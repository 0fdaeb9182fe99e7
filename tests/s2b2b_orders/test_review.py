"""Product review: what a supplier creates or changes reaches the storefront only once approved."""

from decimal import Decimal

import pytest
from django.urls import reverse

from plugins.s2b2b_orders.models import ProductChange
from storefront.selectors import browsable_products, product_by_sku
from tests import factories
from tests.s2b2b_orders.conftest import client_for

pytestmark = pytest.mark.django_db

NEW = {"sku": "JG-NEW-1", "title": "新款膨胀螺栓 M10", "description": "镀锌", "price": "8.80", "stock": "200"}


def _graphql_skus(client):
    response = client.post(
        "/graphql/", {"query": "{ products(first: 100) { items { sku } } }"}, content_type="application/json"
    )
    return {item["sku"] for item in response.json()["data"]["products"]["items"]}


def test_a_new_supplier_product_is_hidden_until_approved(shop, client):
    supplier = client_for(shop["jg_staff"])
    category = factories.category("紧固件")
    response = supplier.post(reverse("s2b2b-portal-product-create"), {**NEW, "cost": "6.00", "category": category.pk})
    assert response.status_code == 302
    change = ProductChange.objects.get(product__upc="JG-NEW-1")
    product = change.product
    assert (change.kind, change.status, change.price) == ("new", "pending", Decimal("8.80"))
    assert list(product.categories.all()) == [category]
    assert product.stockrecords.get().cost == Decimal("6.00")

    assert product_by_sku("JG-NEW-1") is None
    assert not browsable_products().filter(pk=product.pk).exists()
    assert client.get(product.get_absolute_url()).status_code == 404
    assert "JG-NEW-1" not in _graphql_skus(client)
    assert "新款膨胀螺栓" not in client.get(reverse("search:search") + "?q=膨胀螺栓").content.decode()
    buyer = client_for(factories.distributor("curious"))
    assert buyer.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}).status_code == 404

    operator = client_for(shop["operator"])
    queue = operator.get(reverse("s2b2b-ops-review"))
    assert "新款膨胀螺栓 M10" in queue.content.decode()
    operator.post(reverse("s2b2b-ops-review-action", args=[change.pk]), {"action": "approve"})

    assert product_by_sku("JG-NEW-1") == product
    assert client.get(product.get_absolute_url()).status_code == 200
    assert "JG-NEW-1" in _graphql_skus(client)
    added = buyer.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1}, follow=True)
    assert added.status_code == 200 and added.context["request"].basket.num_items == 1


def test_a_price_or_title_change_waits_and_the_storefront_keeps_the_approved_version(shop, client):
    bolt = shop["bolt"]
    supplier = client_for(shop["jg_staff"])
    edit = {"title": "外六角螺栓 M8×30（新版）", "description": "", "price": "35.00", "stock": "480"}
    response = supplier.post(reverse("s2b2b-portal-product", args=[bolt.pk]), edit)
    assert response.status_code == 302
    bolt.refresh_from_db()
    stockrecord = bolt.stockrecords.get()
    assert bolt.title == "外六角螺栓 M8×30" and stockrecord.price == Decimal("32.00")
    assert stockrecord.num_in_stock == 480  # stock is not reviewed
    page = client.get(bolt.get_absolute_url()).content.decode()
    assert "32.00" in page and "新版" not in page

    change = ProductChange.objects.get(product=bolt, status="pending")
    operator = client_for(shop["operator"])
    # rejecting needs a reason; without one nothing changes
    operator.post(reverse("s2b2b-ops-review-action", args=[change.pk]), {"action": "reject", "reason": ""})
    change.refresh_from_db()
    assert change.status == "pending"
    operator.post(reverse("s2b2b-ops-review-action", args=[change.pk]), {"action": "approve"})
    bolt.refresh_from_db()
    assert bolt.title == "外六角螺栓 M8×30（新版）"
    assert bolt.stockrecords.get().price == Decimal("35.00")


def test_a_rejected_change_keeps_the_product_and_tells_the_supplier_why(shop):
    bolt = shop["bolt"]
    supplier = client_for(shop["jg_staff"])
    supplier.post(
        reverse("s2b2b-portal-product", args=[bolt.pk]),
        {"title": bolt.title, "description": "", "price": "1.00", "stock": "500"},
    )
    change = ProductChange.objects.get(product=bolt)
    client_for(shop["operator"]).post(
        reverse("s2b2b-ops-review-action", args=[change.pk]), {"action": "reject", "reason": "价格明显错误"}
    )
    assert bolt.stockrecords.get().price == Decimal("32.00")
    listing = supplier.get(reverse("s2b2b-portal-products")).content.decode()
    assert "价格明显错误" in listing


@pytest.mark.parametrize(
    "data, field",
    [
        ({**NEW, "price": "0"}, "price"),
        ({**NEW, "title": ""}, "title"),
        ({**NEW, "sku": "JG-HB-M8-30"}, "sku"),
        ({**NEW, "stock": "-1"}, "stock"),
        ({**NEW, "category": ""}, "category"),
    ],
)
def test_bad_product_input_is_rejected_and_nothing_is_created(shop, data, field):
    supplier = client_for(shop["jg_staff"])
    data = {"category": factories.category("紧固件").pk, **data}
    response = supplier.post(reverse("s2b2b-portal-product-create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert ProductChange.objects.count() == 0


def test_suppliers_cannot_edit_live_products_in_oscars_catalogue_dashboard(shop):
    supplier = client_for(shop["jg_staff"])
    response = supplier.get(f"/dashboard/catalogue/products/{shop['bolt'].pk}/")
    assert response.status_code == 302
    assert response["Location"] == reverse("s2b2b-portal-product", args=[shop["bolt"].pk])
    assert supplier.get("/dashboard/catalogue/products/create/").status_code == 302
    # operators keep Oscar's editor
    assert client_for(shop["operator"]).get(f"/dashboard/catalogue/products/{shop['bolt'].pk}/").status_code == 200
