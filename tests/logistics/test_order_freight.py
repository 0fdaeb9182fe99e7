"""Freight stored on orders: per supplier part and per line, idempotent, read by selectors."""

from decimal import Decimal

import pytest

from plugins.logistics import selectors
from plugins.logistics.models import OrderFreight, OrderLineFreight
from plugins.logistics.services.freight import ensure_order_freight
from tests import factories

pytestmark = pytest.mark.django_db


def test_order_freight_is_stored_per_supplier_and_line_when_placed(freight, buyer):
    bolt, nut, wire = freight["bolt"], freight["nut"], freight["wire"]
    jg, df = freight["suppliers"]["jg"], freight["suppliers"]["df"]
    # jg: 3 × 0.5 kg + 5 × 0.2 kg = 2.5 kg → ¥8 + ceil(1.5) × ¥2 = ¥12 (goods ¥195 < ¥500)
    # df: 3 pieces → first 1 ¥10 + ceil(2 / 2) × ¥3 = ¥13
    order = factories.place_order(buyer, [(bolt, 3), (nut, 5), (wire, 3)], province="广东省")
    assert selectors.freight_for_order(order) == {jg.pk: Decimal("12.00"), df.pk: Decimal("13.00")}
    assert ensure_order_freight(order) == {jg.pk: Decimal("12.00"), df.pk: Decimal("13.00")}
    assert OrderFreight.objects.filter(order=order).count() == 2  # the second call stored nothing new
    shares = {s.line.product_id: s.share for s in OrderLineFreight.objects.select_related("line")}
    # jg's ¥12 shared by weight: bolts 1.5 kg, nuts 1.0 kg → 7.20 + 4.80
    assert shares[bolt.pk] == Decimal("7.20")
    assert shares[nut.pk] == Decimal("4.80")
    assert shares[wire.pk] == Decimal("13.00")
    # the order's shipping charge is the same total the buyer saw at checkout
    assert order.shipping_incl_tax == Decimal("25.00")
    explanation = OrderFreight.objects.get(order=order, partner=jg).explanation
    assert "标准快递" in explanation


def test_same_basket_costs_more_in_xinjiang(freight, buyer, xinjiang_buyer):
    items = [(freight["bolt"], 3), (freight["nut"], 5), (freight["wire"], 3)]
    jg, df = freight["suppliers"]["jg"], freight["suppliers"]["df"]
    order = factories.place_order(xinjiang_buyer, items, province="新疆维吾尔自治区")
    # jg: ¥20 + 2 × ¥10 = ¥40; df: ¥30 + ceil(2 / 1) × ¥15 = ¥60
    assert ensure_order_freight(order) == {jg.pk: Decimal("40.00"), df.pk: Decimal("60.00")}
    assert order.shipping_incl_tax == Decimal("100.00")


def test_free_shipping_is_stored_as_zero_with_the_reason(freight, buyer):
    order = factories.place_order(buyer, [(freight["bolt"], 16)], province="广东省")  # ¥512 ≥ ¥500
    jg = freight["suppliers"]["jg"]
    assert ensure_order_freight(order) == {jg.pk: Decimal("0.00")}
    part = OrderFreight.objects.get(order=order)
    assert "500" in part.explanation
    assert part.line_shares.get().share == Decimal("0.00")


def test_orders_without_templates_have_no_freight(catalogue, buyer):
    order = factories.place_order(buyer, [(catalogue["bolt"], 1)])
    assert ensure_order_freight(order) == {catalogue["suppliers"]["jg"].pk: Decimal("0.00")}
    assert order.shipping_incl_tax == Decimal("0.00")
