"""Order pages with few and many orders and lines: the storefront order history (1 order of 1
line against a full page of 20 orders), the storefront order page and the back office order
page (1 line against 50 lines). Prints the SQL queries of each (they must not grow) and the
times, large against small alternating in the same run (min/median, and the ratio).

    .venv/bin/python benchmarks/order_pages.py              # throwaway SQLite file
    .venv/bin/python benchmarks/order_pages.py --postgres   # throwaway PostgreSQL 15 cluster
"""

from bench_env import cpu_ratio_text, database_label, interleaved, queries, ratio_text, start_django  # noqa: E402

start_django()

from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from tests import factories  # noqa: E402  (the repository's shared test-data builders)

Product = get_model("catalogue", "Product")


def prepare():
    call_command("migrate", verbosity=0)
    supplier = factories.supplier("bench", "基准测试供应商有限公司")
    products = [factories.product(f"BENCH-{n:03d}", None, "9.90", 100_000, supplier) for n in range(50)]
    small, large = factories.distributor("small"), factories.distributor("large")
    one = factories.place_order(small, [(products[0], 1)])
    for n in range(19):
        factories.place_order(large, [(products[n], 1), (products[n + 1], 2)])
    fifty = factories.place_order(large, [(p, 1) for p in products])
    operator = factories.operator("bench-operator")
    return (small, one), (large, fifty), operator


def main():
    (small, one), (large, fifty), operator = prepare()
    clients = {}
    for user in (small, large, operator):
        clients[user.pk] = Client()
        clients[user.pk].force_login(user)

    def get(user, url):
        def run():
            assert clients[user.pk].get(url).status_code == 200

        return run

    pages = (
        ("order history", "orders 1 → 20", lambda u, o: reverse("customer:order-list"), False),
        ("order page", "lines 1 → 50", lambda u, o: reverse("customer:order", args=[o.number]), False),
        ("back office order", "lines 1 → 50", lambda u, o: reverse("dashboard:order-detail", args=[o.number]), True),
    )
    print(f"database: {database_label()}; large vs small interleaved; ratios large/small (min/median), wall and CPU")
    print(
        f"{'page':<19}{'size':<15}{'queries':>10}{'small min/med ms':>19}{'large min/med ms':>19}{'wall':>11}{'cpu':>11}"
    )
    for name, size, url, as_operator in pages:
        a_user, a_order = small, one
        b_user, b_order = large, fifty
        a = get(operator if as_operator else a_user, url(a_user, a_order))
        b = get(operator if as_operator else b_user, url(b_user, b_order))
        qa, qb = queries(a), queries(b)
        ta, tb = interleaved(b, a)
        print(
            f"{name:<19}{size:<15}{f'{qa} → {qb}':>10}{tb.min_ms:>10.1f}/{tb.median_ms:<8.1f}"
            f"{ta.min_ms:>10.1f}/{ta.median_ms:<8.1f}{ratio_text(ta, tb):>11}{cpu_ratio_text(ta, tb):>11}"
        )


if __name__ == "__main__":
    main()
