"""Product search over 10,000 products: the platform's search (storefront.search on the database
backend: jieba words, synonyms, ranking, one page of 20 with the product list's prefetches, the
total and the three facets) against the plain search the storefront had before (every word
``icontains`` in title, SKU or description, ordered by title, one page of 20 and the total — no
ranking, no facets), same data, same process, alternating A/B; min and median of both and their
ratios (wall clock and this process's CPU time), and the queries of one run.

    .venv/bin/python benchmarks/search.py --postgres   # throwaway PostgreSQL 15 cluster
    .venv/bin/python benchmarks/search.py              # throwaway SQLite file
"""

import itertools
import random
import time
from decimal import Decimal

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
from django.utils.text import slugify  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from storefront.models import SynonymGroup  # noqa: E402
from storefront.search import selectors as search  # noqa: E402
from storefront.search import services  # noqa: E402
from storefront.selectors import browsable_products  # noqa: E402

Product = get_model("catalogue", "Product")
ProductClass = get_model("catalogue", "ProductClass")
ProductCategory = get_model("catalogue", "ProductCategory")
Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

PRODUCTS = 10_000
MATERIALS = ["", "304不锈钢", "碳钢", "镀锌", "黄铜", "尼龙", "高强度"]
KINDS = [
    ("外六角螺栓", "紧固件"),
    ("内六角螺钉", "紧固件"),
    ("六角螺母", "紧固件"),
    ("平垫圈", "紧固件"),
    ("弹簧垫圈", "紧固件"),
    ("膨胀螺栓", "紧固件"),
    ("自攻螺丝", "紧固件"),
    ("十字沉头螺钉", "紧固件"),
    ("铜芯电线", "电工电气"),
    ("小型断路器", "电工电气"),
    ("劳保手套", "劳保用品"),
    ("活动扳手", "工具"),
    ("钻头", "工具"),
    ("密封圈", "密封件"),
    ("轴承", "传动件"),
]
SIZES = ["M4", "M5", "M6", "M8", "M10", "M12", "M16", "M20"]
DESCRIPTIONS = ["适用于机械设备安装", "与螺栓配套使用", "工业级品质，批量供货", "表面处理：镀锌", "出厂检验合格"]
QUERIES = [("螺栓", "a word"), ("不锈钢螺栓", "two words"), ("M8", "a size"), ("螺丝", "with a synonym")]


def prepare() -> None:
    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    product_class = ProductClass.objects.create(name="工业品", slug="industrial", track_stock=True)
    partners = [Partner.objects.create(code=f"s{n}", name=f"供应商{n}号五金有限公司") for n in range(12)]
    categories = {}
    for _kind, name in KINDS:
        if name not in categories:
            categories[name] = Category.add_root(name=name)
    rows = []
    for n, (material, (kind, _cat), size) in enumerate(
        itertools.islice(itertools.cycle(itertools.product(MATERIALS, KINDS, SIZES)), PRODUCTS)
    ):
        title = f"{material}{kind} {size}×{10 + n % 90} 型号{n:05d}"
        rows.append(
            Product(
                upc=f"SKU-{n:05d}",
                title=title,
                slug=slugify(f"p-{n}"),
                description=rng.choice(DESCRIPTIONS),
                product_class=product_class,
                structure=Product.STANDALONE,
                is_public=True,
            )
        )
    products = Product.objects.bulk_create(rows, batch_size=1000)
    ProductCategory.objects.bulk_create(
        [
            ProductCategory(product=p, category=categories[KINDS[(i // len(SIZES)) % len(KINDS)][1]])
            for i, p in enumerate(products)
        ],
        batch_size=2000,
    )
    StockRecord.objects.bulk_create(
        [
            StockRecord(
                product=p,
                partner=partners[i % len(partners)],
                partner_sku=f"S{i % len(partners)}-{i:05d}",
                price=Decimal(rng.randint(10, 200_000)) / 100,
                price_currency="CNY",
                num_in_stock=100,
            )
            for i, p in enumerate(products)
        ],
        batch_size=2000,
    )
    SynonymGroup.objects.create(words=" 螺丝 螺钉 ")
    start = time.perf_counter()
    written = services.rebuild()
    print(
        f"search terms written for {written} products in {time.perf_counter() - start:.1f} s (manage.py search_rebuild)"
    )


def platform(q: str):
    query, _error = search.parse({"q": q})

    def run():
        page = search.search(query, offset=0, limit=20)
        assert page.total and len(page.products) == 20 and page.facets

    return run


def plain(q: str):
    def run():
        qs = browsable_products(search=q)
        items = list(qs[:20])
        assert qs.count() >= 0 and len(items) <= 20

    return run


def main() -> None:
    prepare()
    print(f"database: {database_label()}; {Product.objects.count():,} products")
    print("A: platform search (rank, page of 20, total, 3 facets); B: plain icontains search (page of 20, total)")
    print(f"{RUNS} interleaved runs; ratios A/B min/median, wall clock and CPU time")
    print(
        f"{'query':<22}{'found':>7}{'A min/p50 ms':>16}{'B min/p50 ms':>16}{'wall':>11}{'cpu':>11}{'queries A/B':>13}"
    )
    for q, what in QUERIES:
        a, b = platform(q), plain(q)
        a(), b()
        found = search.search(search.parse({"q": q})[0], limit=1).total
        qa, qb = queries(a), queries(b)
        ta, tb = interleaved(a, b)
        print(
            f"{q + ' (' + what + ')':<22}{found:>7}{ta.min_ms:>8.1f}/{ta.median_ms:<7.1f}{tb.min_ms:>8.1f}/{tb.median_ms:<7.1f}"
            f"{ratio_text(ta, tb):>11}{cpu_ratio_text(ta, tb):>11}{f'{qa}/{qb}':>13}"
        )


if __name__ == "__main__":
    main()
