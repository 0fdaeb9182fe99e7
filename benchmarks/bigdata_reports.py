"""Analytics reports on PostgreSQL at 100k and 1M sales facts (issue 12, "Performance"): ABC over the
whole period, ABC per province (the 10 largest provinces in one ``abc_by_group`` statement), province
totals, salesperson performance by month — each timed against ONE hand-written SQL query computing
the same thing in the same run (the floor), interleaved A/B so drift on a shared machine hits both.

Facts are generated in the database (one ``INSERT … SELECT … FROM generate_series``, not through the
ORM; a fixed ``setseed``), then the monthly rollup is rebuilt (``services.facts.rebuild_rollup``) and
the tables analysed. Shape: 4 lines per order, 2,000 companies in 31 provinces (a few large ones),
40 salespeople, 5,000 products (skewed, so ABC has a long tail), 50 suppliers, 120 categories, two
years; 3 % refund rows and 1 % of orders cancelled.

Printed per report: median milliseconds of the backend and of the floor and their ratio at each size
(target ≤ 1.5), the backend's growth factor 100k → 1M (linear = 10×), and the peak Python memory of
one backend call (tracemalloc; PostgreSQL's own memory is not Python's and is not in it).

    .venv/bin/python benchmarks/bigdata_reports.py                 # dev PostgreSQL, database bench_bigdata
    BENCH_SIZES=100000 BENCH_RUNS=7 .venv/bin/python benchmarks/bigdata_reports.py
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/bigdata_reports.py
    .venv/bin/python benchmarks/bigdata_reports.py --postgres      # throwaway PostgreSQL 15 cluster

The sales-performance report is compared without targets: the targets model is not on main yet
(a small table joined on (salesperson, month) would add little either way).
"""

import os
import statistics
import sys
import time

DEV_URL = "postgres://postgres@127.0.0.1:55432/bench_bigdata"


def _ensure_database(url: str) -> None:
    """Create the benchmark's database on the dev cluster if it is missing."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


if "--postgres" not in sys.argv and "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = DEV_URL
if os.environ.get("DATABASE_URL", "").startswith("postgres"):
    _ensure_database(os.environ["DATABASE_URL"])

from bench_env import database_label, peak_kib, start_django  # noqa: E402

start_django()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from plugins.bigdata.backends.base import Dimension, Filters, Period, Region  # noqa: E402
from plugins.bigdata.backends.postgres import PostgresBackend  # noqa: E402
from plugins.bigdata.models import MonthlySales, SalesFact  # noqa: E402
from plugins.bigdata.services.facts import rebuild_rollup  # noqa: E402

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "100000,1000000").split(",")]
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
FACTS = SalesFact._meta.db_table
ROLLUP = MonthlySales._meta.db_table
START, END = date(2025, 1, 1), date(2026, 12, 31)
PERIOD = Filters(period=Period(START, END))
PG = PostgresBackend()

#: 31 provinces; the first ones get most companies (company → province by a squared index)
PROVINCES = [
    "440000", "330000", "320000", "370000", "110000", "310000", "510000", "420000", "410000", "350000",
    "430000", "130000", "340000", "500000", "120000", "210000", "610000", "360000", "450000", "530000",
    "140000", "220000", "230000", "520000", "150000", "620000", "650000", "460000", "640000", "630000", "540000",
]  # fmt: skip

GENERATE = f"""
INSERT INTO {FACTS} (source_id, kind, occurred_at, date, month, order_id, order_number, order_line_id,
    company_id, company_name, tier_code, tier_name, salesperson_id, salesperson_name, province_code, province,
    city, supplier_id, supplier_name, product_id, sku, product_title, category_id, category_name,
    quantity, revenue, cost, freight, created_at)
SELECT
    kind || ':' || g, kind, (day + time '10:00') AT TIME ZONE 'Asia/Shanghai', day, date_trunc('month', day)::date,
    o, 'B' || o, g,
    company, '公司' || company, 'tier' || (company %% 4), '等级' || (company %% 4),
    company %% 40 + 1, '销售' || (company %% 40 + 1),
    province, '省' || province, '市' || (company %% 7),
    product %% 50 + 1, '供应商' || (product %% 50 + 1), product, 'SKU-' || product, '商品' || product,
    product %% 120 + 1, '类目' || (product %% 120 + 1),
    sign * qty, sign * qty * price, sign * qty * price * 7 / 10, sign * 300, now()
FROM (
    SELECT g, o, company, product, qty, kind,
           CASE WHEN kind = 'sale' THEN 1 ELSE -1 END AS sign,
           1000 + (product * 37) %% 50000 AS price,
           (%(provinces)s::varchar[])[1 + (company * company / 7) %% 31] AS province,
           DATE '2025-01-01' + ((o::bigint * 7919) %% 730)::int AS day
    FROM (
        SELECT g, (g - 1) / 4 + 1 AS o, ((g - 1) / 4) %% 2000 + 1 AS company,
               1 + floor(5000 * power(random(), 3))::int AS product,
               1 + floor(random() * 20)::int AS qty,
               CASE WHEN g %% 100 < 3 THEN 'refund'
                    WHEN ((g - 1) / 4) %% 100 = 7 AND g %% 4 = 0 THEN 'cancellation'
                    ELSE 'sale' END AS kind
        FROM generate_series(1, %(rows)s) AS g
    ) raw
) shaped
"""  # noqa: S608  (our table name; values are parameters)


def generate(rows: int) -> None:
    """``rows`` facts, replacing what is there, and the rollup rebuilt from them."""
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {FACTS}, {ROLLUP}")
        cursor.execute("SELECT setseed(0.42)")
        cursor.execute(GENERATE, {"rows": rows, "provinces": PROVINCES})
    rebuild_rollup()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {FACTS}")
        cursor.execute(f"ANALYZE {ROLLUP}")


def fetch(sql: str, params=()) -> list:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


# --- the floors: one hand-written query each -----------------------------------------------------

ABC_FLOOR = f"""
    SELECT product_id, value, before,
           CASE WHEN value <= 0 THEN 'N' WHEN before * 100 < total * 80 THEN 'A'
                WHEN before * 100 < total * 95 THEN 'B' ELSE 'C' END
    FROM (
        SELECT product_id, value,
               SUM(GREATEST(value, 0)) OVER (ORDER BY value DESC, product_id ROWS UNBOUNDED PRECEDING)
                   - GREATEST(value, 0) AS before,
               SUM(GREATEST(value, 0)) OVER () AS total
        FROM (SELECT product_id, SUM(revenue) AS value FROM {ROLLUP}
              WHERE month BETWEEN %s AND %s AND product_id <> 0 GROUP BY product_id) v
    ) r
"""

ABC_PER_PROVINCE_FLOOR = f"""
    SELECT province_code, product_id, value, before,
           CASE WHEN value <= 0 THEN 'N' WHEN before * 100 < total * 80 THEN 'A'
                WHEN before * 100 < total * 95 THEN 'B' ELSE 'C' END
    FROM (
        SELECT province_code, product_id, value,
               SUM(GREATEST(value, 0)) OVER (
                   PARTITION BY province_code ORDER BY value DESC, product_id ROWS UNBOUNDED PRECEDING)
                   - GREATEST(value, 0) AS before,
               SUM(GREATEST(value, 0)) OVER (PARTITION BY province_code) AS total
        FROM (SELECT province_code, product_id, SUM(revenue) AS value FROM {ROLLUP}
              WHERE month BETWEEN %s AND %s AND product_id <> 0 AND province_code = ANY(%s)
              GROUP BY province_code, product_id) v
    ) r
"""

PROVINCE_FLOOR = f"""
    SELECT p, SUM(r), SUM(sold) - SUM(cancelled), COUNT(*) FILTER (WHERE r > 0 AND company_id IS NOT NULL)
    FROM (
        SELECT province_code AS p, company_id, SUM(revenue) AS r,
               COUNT(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS sold,
               COUNT(DISTINCT order_id) FILTER (WHERE kind = 'cancellation') AS cancelled
        FROM {FACTS} WHERE date BETWEEN %s AND %s GROUP BY province_code, company_id
    ) c GROUP BY p ORDER BY p
"""

PERFORMANCE_FLOOR = f"""
    SELECT s, m, MAX(name), SUM(r), SUM(c), SUM(sold) - SUM(cancelled),
           COUNT(*) FILTER (WHERE r > 0 AND company_id IS NOT NULL), SUM(q)
    FROM (
        SELECT salesperson_id AS s, month AS m, company_id, MAX(salesperson_name) AS name,
               SUM(revenue) AS r, SUM(cost) AS c, SUM(quantity) AS q,
               COUNT(DISTINCT order_id) FILTER (WHERE kind = 'sale') AS sold,
               COUNT(DISTINCT order_id) FILTER (WHERE kind = 'cancellation') AS cancelled
        FROM {FACTS} WHERE date BETWEEN %s AND %s GROUP BY salesperson_id, month, company_id
    ) c GROUP BY s, m ORDER BY m, s
"""


def largest_provinces(n: int = 10) -> list[str]:
    rows = fetch(
        f"SELECT province_code FROM {ROLLUP} WHERE province_code <> '' "  # noqa: S608
        f"GROUP BY province_code ORDER BY SUM(revenue) DESC, province_code LIMIT %s",
        [n],
    )
    return [r[0] for r in rows]


def cases():
    top = largest_provinces()
    return [
        (
            "ABC, whole period (rollup)",
            lambda: PG.abc(PERIOD),
            lambda: fetch(ABC_FLOOR, [START, END]),
        ),
        (
            "ABC per province (10 largest)",
            lambda: PG.abc_by_group(
                Filters(period=PERIOD.period, regions=tuple(Region(code) for code in top)), Dimension.PROVINCE
            ),
            lambda: fetch(ABC_PER_PROVINCE_FLOOR, [START, END, top]),
        ),
        (
            "province totals (facts)",
            lambda: PG.province_totals(PERIOD),
            lambda: fetch(PROVINCE_FLOOR, [START, END]),
        ),
        (
            "salesperson performance by month",
            lambda: PG.performance(PERIOD, Dimension.SALESPERSON, by_month=True),
            lambda: fetch(PERFORMANCE_FLOOR, [START, END]),
        ),
    ]


def check(backend_rows, floor_rows, name: str) -> None:
    """The floor computes the same thing: same number of rows (the numbers are the tests' job)."""
    count = sum(len(g.rows) for g in backend_rows) if name.startswith("ABC per") else len(backend_rows)
    if count != len(floor_rows):
        raise SystemExit(f"{name}: backend {count} rows, floor {len(floor_rows)}")


def measure(runs: int) -> dict:
    out = {}
    for name, backend_call, floor_call in cases():
        check(backend_call(), floor_call(), name)  # also warms both
        times = {"backend": [], "floor": []}
        for n in range(runs):
            order = (("backend", backend_call), ("floor", floor_call))
            for label, call in order if n % 2 == 0 else reversed(order):
                start = time.perf_counter()
                call()
                times[label].append(time.perf_counter() - start)
        out[name] = {
            "backend": statistics.median(times["backend"]) * 1000,
            "floor": statistics.median(times["floor"]) * 1000,
            "memory": peak_kib(backend_call),
        }
    return out


def main():
    call_command("migrate", verbosity=0)
    results = {}
    for rows in SIZES:
        start = time.perf_counter()
        generate(rows)
        made = SalesFact.objects.count()
        rollup = MonthlySales.objects.count()
        print(f"{made:,} facts, {rollup:,} rollup rows generated in {time.perf_counter() - start:.1f} s", flush=True)
        results[rows] = measure(RUNS)
    print(f"\n{database_label()}; median of {RUNS} interleaved runs; ms; ratio = backend ÷ floor (target ≤ 1.5)")
    header = f"{'report':34}"
    for rows in SIZES:
        label = f"{rows // 1000}k" if rows < 1_000_000 else f"{rows // 1_000_000}M"
        header += f" {label + ' backend':>13} {label + ' floor':>11} {'ratio':>6}"
    if len(SIZES) > 1:
        header += f" {'growth':>7}"
    header += "  " + " / ".join(f"peak KiB {r // 1000}k" for r in SIZES)
    print(header)
    for name in results[SIZES[0]]:
        line = f"{name:34}"
        for rows in SIZES:
            r = results[rows][name]
            line += f" {r['backend']:13,.1f} {r['floor']:11,.1f} {r['backend'] / r['floor']:6.2f}"
        if len(SIZES) > 1:
            line += f" {results[SIZES[-1]][name]['backend'] / results[SIZES[0]][name]['backend']:6.1f}×"
        line += "  " + " / ".join(f"{results[rows][name]['memory']:,}" for rows in SIZES)
        print(line)


if __name__ == "__main__":
    main()
