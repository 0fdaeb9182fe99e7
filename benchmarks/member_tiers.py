"""Tier-priced pages against plain Oscar: the catalogue, a product page, the basket and the
checkout preview, for a gold member with 0, 10 and 50 basket lines while the gold tier has 10,
1,000 and 10,000 price rules.

A (member) is the platform's strategy with member prices; B (plain) is the same view, same
data, same request, with Oscar's own stock-record price (the same PlatformStrategy without
member prices). Runs alternate A/B so drift hits both; each row prints min and median of both,
the ratios (min/median), the SQL queries of one request of each, and the peak Python memory
one request allocates (tracemalloc). Then the cold request: the first page after a rule was
saved (the tier's compiled rule index is rebuilt once per process).

    .venv/bin/python benchmarks/member_tiers.py              # throwaway SQLite file
    .venv/bin/python benchmarks/member_tiers.py --postgres   # throwaway PostgreSQL 15 cluster
    BENCH_RUNS=25 BENCH_RULES=10,10000 BENCH_LINES=0,50 ...  # more runs, fewer cases
"""

import os
import time
from decimal import Decimal

from bench_env import (  # noqa: E402
    RUNS,
    cpu_ratio_text,
    database_label,
    interleaved,
    peak_kib,
    queries,
    ratio_text,
    start_django,
)

start_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils.text import slugify  # noqa: E402
from oscar.apps.basket import middleware  # noqa: E402
from oscar.apps.partner import strategy as oscar_strategy  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.demo.seed import seed_demo  # noqa: E402

try:
    from plugins.member_tiers import rule_index  # noqa: E402
except ImportError:  # before the compiled rule index existed
    rule_index = None
from plugins.member_tiers.models import Membership, PriceRule, Tier  # noqa: E402
from shop.partner.strategy import PlatformStrategy, Selector  # noqa: E402

Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")

PRODUCTS = 2500  # 10,000 rules = 2,500 products × 4 quantity breaks
BREAKS = (1, 10, 50, 100)
RULE_COUNTS = [int(n) for n in os.environ.get("BENCH_RULES", "10,1000,10000").split(",")]
LINE_COUNTS = [int(n) for n in os.environ.get("BENCH_LINES", "0,10,50").split(",")]
ADDRESS = {
    "last_name": "李四",
    "line2": "成都川西工业品贸易有限公司",
    "phone_number": "13808012346",
    "state": "四川省",
    "line4": "成都市",
    "line3": "武侯区",
    "line1": "武兴四路166号",
    "postcode": "610045",
}


class PlainOscarStrategy(PlatformStrategy):
    """The platform strategy without member prices: Oscar's own stock-record price."""

    def pricing_policy(self, product, stockrecord, quantity=1):
        return oscar_strategy.NoTax.pricing_policy(self, product, stockrecord)


class PlainSelector:
    def strategy(self, request=None, user=None, **kwargs):
        return PlainOscarStrategy(request=request, user=user)


def prepare():
    call_command("migrate", verbosity=0)
    seed_demo(months=1)
    partner, _created = Partner.objects.get_or_create(code="bench", defaults={"name": "基准测试供应商有限公司"})
    if not Product.objects.filter(upc__startswith="BENCH-").exists():
        product_class = Product.objects.first().product_class
        leaf = Category.objects.get(name="紧固件", depth=1).get_children().first()
        products = Product.objects.bulk_create(
            Product(
                upc=f"BENCH-{n:05d}",
                title=f"基准测试商品 {n:05d}",
                slug=slugify(f"bench-{n:05d}"),
                product_class=product_class,
                structure=Product.STANDALONE,
            )
            for n in range(PRODUCTS)
        )
        products = list(Product.objects.filter(upc__startswith="BENCH-").order_by("upc"))
        ProductCategory.objects.bulk_create(ProductCategory(product=p, category=leaf) for p in products)
        StockRecord.objects.bulk_create(
            StockRecord(
                product=p,
                partner=partner,
                partner_sku=p.upc,
                price=Decimal("9.90") + n % 50,
                price_currency="CNY",
                num_in_stock=100_000,
            )
            for n, p in enumerate(products)
        )
    gold = Tier.objects.get(code="gold")
    users = []
    memberships = Membership.objects.filter(company__status="verified").order_by("company__customer_code")[:3]
    for lines, membership in zip(LINE_COUNTS, memberships, strict=False):
        Membership.objects.filter(pk=membership.pk).update(tier=gold)
        users.append((lines, membership.company.members.filter(role="admin").first().user))
    return gold, users


def set_rules(gold: Tier, count: int) -> None:
    """``count`` gold product rules (quantity breaks on the bench products) besides the demo's."""
    PriceRule.objects.filter(tier=gold, product__upc__startswith="BENCH-").delete()
    products = list(Product.objects.filter(upc__startswith="BENCH-").order_by("upc").values_list("pk", flat=True))
    per_product = max(1, count // len(products))
    rules = []
    for n in range(count):
        product = products[n // per_product % len(products)]
        rules.append(
            PriceRule(
                tier=gold,
                product_id=product,
                kind=PriceRule.PERCENT,
                value=Decimal(3 + n % per_product),
                min_quantity=BREAKS[n % per_product],
            )
        )
    PriceRule.objects.bulk_create(rules)
    if rule_index is not None:  # bulk writes bypass the signals that keep the compiled index fresh
        rule_index.price_rules_changed(tier_ids=[gold.pk])


def fill_basket(user, lines: int) -> None:
    Basket.objects.filter(owner=user).delete()
    basket = Basket.objects.create(owner=user)
    basket.strategy = Selector().strategy(user=user)
    for n, product in enumerate(Product.objects.filter(upc__startswith="BENCH-").order_by("upc")[:lines]):
        basket.add_product(product, quantity=1 + (n * 7) % 120)


def to_preview(client: Client) -> None:
    client.get("/checkout/", follow=True)
    client.post("/checkout/shipping-address/", ADDRESS, follow=True)
    client.get("/checkout/shipping-method/", follow=True)
    response = client.post("/checkout/preview/", {"method": "bank-transfer"})
    assert response.status_code == 200, response.status_code


def page(client: Client, url: str, selector):
    def run():
        middleware.selector = selector
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    return run


def main():
    gold, users = prepare()
    product_url = Product.objects.get(upc="BENCH-00000").get_absolute_url()
    member, plain = Selector(), PlainSelector()
    clients = {}
    for lines, user in users:
        fill_basket(user, lines)
        client = Client()
        client.force_login(user)
        if lines:
            middleware.selector = member
            to_preview(client)
        clients[lines] = client
    print(f"database: {database_label()}; gold member vs plain Oscar strategy; {RUNS} interleaved runs")
    print("wall ms and ratio member/plain (min/median); cpu = ratio of this process's CPU time (min/median);")
    print("queries member/plain; peak = KiB allocated in one request, member/plain")
    header = f"{'page':<10}{'lines':>6}{'rules':>7}{'member min/med ms':>19}{'plain min/med ms':>18}"
    print(header + f"{'wall':>11}{'cpu':>11}{'queries':>10}{'extra':>7}{'peak KiB m/p':>15}")
    pages = (
        ("catalogue", "/catalogue/"),
        ("product", product_url),
        ("basket", "/basket/"),
        ("checkout", "/checkout/preview/"),
    )
    for count in RULE_COUNTS:
        set_rules(gold, count)
        rules = PriceRule.objects.filter(tier=gold).count()
        client = clients[LINE_COUNTS[0]]
        start = time.perf_counter()
        page(client, "/catalogue/", member)()
        cold_ms = (time.perf_counter() - start) * 1000
        print(f"-- {rules} gold rules; first catalogue request after saving them (cold): {cold_ms:.1f} ms")
        for lines, _user in users:
            client = clients[lines]
            for name, url in pages:
                if name == "checkout" and not lines:
                    continue  # an empty basket cannot check out
                a, b = page(client, url, member), page(client, url, plain)
                a(), b()  # a first visit writes Oscar's analytics rows: count a steady request
                qa, qb = queries(a), queries(b)
                ma, mb = peak_kib(a), peak_kib(b)
                ta, tb = interleaved(a, b)
                print(
                    f"{name:<10}{lines:>6}{rules:>7}{ta.min_ms:>10.1f}/{ta.median_ms:<8.1f}{tb.min_ms:>9.1f}/{tb.median_ms:<8.1f}"
                    f"{ratio_text(ta, tb):>11}{cpu_ratio_text(ta, tb):>11}"
                    f"{f'{qa}/{qb}':>10}{qa - qb:>+7}{f'{ma}/{mb}':>15}"
                )
    middleware.selector = member


if __name__ == "__main__":
    main()
