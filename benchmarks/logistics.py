"""Freight: pure quotes per second on one core, and the checkout freight of a basket.

1. The pure calculator (plugins.logistics.calculator.quote) on a template with region rules
   and a free-shipping rule, over varying provinces and weights. Target ≥ 50,000 quotes/s.
   Baseline in the same process: the bare Decimal arithmetic of one quote (first price +
   ceil(extra / unit) × price), so the ratio shows what the rule lookup and checks cost.
2. The checkout freight (the shipping repository's method for a delivery province, as the
   checkout asks for it) for baskets of 10 and 50 lines across 5 suppliers: time and SQL
   queries. The query count must not grow with the line count. Baseline: loading the same
   basket's lines alone (what any basket page does anyway).

    .venv/bin/python benchmarks/logistics.py            # fresh SQLite file
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/logistics.py
"""

import os
import random
import statistics
import time
from decimal import ROUND_CEILING, Decimal

from bench_env import RUNS, start_django  # noqa: E402

start_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402

from core.regions import PROVINCES  # noqa: E402
from plugins.logistics.calculator import FreeRule, Rule, TemplateSpec, quote  # noqa: E402
from plugins.logistics.services.templates import FreeRuleInput, RuleInput, TemplateInput, save_template  # noqa: E402

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductAttribute = get_model("catalogue", "ProductAttribute")
ProductAttributeValue = get_model("catalogue", "ProductAttributeValue")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
ShippingAddress = get_model("order", "ShippingAddress")
Country = get_model("address", "Country")
Selector = get_class("partner.strategy", "Selector")
Repository = get_class("shipping.repository", "Repository")

QUOTES = int(os.environ.get("BENCH_QUOTES", "200000"))
REMOTE = frozenset({"新疆维吾尔自治区", "西藏自治区", "青海省"})


def pure_template() -> TemplateSpec:
    return TemplateSpec(
        1,
        "标准快递",
        "weight",
        Rule(Decimal("1"), Decimal("8.00"), Decimal("1"), Decimal("2.00")),
        (
            (REMOTE, Rule(Decimal("1"), Decimal("20.00"), Decimal("1"), Decimal("10.00"), "region:0")),
            (
                frozenset({"北京市", "天津市", "河北省"}),
                Rule(Decimal("2"), Decimal("10"), Decimal("1"), Decimal("3"), "r1"),
            ),
        ),
        (FreeRule(frozenset({"广东省", "江苏省"}), Decimal("800.00")),),
        frozenset({"台湾省"}),
    )


def pure_inputs(n: int):
    rng = random.Random(5)
    names = [p.name for p in PROVINCES if p.name != "台湾省"]
    return [
        (
            rng.choice(names),
            Decimal(rng.randint(1, 50000)) / 1000,
            Decimal(rng.randint(100, 100000)) / 100,
            rng.randint(1, 50),
        )
        for _ in range(n)
    ]


def best_of(runs: int, action) -> float:
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    return min(timings)


def bench_pure() -> None:
    template = pure_template()
    inputs = pure_inputs(QUOTES)

    def quotes():
        for province, kg, amount, quantity in inputs:
            quote(template, province, kg, amount, quantity)

    first, unit, price = Decimal("8.00"), Decimal("1"), Decimal("2.00")

    def bare():
        for _, kg, _, _ in inputs:
            if kg > unit:
                first + price * int(((kg - unit) / unit).to_integral_value(ROUND_CEILING))

    seconds = best_of(5, quotes)
    base = best_of(5, bare)
    rate = QUOTES / seconds
    print(
        f"pure quotes: {QUOTES} quotes in {seconds * 1000:.1f} ms = {rate:,.0f} quotes/s on one core "
        f"(target ≥ 50,000: {'met' if rate >= 50_000 else 'NOT met'})"
    )
    print(f"  baseline bare Decimal arithmetic: {QUOTES / base:,.0f}/s; ratio quote/bare = {seconds / base:.1f}")


def prepare_catalogue():
    call_command("migrate", verbosity=0)
    pc, _ = ProductClass.objects.get_or_create(slug="bench", defaults={"name": "基准"})
    weight, _ = ProductAttribute.objects.get_or_create(
        product_class=pc, code="weight", defaults={"name": "重量", "type": "float"}
    )
    products = []
    for s in range(5):
        partner, _ = Partner.objects.get_or_create(code=f"bench{s}", defaults={"name": f"基准供应商{s}"})
        if not partner.freight_templates.exists():
            save_template(
                partner=partner,
                data=TemplateInput(
                    name=f"模板{s}",
                    mode=["weight", "piece", "weight", "volume", "piece"][s],
                    first_unit="1",
                    first_price="8",
                    additional_unit="1",
                    additional_price="2",
                    is_default=True,
                    region_rules=[RuleInput(sorted(REMOTE), "1", "20", "1", "10")],
                    free_rules=[FreeRuleInput(["江苏省"], "999")],
                ),
            )
        for n in range(10):
            sku = f"B{s}-{n:02d}"
            product = Product.objects.filter(upc=sku).first()
            if product is None:
                product = Product.objects.create(upc=sku, title=f"基准商品 {sku}", product_class=pc)
                StockRecord.objects.create(
                    product=product, partner=partner, partner_sku=sku, price="12.50", num_in_stock=10**6
                )
                ProductAttributeValue.objects.create(product=product, attribute=weight, value_float=0.35 + n / 10)
            products.append(product)
    user, _ = get_user_model().objects.get_or_create(username="bench", defaults={"email": "bench@example.cn"})
    baskets = {}
    for size in (10, 50):
        basket = Basket.objects.create(owner=user, status=Basket.SAVED)  # one open basket per buyer
        basket.strategy = Selector().strategy(user=user)
        # 10 lines: 2 per supplier; 50 lines: 10 per supplier — always 5 suppliers
        per_supplier = size // 5
        for s in range(5):
            for product in products[s * 10 : s * 10 + per_supplier]:
                basket.add_product(product, 3)
        baskets[size] = basket.pk
    address = ShippingAddress(
        last_name="基准",
        line1="路1号",
        line4="乌鲁木齐市",
        state="新疆维吾尔自治区",
        country=Country.objects.get(iso_3166_1_a2="CN"),
    )
    return user, baskets, address


def bench_checkout() -> None:
    user, baskets, address = prepare_catalogue()
    strategy = Selector().strategy(user=user)

    def load(pk):
        basket = Basket.objects.get(pk=pk)
        basket.strategy = strategy
        return basket

    def checkout_freight(pk):
        def run():
            basket = load(pk)
            methods = Repository().get_shipping_methods(basket=basket, user=user, shipping_addr=address)
            return methods[0].calculate(basket).incl_tax

        return run

    def lines_only(pk):
        def run():
            return len(load(pk).all_lines())

        return run

    print(f"checkout freight ({connection.vendor}; median of {RUNS} runs; 5 suppliers; to 新疆):")
    print(f"  {'lines':>5}{'ms':>9}{'queries':>9}{'baseline ms':>13}{'baseline q':>12}{'ratio':>7}  freight")
    for size, pk in sorted(baskets.items()):
        ms, queries, value = measure(checkout_freight(pk))
        base_ms, base_q, _ = measure(lines_only(pk))
        print(f"  {size:>5}{ms:>9.2f}{queries:>9}{base_ms:>13.2f}{base_q:>12}{ms / base_ms:>7.1f}  ¥{value}")


def measure(action):
    for _ in range(3):
        action()
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        value = action()
    return statistics.median(timings) * 1000, len(queries), value


if __name__ == "__main__":
    bench_pure()
    bench_checkout()
