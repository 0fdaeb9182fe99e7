"""Tax-inclusive prices (含税价) through the kernel's tax_rate hook: the rate of a product comes from
its own tax class, else the deepest category's, else 13 %; basket and order lines carry it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_class

from core import pricing
from plugins.finance.selectors.invoices_tax import TaxTable
from tests import factories
from tests.finance.fixtures_invoices import FASTENER_CODE, tax_classes

Selector = get_class("partner.strategy", "Selector")
pytestmark = pytest.mark.django_db


def test_split_tax_sums_exactly_and_rounds_half_up():
    assert pricing.split_tax(Decimal("32.00"), Decimal("0.13")) == (Decimal("28.32"), Decimal("3.68"))
    assert pricing.split_tax(Decimal("218.00"), Decimal("0.09")) == (Decimal("200.00"), Decimal("18.00"))
    assert pricing.split_tax(Decimal("0.01"), Decimal("0.13")) == (Decimal("0.01"), Decimal("0.00"))
    assert pricing.split_tax(Decimal("5.00"), Decimal("0")) == (Decimal("5.00"), Decimal("0.00"))
    for cents in range(1, 3000, 7):
        amount = Decimal(cents) / 100
        excl, tax = pricing.split_tax(amount, Decimal("0.13"))
        assert excl + tax == amount and abs(excl * Decimal("0.13") - tax) <= Decimal("0.01")


def test_rate_from_product_then_deepest_category_then_default(catalogue):
    classes = tax_classes(catalogue)
    table = TaxTable()
    found = table.classes([catalogue["bolt"], catalogue["nut"], catalogue["wire"], catalogue["breaker"]])
    bolt, nut, wire, breaker = (found[catalogue[k].pk] for k in ("bolt", "nut", "wire", "breaker"))
    assert (bolt.rate, bolt.code, bolt.source) == (Decimal("0.1300"), FASTENER_CODE, "category")  # 螺栓 ⊂ 紧固件
    assert (nut.rate, nut.source) == (Decimal("0.1300"), "category")
    assert (wire.rate, wire.code, wire.source) == (Decimal("0.0900"), classes["wire"].code, "product")
    assert (breaker.rate, breaker.code, breaker.source) == (Decimal("0.13"), "", "default")
    # a deeper category's own class wins over its ancestor's
    from plugins.finance.models import TaxCategory

    TaxCategory.objects.create(
        category=catalogue["categories"]["bolts"], rate=Decimal("0.06"), code="3" * 19, short_name="x"
    )
    assert TaxTable().class_of(catalogue["bolt"]).rate == Decimal("0.0600")


def test_product_price_is_tax_inclusive_with_rate_and_tax(catalogue, buyer):
    tax_classes(catalogue)
    for strategy in (Selector().strategy(), Selector().strategy(user=buyer)):
        wire = strategy.fetch_for_product(catalogue["wire"]).price
        assert (wire.incl_tax, wire.excl_tax, wire.tax, wire.rate) == (
            Decimal("218.00"),
            Decimal("200.00"),
            Decimal("18.00"),
            Decimal("0.0900"),
        )
        bolt = strategy.fetch_for_product(catalogue["bolt"]).price
        assert (bolt.incl_tax, bolt.excl_tax, bolt.tax, bolt.tax_code) == (
            Decimal("32.00"),
            Decimal("28.32"),
            Decimal("3.68"),
            "0.1300",
        )


def test_listing_prices_read_no_rate_and_a_basket_reads_all_rates_at_once(catalogue, buyer):
    tax_classes(catalogue)
    strategy = Selector().strategy()
    products = [catalogue[k] for k in ("bolt", "nut", "wire", "breaker")]
    with CaptureQueriesContext(connection) as listing:
        prices = [strategy.fetch_for_product(p).price.incl_tax for p in products]
    assert prices == [Decimal("32.00"), Decimal("19.80"), Decimal("218.00"), Decimal("13.80")]
    assert not [q for q in listing.captured_queries if "finance_" in q["sql"] or "productcategory" in q["sql"]]
    # one round for all four: the category classes, the product overrides, the products' categories
    rounds = Selector().strategy()
    for p in products:
        rounds.fetch_for_product(p)
    rounds._tax_pending = {p.pk: p for p in products}
    with CaptureQueriesContext(connection) as taxed:
        taxes = [rounds.fetch_for_product(p).price.tax for p in products]
    assert taxes == [Decimal("3.68"), Decimal("2.28"), Decimal("18.00"), Decimal("1.59")]
    assert len(taxed.captured_queries) - len(listing.captured_queries) <= 3


def test_order_lines_store_rate_and_tax_and_totals_add_up(catalogue, buyer):
    tax_classes(catalogue)
    order = factories.place_order(buyer, [(catalogue["bolt"], 3), (catalogue["wire"], 2)])
    lines = {line.partner_sku: line for line in order.lines.all()}
    bolt, wire = lines["JG-HB-M8-30"], lines["DF-BV-2.5"]
    assert (bolt.tax_code, bolt.unit_price_incl_tax, bolt.unit_price_excl_tax) == (
        "0.1300",
        Decimal("32.00"),
        Decimal("28.32"),
    )
    assert (bolt.line_price_incl_tax, bolt.line_price_excl_tax) == (Decimal("96.00"), Decimal("84.96"))
    assert (wire.tax_code, wire.line_price_incl_tax, wire.line_price_excl_tax) == (
        "0.0900",
        Decimal("436.00"),
        Decimal("400.00"),
    )
    assert order.basket_total_incl_tax == Decimal("532.00")
    assert order.basket_total_excl_tax == Decimal("484.96")
    assert order.total_incl_tax - order.total_excl_tax == Decimal("47.04")


def test_without_the_finance_plugin_the_tax_is_zero(catalogue, monkeypatch):
    tax_classes(catalogue)
    monkeypatch.setattr(pricing, "provider", lambda hook: None)
    price = Selector().strategy().fetch_for_product(catalogue["wire"]).price
    assert (price.incl_tax, price.excl_tax, price.tax, price.tax_code) == (
        Decimal("218.00"),
        Decimal("218.00"),
        Decimal("0.00"),
        None,
    )
