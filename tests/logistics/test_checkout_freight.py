"""Freight through the storefront: basket breakdown and province chooser, checkout per province,
a non-delivered province blocks checkout naming the products."""

from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.logistics.models import OrderFreight
from plugins.logistics.services.templates import input_from_template, save_template
from tests.storefront.test_checkout import ADDRESS, add

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

GUANGDONG = {**ADDRESS, "state": "广东省", "line4": "深圳市", "line3": "南山区"}
XINJIANG = {**ADDRESS, "state": "新疆维吾尔自治区", "line4": "乌鲁木齐市", "line3": "天山区"}


def place(client, address, django_capture_on_commit_callbacks):
    client.get(reverse("checkout:index"), follow=True)
    client.post(reverse("checkout:shipping-address"), address, follow=True)
    response = client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:payment-details")
    preview = client.post(reverse("checkout:preview"), {"method": "bank-transfer"})
    assert preview.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    return preview


def test_guangdong_and_xinjiang_get_the_right_explained_freight_for_the_same_basket(
    freight, buyer_client, buyer, xinjiang_buyer, client, django_capture_on_commit_callbacks
):
    jg = freight["suppliers"]["jg"]
    client.force_login(xinjiang_buyer)
    for c in (buyer_client, client):
        add(c, freight["bolt"], 3)  # 1.5 kg
        add(c, freight["nut"], 5)  # 1.0 kg
        add(c, freight["wire"], 3)  # df, 3 pieces

    basket_page = buyer_client.get(reverse("basket:summary")).content.decode()
    assert "东方电气按件" in basket_page and "¥12.00" in basket_page and "¥13.00" in basket_page

    preview = place(buyer_client, GUANGDONG, django_capture_on_commit_callbacks).content.decode()
    assert "标准快递" in preview and "默认运费" in preview
    order = Order.objects.get(user=buyer)
    assert order.shipping_incl_tax == Decimal("25.00")
    assert order.total_incl_tax == Decimal("96.00") + Decimal("99.00") + Decimal("654.00") + Decimal("25.00")

    preview = place(client, XINJIANG, django_capture_on_commit_callbacks).content.decode()
    assert "新疆" in preview and "¥40.00" in preview and "¥60.00" in preview
    order = Order.objects.get(user=xinjiang_buyer)
    assert order.shipping_incl_tax == Decimal("100.00")
    assert OrderFreight.objects.get(order=order, partner=jg).amount == Decimal("40.00")

    # the distributor sees the breakdown on its order page
    page = client.get(reverse("customer:order", kwargs={"order_number": order.number})).content.decode()
    assert 'id="order-logistics"' in page and "¥40.00" in page


def test_basket_page_province_chooser_changes_the_estimate(freight, buyer_client):
    add(buyer_client, freight["bolt"], 3)
    page = buyer_client.get(reverse("basket:summary")).content.decode()
    assert "¥10.00" in page  # 1.5 kg to the default address in 广东: first 1 kg ¥8 + 1 × ¥2
    buyer_client.post(reverse("logistics:choose-province"), {"province": "西藏自治区", "next": "/basket/"})
    page = buyer_client.get(reverse("basket:summary")).content.decode()
    assert "¥30.00" in page  # ¥20 + 1 × ¥10
    # an unknown province is ignored, the last good choice stays
    buyer_client.post(reverse("logistics:choose-province"), {"province": "火星", "next": "https://evil.example/"})
    assert "¥30.00" in buyer_client.get(reverse("basket:summary")).content.decode()


def test_non_delivered_province_blocks_checkout_and_names_the_products(
    freight, buyer_client, buyer, django_capture_on_commit_callbacks
):
    template = freight["templates"]["jg"]
    data = input_from_template(template)
    data.excluded_provinces = ["新疆维吾尔自治区"]
    data.region_rules[0].provinces = ["西藏自治区"]
    save_template(partner=template.partner, data=data, template=template)
    add(buyer_client, freight["bolt"], 1)
    add(buyer_client, freight["wire"], 1)
    buyer_client.get(reverse("checkout:index"), follow=True)
    buyer_client.post(reverse("checkout:shipping-address"), XINJIANG, follow=True)
    response = buyer_client.get(reverse("checkout:shipping-method"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("checkout:shipping-address")
    page = response.content.decode()
    assert "以下商品不配送至新疆维吾尔自治区：外六角螺栓 M8×30" in page
    assert "BV铜芯电线" not in page.split("以下商品不配送至")[1].split("。")[0]
    # going straight to the preview does not get round it
    response = buyer_client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert not Order.objects.exists()


def test_checkout_freight_query_count_does_not_grow_with_lines(freight, buyer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from oscar.core.loading import get_class

    from tests import factories
    from tests.logistics.conftest import set_weight

    Basket = get_model("basket", "Basket")
    ShippingAddress = get_model("order", "ShippingAddress")
    Selector = get_class("partner.strategy", "Selector")
    Repository = get_class("shipping.repository", "Repository")
    jg, df = freight["suppliers"]["jg"], freight["suppliers"]["df"]
    products = []
    for n in range(24):
        product = factories.product(f"Q-{n:02d}", price="3.00", partner=jg if n % 2 else df)
        set_weight(product, "0.3")
        products.append(product)
    address = ShippingAddress(state="新疆维吾尔自治区")
    counts = {}
    for size in (4, 24):
        # two baskets of one buyer: the second beside the open one (one open basket per buyer)
        basket = Basket.objects.create(owner=buyer, status=Basket.SAVED)
        basket.strategy = Selector().strategy(user=buyer)
        for product in products[:size]:
            basket.add_product(product, 2)
        basket = Basket.objects.get(pk=basket.pk)
        basket.strategy = Selector().strategy(user=buyer)
        with CaptureQueriesContext(connection) as queries:
            method = Repository().get_shipping_methods(basket=basket, user=buyer, shipping_addr=address)[0]
            charge = method.calculate(basket)
        counts[size] = len(queries)
        assert charge.incl_tax > 0
    # flat in the line count; 12 for freight, 3 when member_tiers loads the member's rules and the
    # platform's default price floor once (cold cache) and 2 when finance reads the lines' tax
    # classes once (the tax_rate hook)
    assert counts[24] == counts[4] <= 17
