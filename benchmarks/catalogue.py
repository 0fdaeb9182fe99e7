"""Catalogue page and GraphQL product list at page sizes 20 and 100, for a gold member: latency
and SQL queries with the platform's strategy (member prices) against the same view, same data,
same request, with Oscar's plain strategy (stock-record prices), alternating A/B in one run;
min and median of both and their ratios (wall clock and this process's CPU time).

    .venv/bin/python benchmarks/catalogue.py              # throwaway SQLite file
    .venv/bin/python benchmarks/catalogue.py --postgres   # throwaway PostgreSQL 15 cluster
"""

import json

from bench_env import (  # noqa: E402
    RUNS,
    cpu_ratio_text,
    database_label,
    interleaved,
    queries,
    ratio_text,
    start_django,
)

start_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from oscar.apps.basket import middleware  # noqa: E402
from oscar.apps.partner import strategy as oscar_strategy  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.demo.seed import seed_demo  # noqa: E402
from plugins.member_tiers.models import Membership, Tier  # noqa: E402
from shop.partner.strategy import PlatformStrategy, Selector  # noqa: E402
from shop.search.views.base import BaseSearchView  # noqa: E402

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

GRAPHQL = "query($n: Int) { products(first: $n) { totalCount items { sku title price { inclTax } availability { isAvailable } } } }"


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
    if Product.objects.count() < 130:  # enough for a page of 100 and more
        partner = Partner.objects.first()
        product_class = Product.objects.first().product_class
        for n in range(40):
            product = Product.objects.create(
                upc=f"BENCH-{n:03d}", title=f"基准测试商品 {n:03d}", product_class=product_class
            )
            StockRecord.objects.create(
                product=product, partner=partner, partner_sku=f"BENCH-{n:03d}", price="9.90", num_in_stock=100
            )
    gold = Tier.objects.get(code="gold")
    membership = Membership.objects.filter(company__status="verified").order_by("company__customer_code").first()
    Membership.objects.filter(pk=membership.pk).update(tier=gold)
    return membership.company.members.filter(role="admin").first().user


def catalogue_page(client: Client, size: int, selector):
    def run():
        middleware.selector = selector
        BaseSearchView.paginate_by = size
        response = client.get("/catalogue/")
        assert response.status_code == 200 and response.content.count(b"product_pod") == size

    return run


def graphql_list(client: Client, size: int, selector):
    body = json.dumps({"query": GRAPHQL, "variables": {"n": size}})

    def run():
        middleware.selector = selector
        response = client.post("/graphql/", body, content_type="application/json")
        assert len(response.json()["data"]["products"]["items"]) == size

    return run


def main() -> None:
    user = prepare()
    client = Client()
    client.force_login(user)
    member, plain = Selector(), PlainSelector()
    print(f"database: {database_label()}; gold member, platform strategy (A) vs Oscar's plain strategy (B)")
    print(f"{RUNS} interleaved runs; ratios A/B min/median, wall clock and CPU time")
    print(f"{'what':<28}{'size':>5}{'A min/med ms':>16}{'B min/med ms':>16}{'wall':>11}{'cpu':>11}{'queries A/B':>13}")
    for name, factory in (("catalogue page /catalogue/", catalogue_page), ("GraphQL products", graphql_list)):
        for size in (20, 100):
            a, b = factory(client, size, member), factory(client, size, plain)
            a(), b()
            qa, qb = queries(a), queries(b)
            ta, tb = interleaved(a, b)
            print(
                f"{name:<28}{size:>5}{ta.min_ms:>8.1f}/{ta.median_ms:<7.1f}{tb.min_ms:>8.1f}/{tb.median_ms:<7.1f}"
                f"{ratio_text(ta, tb):>11}{cpu_ratio_text(ta, tb):>11}{f'{qa}/{qb}':>13}"
            )
    middleware.selector = member


if __name__ == "__main__":
    main()
