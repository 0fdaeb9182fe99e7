"""Member pricing on the catalogue page: latency and SQL queries for a tiered distributor,
against plain Oscar pricing (the same PlatformStrategy without member prices) on the same data
in the same run, at page sizes 20 and 100. Runs alternate between the two so drift hits both.

    .venv/bin/python benchmarks/member_tiers.py            # fresh SQLite file
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/member_tiers.py
"""

import statistics
import time

from bench_env import RUNS, start_django  # noqa: E402

start_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.apps.basket import middleware  # noqa: E402
from oscar.apps.partner import strategy as oscar_strategy  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.demo.seed import seed_demo  # noqa: E402
from plugins.member_tiers.models import Membership, PriceRule, Tier  # noqa: E402
from plugins.member_tiers.services.members import change_tier  # noqa: E402
from shop.partner.strategy import PlatformStrategy, Selector  # noqa: E402
from shop.search.views.base import BaseSearchView  # noqa: E402

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Category = get_model("catalogue", "Category")


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
    if Product.objects.count() < 130:
        partner = Partner.objects.first()
        product_class = Product.objects.first().product_class
        fasteners = Category.objects.get(name="紧固件", depth=1)
        for n in range(40):
            product = Product.objects.create(
                upc=f"BENCH-{n:03d}", title=f"基准测试商品 {n:03d}", product_class=product_class
            )
            product.categories.add(fasteners.get_children().first())
            StockRecord.objects.create(
                product=product, partner=partner, partner_sku=f"BENCH-{n:03d}", price="9.90", num_in_stock=100
            )
    gold = Tier.objects.get(code="gold")
    member = Membership.objects.filter(tier=gold).select_related("user").first()
    if member is None:  # a month of history qualifies nobody for gold: promote one member by hand
        member = Membership.objects.select_related("user").order_by("user__email").first()
        change_tier(member, gold, reason="benchmark")
    return member.user, PriceRule.objects.filter(tier=gold).count()


def run_page(client, size):
    BaseSearchView.paginate_by = size
    response = client.get("/catalogue/")
    assert response.status_code == 200 and response.content.count(b"product_pod") == size
    return response


def measure(client, size, selector):
    middleware.selector = selector
    for _ in range(3):
        run_page(client, size)
    with CaptureQueriesContext(connection) as queries:
        run_page(client, size)
    return len(queries)


def main():
    user, rules = prepare()
    client = Client()
    client.force_login(user)
    print(f"database: {connection.vendor}; member {user.email} (金牌, {rules} gold rules); median of {RUNS} runs")
    print(f"{'catalogue page':<16}{'size':>6}{'member ms':>11}{'queries':>9}{'plain ms':>10}{'queries':>9}{'ratio':>8}")
    member, plain = Selector(), PlainSelector()
    for size in (20, 100):
        q_member = measure(client, size, member)
        q_plain = measure(client, size, plain)
        timings = {"member": [], "plain": []}
        for _ in range(RUNS):
            for name, selector in (("member", member), ("plain", plain)):
                middleware.selector = selector
                start = time.perf_counter()
                run_page(client, size)
                timings[name].append(time.perf_counter() - start)
        ms_member = statistics.median(timings["member"]) * 1000
        ms_plain = statistics.median(timings["plain"]) * 1000
        print(
            f"{'/catalogue/':<16}{size:>6}{ms_member:>11.2f}{q_member:>9}{ms_plain:>10.2f}{q_plain:>9}{ms_member / ms_plain:>8.2f}"
        )
    middleware.selector = member
    body = run_page(client, 20).content.decode()
    assert "金牌" in body, "the member page shows tier prices"


if __name__ == "__main__":
    main()
