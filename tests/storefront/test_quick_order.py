from decimal import Decimal

import pytest
from django.urls import reverse
from oscar.core.loading import get_class, get_model

Basket = get_model("basket", "Basket")
Selector = get_class("partner.strategy", "Selector")

pytestmark = pytest.mark.django_db


def basket_of(user):
    basket = Basket.open.filter(owner=user).first()
    return {line.product.upc: line.quantity for line in basket.lines.all()} if basket else {}


def post(client, text):
    return client.post(reverse("storefront:quick-order"), {"lines": text}, follow=True)


def test_quick_order_adds_every_line_and_sums_repeated_skus(buyer_client, buyer, catalogue):
    response = post(buyer_client, "JG-HB-M8-30 20\njg-hn-m8\t5\n\nJG-HB-M8-30,10\nDF-BV-2.5，2")

    assert response.redirect_chain[-1][0] == reverse("basket:summary")
    assert basket_of(buyer) == {"JG-HB-M8-30": 30, "JG-HN-M8": 5, "DF-BV-2.5": 2}
    basket = Basket.open.get(owner=buyer)
    basket.strategy = Selector().strategy(user=buyer)
    # 30 × 32.00 + 5 × 19.80 + 2 × 218.00, VAT included (13 % when no tax class says otherwise):
    # 30 × 3.68 + 5 × 2.28 + 2 × 25.08 of tax
    assert basket.lines.count() == 3
    assert sum(line.line_price_incl_tax for line in basket.lines.all()) == Decimal("1495.00")
    assert sum(line.line_tax for line in basket.lines.all()) == Decimal("171.96")


def test_every_bad_line_is_reported_with_its_number_and_nothing_is_added(buyer_client, buyer, catalogue):
    text = "\n".join(
        [
            "JG-HB-M8-30 20",  # fine
            "NO-SUCH-SKU 1",  # unknown
            "JG-HN-M8 zwei",  # not a number
            "JG-HN-M8 0",  # zero
            "DF-MCB-1P16 4",  # only 3 in stock
            "DF-OLD-1 1",  # not public
            "just-one-token",  # malformed
        ]
    )
    response = post(buyer_client, text)
    body = response.content.decode()

    assert response.status_code == 200
    problems = [str(p.number) for p in response.context["problems"]]
    assert problems == ["2", "3", "4", "5", "6", "7"]
    assert "NO-SUCH-SKU" in body
    assert "没有商品的 SKU 是" in body or "No product has the SKU" in body
    assert basket_of(buyer) == {}


def test_quantity_already_in_basket_counts_against_stock(buyer_client, buyer, catalogue):
    post(buyer_client, "DF-MCB-1P16 2")
    response = post(buyer_client, "DF-MCB-1P16 2")

    assert [p.number for p in response.context["problems"]] == [1]
    assert basket_of(buyer) == {"DF-MCB-1P16": 2}


def test_empty_input_and_too_many_lines_are_rejected(buyer_client, buyer, catalogue):
    response = post(buyer_client, "   \n  ")
    assert response.context["form"].errors or response.context["problems"]

    response = post(buyer_client, "\n".join(f"JG-HN-M8 {n}" for n in range(1, 205)))
    assert len(response.context["problems"]) == 1
    assert basket_of(buyer) == {}


def test_quick_order_needs_a_signed_in_distributor(client, catalogue):
    response = client.get(reverse("storefront:quick-order"))
    assert response.status_code == 302
    assert reverse("customer:login") in response["Location"]


def test_quick_order_page_is_in_chinese(buyer_client, catalogue):
    body = buyer_client.get(reverse("storefront:quick-order")).content.decode()
    assert "快速下单" in body


@pytest.mark.parametrize("quantity", ["²", "①", "٣", "𝟓", "5.0", "-3", "1e3"])
def test_quantities_in_other_digit_systems_are_a_line_problem_not_a_server_error(
    buyer_client, buyer, catalogue, quantity
):
    response = post(buyer_client, f"JG-HB-M8-30 {quantity}")
    assert response.status_code == 200
    assert f"“{quantity}”不是整数数量。" in response.content.decode()
    assert basket_of(buyer) == {}


def test_full_width_digits_from_a_chinese_input_method_are_read(buyer_client, buyer, catalogue):
    post(buyer_client, "JG-HB-M8-30 １２")
    assert basket_of(buyer) == {"JG-HB-M8-30": 12}
