"""Tier prices cost a bounded number of queries, whatever the basket and the tier's rules; the
compiled rule index (member_tiers.rule_index) sees every change of a rule or a category."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oscar.apps.basket import middleware
from oscar.apps.partner import strategy as oscar_strategy
from oscar.core.loading import get_class, get_model

from plugins.member_tiers import rule_index
from plugins.member_tiers.models import Membership, PriceRule
from plugins.member_tiers.pricing import PriceBook
from plugins.member_tiers.services.members import membership_for
from shop.partner.strategy import PlatformStrategy
from tests import factories
from tests.member_tiers.conftest import rule
from tests.storefront.test_checkout import checkout_to_preview

Selector = get_class("partner.strategy", "Selector")
Basket = get_model("basket", "Basket")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db

LINES = (0, 2, 8)  # an empty basket skips the line queries, so 2 and 8 are compared


class PlainOscarStrategy(PlatformStrategy):
    """The same strategy with Oscar's own stock-record price, tax-inclusive at the product's VAT
    rate as every page shows it (the tax's own queries are bounded in tests/finance): the
    baseline of every page."""

    def pricing_policy(self, product, stockrecord, quantity=1):
        price = oscar_strategy.NoTax.pricing_policy(self, product, stockrecord)
        return self._taxed(price, product, price.excl_tax) if price.exists else price


class PlainSelector:
    def strategy(self, request=None, user=None, **kwargs):
        return PlainOscarStrategy(request=request, user=user)


def price_for(user, product, quantity=1):
    strategy = Selector().strategy(user=user)
    return strategy.pricing_policy(product, strategy.select_stockrecord(product), quantity).incl_tax


def fill_basket(user, products) -> None:
    basket, _created = Basket.open.get_or_create(owner=user)
    basket.lines.all().delete()
    basket = Basket.open.get(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for n, product in enumerate(products):
        basket.add_product(product, quantity=1 + n * 7)


def many_rules(tier, products, per_product: int = 4) -> None:
    PriceRule.objects.bulk_create(
        PriceRule(tier=tier, product=p, kind="percent", value=Decimal(2 + n), min_quantity=(1, 10, 50, 100)[n])
        for p in products
        for n in range(per_product)
    )


def queries(client, url, selector, monkeypatch) -> int:
    monkeypatch.setattr(middleware, "selector", selector)
    assert client.get(url).status_code == 200  # warm: compiles the tier's rules once
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def shelf(catalogue):
    """Ten more products in the bolts subcategory (twelve to fill baskets with)."""
    partner = catalogue["suppliers"]["jg"]
    bolts = catalogue["categories"]["bolts"]
    extra = [factories.product(f"JG-X-{n:02d}", price="5.00", partner=partner, categories=(bolts,)) for n in range(10)]
    return [catalogue["bolt"], catalogue["nut"], *extra]


def test_priced_pages_cost_at_most_two_queries_more_than_plain_oscar_flat_in_lines_and_rules(
    gold_buyer, gold_client, tiers, catalogue, shelf, monkeypatch
):
    gold = tiers["gold"]
    rule(tier=gold, category=catalogue["categories"]["fasteners"], kind="percent", value=Decimal("7"))
    rule(tier=gold, product=catalogue["bolt"], kind="fixed", value=Decimal("28.50"), min_quantity=20)
    fill_basket(gold_buyer, shelf[:2])
    checkout_to_preview(gold_client)
    pages = {
        "catalogue": reverse("catalogue:index"),
        "product": catalogue["bolt"].get_absolute_url(),
        "basket": reverse("basket:summary"),
        "checkout": reverse("checkout:preview"),
    }
    member, plain = Selector(), PlainSelector()
    counts = {}
    for rules in ("few", "many"):
        if rules == "many":
            many_rules(gold, [p for p in shelf if p != catalogue["bolt"]])
        for lines in LINES:
            fill_basket(gold_buyer, shelf[:lines])
            for name, url in pages.items():
                if name == "checkout" and not lines:
                    continue
                counts[(name, lines, rules, "member")] = queries(gold_client, url, member, monkeypatch)
                counts[(name, lines, rules, "plain")] = queries(gold_client, url, plain, monkeypatch)
    for (name, lines, rules, who), n in counts.items():
        if who == "member":
            assert n <= counts[(name, lines, rules, "plain")] + 2, (name, lines, rules, counts)
            # flat: neither more basket lines nor more rules in the tier add queries
            assert n == counts[(name, min(lines, 2), "few", "member")], (name, lines, rules, counts)
    # the prices are the member's: the category rule on every line, quantity breaks honoured
    monkeypatch.setattr(middleware, "selector", member)
    fill_basket(gold_buyer, shelf[:3])
    body = gold_client.get(pages["basket"]).content.decode()
    assert "¥29.76" in body  # bolt × 1: 32.00 less the 7 % fasteners rule (its break is from 20)
    assert "¥155.20" in body  # nut × 8: 19.80 less its 2 % product rule from 1 piece, × 8
    assert price_for(gold_buyer, shelf[2], 60) == Decimal("4.80")  # 5.00 less the 4 % break from 50


def test_a_warm_price_book_reads_only_the_membership_whatever_the_number_of_rules(gold_buyer, tiers, catalogue):
    many_rules(tiers["gold"], [catalogue["nut"], catalogue["wire"], catalogue["breaker"]])
    PriceBook(gold_buyer)  # compiles the gold tier's rules
    with CaptureQueriesContext(connection) as captured:
        book = PriceBook(gold_buyer)
        for product in (catalogue["nut"], catalogue["wire"], catalogue["breaker"]):
            book.resolve(product, product.stockrecords.all()[0], 60)
    assert [q["sql"] for q in captured if "member_tiers" in q["sql"]] and len(captured) <= 4
    assert sum("member_tiers_pricerule" in q["sql"] for q in captured) == 0


def test_every_change_of_a_rule_reaches_the_compiled_index(gold_buyer, tiers, catalogue):
    bolt = catalogue["bolt"]
    assert price_for(gold_buyer, bolt) == Decimal("30.40")  # gold default 5 %
    product_rule = rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("29.00"))
    assert price_for(gold_buyer, bolt) == Decimal("29.00")
    product_rule.value = Decimal("28.00")
    product_rule.save()
    assert price_for(gold_buyer, bolt) == Decimal("28.00")
    # moved to another tier: it leaves gold's index too
    product_rule.tier = tiers["diamond"]
    product_rule.save()
    assert price_for(gold_buyer, bolt) == Decimal("30.40")
    product_rule.tier = tiers["gold"]
    product_rule.save()
    product_rule.delete()
    assert price_for(gold_buyer, bolt) == Decimal("30.40")
    # bulk writes: inside batched_rule_writes() the signals collect, one version change at the end
    with rule_index.batched_rule_writes():
        rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("27.00"))
        rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("26.00"), min_quantity=10)
    assert (price_for(gold_buyer, bolt), price_for(gold_buyer, bolt, 10)) == (Decimal("27.00"), Decimal("26.00"))
    # QuerySet writes send no model signals: the rule QuerySet replaces the versions itself
    PriceRule.objects.filter(tier=tiers["gold"]).update(value=Decimal("25.00"))
    assert price_for(gold_buyer, bolt) == Decimal("25.00")
    PriceRule.objects.filter(tier=tiers["gold"]).update(tier=tiers["diamond"])
    assert price_for(gold_buyer, bolt) == Decimal("30.40")
    PriceRule.objects.bulk_create([PriceRule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("24.00"))])
    assert price_for(gold_buyer, bolt) == Decimal("24.00")
    PriceRule.objects.filter(tier=tiers["gold"]).delete()
    assert price_for(gold_buyer, bolt) == Decimal("30.40")
    customer_rule = PriceRule.objects.bulk_create(
        [PriceRule(company=factories.company_of(gold_buyer), product=bolt, kind="fixed", value=Decimal("23.00"))]
    )[0]
    assert price_for(gold_buyer, bolt) == Decimal("23.00")
    customer_rule.value = Decimal("22.00")
    PriceRule.objects.bulk_update([customer_rule], ["value"])
    assert price_for(gold_buyer, bolt) == Decimal("22.00")


def test_customer_rules_are_read_only_for_customers_who_have_some(buyer, tiers, catalogue):
    wire = catalogue["wire"]
    # a rule for a customer before they are a member: the membership made later carries it
    rule(company=factories.company_of(buyer), product=wire, kind="fixed", value=Decimal("198.00"))
    assert price_for(buyer, wire) == Decimal("198.00")
    membership = membership_for(buyer)
    assert membership.rules_version is not None
    assert price_for(buyer, wire) == Decimal("198.00")
    other = factories.distributor("other")
    assert Membership.objects.create(company=factories.company_of(other), tier=tiers["gold"]).rules_version is None
    PriceBook(other)
    record = wire.stockrecords.get()
    with CaptureQueriesContext(connection) as captured:
        assert PriceBook(other).resolve(wire, record).unit_price == Decimal("207.10")
    assert len(captured) == 1  # the membership with its tier; no rule query at all


def test_moving_a_category_reaches_the_compiled_category_rules(gold_buyer, tiers, catalogue):
    bolts = catalogue["categories"]["bolts"]
    rule(tier=tiers["gold"], category=bolts, kind="percent", value=Decimal("10"))
    assert price_for(gold_buyer, catalogue["bolt"]) == Decimal("28.80")
    old_path = bolts.path
    tools = factories.category("工具")
    # as the dashboard's category form does: move, then save; the rule's category has a new path
    bolts.move(tools, "last-child")
    bolts = Category.objects.get(pk=bolts.pk)
    bolts.save()
    assert bolts.path != old_path
    assert price_for(gold_buyer, catalogue["bolt"]) == Decimal("28.80")  # still in bolts
    assert price_for(gold_buyer, catalogue["nut"]) == Decimal("18.81")  # never was: gold 5 %


def test_explaining_a_price_reads_no_rule_rows_one_by_one(gold_buyer, tiers, catalogue):
    bolt = catalogue["bolt"]
    rule(tier=tiers["gold"], category=catalogue["categories"]["fasteners"], kind="percent", value=Decimal("10"))
    rule(tier=tiers["gold"], product=bolt, kind="fixed", value=Decimal("29.00"))
    rule(company=factories.company_of(gold_buyer), product=bolt, kind="fixed", value=Decimal("29.50"), min_quantity=5)
    book = PriceBook(gold_buyer, all_windows=True)
    resolution = book.resolve(bolt, bolt.stockrecords.get(), 5, explain=True)
    with CaptureQueriesContext(connection) as captured:
        labels = [(c.rule.scope_label, c.rule.target_label) for c in resolution.candidates if c.rule]
    assert labels == [("buyer测试贸易有限公司", "JG-HB-M8-30"), ("金牌", "JG-HB-M8-30"), ("金牌", "紧固件")]
    assert len(captured) == 0
