"""Buying in B2B quantities (issue 13, item 2): an offer's minimum order quantity (起订量) and
pack multiple (包装倍数) are enforced wherever a quantity enters the basket — the product page,
the listing, the basket page, quick order, GraphQL — with one clear message and nothing changed;
the signed-in buyer sees their quantity-break table (阶梯价) on the product page; the basket
shows each line's SKU, supplier and unit price, and a quantity break is not a "price changed"."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from plugins.member_tiers.models import Membership
from tests import factories
from tests.member_tiers.conftest import make_tier, rule
from tests.storefront.test_graphql import gql

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

MOQ = "起订量为 10 件。"
PACK = "数量须为 5 的倍数。"


@pytest.fixture
def anchor(catalogue):
    """膨胀螺栓 M6 at ¥13.80 list, sold from 10 pieces in packs of 5."""
    product = factories.product("JG-AB-M6", "膨胀螺栓 M6", "13.80", 500, catalogue["suppliers"]["jg"])
    StockRecord.objects.filter(product=product).update(min_order_quantity=10, pack_multiple=5)
    return product


@pytest.fixture
def gold(buyer, anchor):
    """The buyer's company is a gold member (5 % off list) with breaks on the anchor: ≥10 ¥13.10, ≥50 ¥12.40."""
    gold = make_tier("gold", "金牌", 3, "5")
    Membership.objects.create(company=factories.company_of(buyer), tier=gold)
    rule(tier=gold, product=anchor, kind="fixed", value=Decimal("13.10"), min_quantity=10)
    rule(tier=gold, product=anchor, kind="fixed", value=Decimal("12.40"), min_quantity=50)
    return gold


def add(client, product, quantity):
    return client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": quantity}, follow=True)


def lines(buyer):
    return {line.product.upc: line.quantity for line in Line.objects.filter(basket__owner=buyer, basket__status="Open")}


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- the product page and the listing ---------------------------------------------------------


def test_the_product_page_shows_the_terms_the_supplier_and_the_buyers_quantity_breaks(buyer_client, gold, anchor):
    body = text(buyer_client.get(anchor.get_absolute_url()))
    assert 'id="product-supplier">苏州精工五金制品有限公司<' in body
    assert 'id="product-moq">10 件<' in body
    assert 'id="product-pack">5<' in body
    # the quantity input starts at the smallest quantity and steps by the pack
    field = re.search(r'<input[^>]*name="quantity"[^>]*>', body).group(0)
    assert 'value="10"' in field and 'min="10"' in field and 'step="5"' in field
    # the buyer's breaks from the minimum up, to the fen
    table = re.search(r'<table[^>]*id="price-breaks".*?</table>', body).group(0)
    rows = re.findall(r"<td>≥(\d+)</td>\s*<td[^>]*>([^<]+)</td>", table)
    assert rows == [("10", "¥13.10"), ("50", "¥12.40")]


def test_the_break_table_follows_the_buyers_own_rules_and_anonymous_visitors_see_none(buyer, gold, anchor):
    # the company's own rule outranks the tier's breaks at every quantity: one price, no table
    rule(company=factories.company_of(buyer), product=anchor, kind="fixed", value=Decimal("12.00"))
    client = Client()
    client.force_login(buyer)
    assert 'id="price-breaks"' not in client.get(anchor.get_absolute_url()).content.decode()
    assert 'id="price-breaks"' not in Client().get(anchor.get_absolute_url()).content.decode()


def test_listings_have_a_quantity_input_from_the_smallest_quantity(buyer_client, buyer, gold, anchor, catalogue):
    body = text(buyer_client.get(reverse("catalogue:index")))
    field = re.search(rf'<input[^>]*id="{anchor.pk}-qty"[^>]*>', body).group(0)
    assert 'name="quantity"' in field and 'value="10"' in field and 'step="5"' in field
    bolt = re.search(rf'<input[^>]*id="{catalogue["bolt"].pk}-qty"[^>]*>', body).group(0)
    assert 'value="1"' in bolt and 'step="1"' in bolt
    # the listing's form adds what it says
    add(buyer_client, anchor, 15)
    assert lines(buyer) == {"JG-AB-M6": 15}


# --- enforcement: product page, basket page, quick order, GraphQL ----------------------------------


def test_adding_below_the_minimum_or_off_the_pack_is_refused_and_adds_nothing(buyer_client, buyer, anchor):
    body = text(add(buyer_client, anchor, 5))
    assert MOQ in body
    assert lines(buyer) == {}
    body = text(add(buyer_client, anchor, 12))
    assert PACK in body
    assert lines(buyer) == {}
    add(buyer_client, anchor, 10)
    add(buyer_client, anchor, 3)  # 13 in the line: refused, the 10 stay
    assert lines(buyer) == {"JG-AB-M6": 10}
    add(buyer_client, anchor, 5)
    assert lines(buyer) == {"JG-AB-M6": 15}


def test_the_basket_page_refuses_a_quantity_that_breaks_the_terms(buyer_client, buyer, anchor):
    add(buyer_client, anchor, 20)
    line = Line.objects.get(basket__owner=buyer)
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "7",
    }
    body = text(buyer_client.post(reverse("basket:summary"), form, follow=True))
    assert MOQ in body
    body = text(buyer_client.post(reverse("basket:summary"), {**form, "form-0-quantity": "22"}, follow=True))
    assert PACK in body
    assert lines(buyer) == {"JG-AB-M6": 20}
    buyer_client.post(reverse("basket:summary"), {**form, "form-0-quantity": "25"}, follow=True)
    assert lines(buyer) == {"JG-AB-M6": 25}


def test_quick_order_reports_the_lines_that_break_the_terms_and_adds_nothing(buyer_client, buyer, anchor, catalogue):
    body = text(
        buyer_client.post(reverse("storefront:quick-order"), {"lines": "JG-HB-M8-30 3\nJG-AB-M6 8\n"}, follow=True)
    )
    assert MOQ in body
    assert lines(buyer) == {}
    body = text(buyer_client.post(reverse("storefront:quick-order"), {"lines": "JG-AB-M6 11"}, follow=True))
    assert PACK in body
    assert lines(buyer) == {}
    # the same SKU on two lines is summed before the terms are checked
    buyer_client.post(reverse("storefront:quick-order"), {"lines": "JG-AB-M6 6\nJG-AB-M6 4\nJG-HB-M8-30 3"})
    assert lines(buyer) == {"JG-AB-M6": 10, "JG-HB-M8-30": 3}


ADD = """mutation($sku: String!, $q: Int!) { basketAddLine(sku: $sku, quantity: $q) {
  basket { lines { id sku supplier quantity unitPrice { inclTax } } } errors { field message code } } }"""
SET = """mutation($id: ID!, $q: Int!) { basketSetLineQuantity(lineId: $id, quantity: $q) {
  basket { lines { quantity } } errors { field message code } } }"""


def test_graphql_basket_mutations_keep_the_terms_with_field_errors(buyer_client, buyer, gold, anchor):
    __, data = gql(buyer_client, ADD, {"sku": "JG-AB-M6", "q": 4})
    assert data["data"]["basketAddLine"]["errors"] == [{"field": "quantity", "message": MOQ, "code": "not_permitted"}]
    __, data = gql(buyer_client, ADD, {"sku": "JG-AB-M6", "q": 13})
    assert data["data"]["basketAddLine"]["errors"][0]["message"] == PACK
    assert lines(buyer) == {}
    __, data = gql(buyer_client, ADD, {"sku": "JG-AB-M6", "q": 50})
    payload = data["data"]["basketAddLine"]
    assert payload["errors"] == []
    [line] = payload["basket"]["lines"]
    assert (line["sku"], line["supplier"], line["quantity"]) == ("JG-AB-M6", "苏州精工五金制品有限公司", 50)
    assert line["unitPrice"]["inclTax"] == "12.40"  # the ≥50 break
    # fewer is refused too when it breaks the terms (below the minimum, off the pack); nothing changes
    for quantity, message in ((5, MOQ), (48, PACK)):
        __, data = gql(buyer_client, SET, {"id": line["id"], "q": quantity})
        assert data["data"]["basketSetLineQuantity"]["errors"] == [
            {"field": "quantity", "message": message, "code": "not_permitted"}
        ]
    assert lines(buyer) == {"JG-AB-M6": 50}
    __, data = gql(buyer_client, SET, {"id": line["id"], "q": 0})  # 0 still removes the line
    assert data["data"]["basketSetLineQuantity"]["errors"] == [] and lines(buyer) == {}


PRODUCT = """query($sku: String!) { product(sku: $sku) {
  minOrderQuantity packMultiple priceBreaks { minQuantity unitPrice } price { inclTax } } }"""


def test_graphql_products_carry_the_terms_and_the_askers_breaks(buyer_client, gold, anchor):
    __, data = gql(buyer_client, PRODUCT, {"sku": "JG-AB-M6"})
    product = data["data"]["product"]
    assert (product["minOrderQuantity"], product["packMultiple"]) == (10, 5)
    assert product["priceBreaks"] == [
        {"minQuantity": 10, "unitPrice": "13.10"},
        {"minQuantity": 50, "unitPrice": "12.40"},
    ]
    __, data = gql(Client(), PRODUCT, {"sku": "JG-AB-M6"})  # anonymous: the list price for every quantity
    assert data["data"]["product"]["priceBreaks"] == [{"minQuantity": 10, "unitPrice": "13.80"}]


# --- the basket page ------------------------------------------------------------------------


def test_the_basket_shows_sku_supplier_terms_and_the_unit_price_at_the_lines_quantity(buyer_client, gold, anchor):
    add(buyer_client, anchor, 50)
    body = text(buyer_client.get(reverse("basket:summary")))
    assert "SKU: JG-AB-M6" in body or "SKU：JG-AB-M6" in body
    assert "苏州精工五金制品有限公司" in body
    assert "起订 10 件，须为 5 的倍数" in body
    assert re.search(r'line-unit-price">[^¥]*¥12\.40', body)  # the unit price at 50
    assert "¥620.00" in body  # 50 × 12.40


def test_a_quantity_break_is_not_a_price_change_but_a_new_list_price_is(buyer_client, buyer, gold, anchor):
    add(buyer_client, anchor, 50)  # priced at ≥50: ¥12.40 (Oscar stored the one-unit price)
    for _visit in range(2):
        assert "加入购物车以来" not in buyer_client.get(reverse("basket:summary")).content.decode()
    line = Line.objects.get(basket__owner=buyer)
    assert line.price_incl_tax == Decimal("12.40")
    # the basket page lowers it to 20 (≥10: ¥13.10): still no notice, and the stored price follows
    form = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": str(line.pk),
        "form-0-quantity": "20",
    }
    buyer_client.post(reverse("basket:summary"), form)
    assert "加入购物车以来" not in buyer_client.get(reverse("basket:summary")).content.decode()
    assert Line.objects.get(pk=line.pk).price_incl_tax == Decimal("13.10")
    # a real change of the buyer's price at that quantity is still told
    rule(tier=gold, product=anchor, kind="fixed", value=Decimal("13.50"), min_quantity=20)
    body = buyer_client.get(reverse("basket:summary")).content.decode()
    assert "加入购物车以来" in body and "¥13.10" in body and "¥13.50" in body
