"""Catalogue page and GraphQL product list: latency and SQL query count at page sizes 20 and 100.

Each measurement is printed with a ratio against a baseline run in the same process on
the same data: a hand-written SQL query returning the same products with their prices.
The ratio is what to compare between runs; these machines are noisy.

    .venv/bin/python benchmarks/catalogue.py            # fresh SQLite file
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/catalogue.py
"""

import json
import statistics
import time

from bench_env import RUNS, start_django  # noqa: E402

start_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.demo.seed import seed_demo  # noqa: E402
from shop.search.views.base import BaseSearchView  # noqa: E402

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

GRAPHQL = "query($n: Int) { products(first: $n) { totalCount items { sku title price { inclTax } availability { isAvailable } } } }"
BASELINE_SQL = """
SELECT p.id, p.upc, p.title, s.price, s.num_in_stock
FROM catalogue_product p JOIN partner_stockrecord s ON s.product_id = p.id
WHERE p.is_public AND p.structure <> 'child'
ORDER BY p.title, p.id LIMIT %s
"""


def prepare() -> None:
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


def measure(action) -> tuple[float, int]:
    for _ in range(3):
        action()
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        timings.append(time.perf_counter() - start)
    with CaptureQueriesContext(connection) as queries:
        action()
    return statistics.median(timings) * 1000, len(queries)


def baseline(size: int):
    def run():
        with connection.cursor() as cursor:
            cursor.execute(BASELINE_SQL, [size])
            rows = cursor.fetchall()
        return json.dumps([[r[0], r[1], r[2], str(r[3]), r[4]] for r in rows])

    return run


def catalogue_page(client: Client, size: int):
    def run():
        BaseSearchView.paginate_by = size
        response = client.get("/catalogue/")
        assert response.status_code == 200 and response.content.count(b"product_pod") == size

    return run


def graphql_list(client: Client, size: int):
    body = json.dumps({"query": GRAPHQL, "variables": {"n": size}})

    def run():
        response = client.post("/graphql/", body, content_type="application/json")
        assert len(response.json()["data"]["products"]["items"]) == size

    return run


def main() -> None:
    prepare()
    client = Client()
    print(f"database: {connection.vendor}; median of {RUNS} runs; baseline = hand-written SQL for the same rows")
    print(f"{'what':<28}{'size':>6}{'ms':>10}{'queries':>9}{'baseline ms':>13}{'ratio':>8}")
    for name, factory in (("catalogue page /catalogue/", catalogue_page), ("GraphQL products", graphql_list)):
        for size in (20, 100):
            ms, queries = measure(factory(client, size))
            base_ms, _ = measure(baseline(size))
            print(f"{name:<28}{size:>6}{ms:>10.2f}{queries:>9}{base_ms:>13.3f}{ms / base_ms:>8.1f}")


if __name__ == "__main__":
    main()
