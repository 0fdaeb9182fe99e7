"""Incremental sales-fact writing: how many facts per second one worker writes for paid orders'
events as the plugin does it — the events mark their orders (not timed: that is the orders' own
transactions), one worker drains the marks in batches of 500 (services.queue: histories read,
rows inserted with ON CONFLICT, the rollup incremented) — against one task per order
(``record_orders([order])``, one transaction each), the rebuild (``record_orders`` on batches of
500) and the floor: a plain ``bulk_create`` of the same fact rows, no history read, no rollup.

    .venv/bin/python benchmarks/bigdata_facts.py --postgres   # throwaway PostgreSQL 15 cluster
    .venv/bin/python benchmarks/bigdata_facts.py              # throwaway SQLite file

Each round empties the facts first (not timed); the variants run interleaved, rotating which goes
first. Target (issue 12): ≥ 2,000 facts/s per worker for incremental writing.
"""

import os
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from bench_env import database_label, queries, start_django  # noqa: E402

start_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

ORDERS = int(os.environ.get("BENCH_FACT_ORDERS", "500"))
LINES = 4
ROUNDS = int(os.environ.get("BENCH_RUNS", "5"))


def prepare() -> list[int]:
    from oscar.core.loading import get_model

    from core.orders import payments
    from tests import factories

    call_command("migrate", verbosity=0)
    Order = get_model("order", "Order")
    Line = get_model("order", "Line")
    PaymentEvent = get_model("order", "PaymentEvent")
    ShippingAddress = get_model("order", "ShippingAddress")
    Country = get_model("address", "Country")
    if Order.objects.exists():
        raise SystemExit("run on an empty database (the default throwaway SQLite file, or --postgres)")
    china = Country.objects.get(iso_3166_1_a2="CN")
    suppliers = [factories.supplier(f"s{i}", f"供应商{i}有限公司") for i in range(5)]
    categories = [factories.category(f"类目{i}") for i in range(6)]
    products = [
        factories.product(
            f"P-{i:03d}", f"商品{i}", f"{10 + i}.50", 1000, suppliers[i % 5], (categories[i % 6],), cost=f"{8 + i}.10"
        )
        for i in range(60)
    ]
    buyers = [
        factories.distributor(f"buyer{i}", province=p) for i, p in enumerate(["广东省", "浙江省", "四川省", "北京市"])
    ]
    companies = [factories.company_of(b) for b in buyers]
    now = timezone.now()
    addresses = ShippingAddress.objects.bulk_create(
        [
            ShippingAddress(
                last_name="张三",
                line1="路1号",
                line4="某市",
                state=["广东省", "浙江省", "四川省"][n % 3],
                country=china,
            )
            for n in range(ORDERS)
        ]
    )
    orders = Order.objects.bulk_create(
        [
            Order(
                number=f"B{n:06d}",
                company=companies[n % 4],
                user=buyers[n % 4],
                currency="CNY",
                total_incl_tax=Decimal("100.00"),
                total_excl_tax=Decimal("100.00"),
                shipping_incl_tax=Decimal("12.00"),
                shipping_excl_tax=Decimal("12.00"),
                shipping_address=addresses[n],
                status="Confirmed",
                date_placed=now - timedelta(minutes=n),
            )
            for n in range(ORDERS)
        ]
    )
    lines = []
    for n, order in enumerate(orders):
        for i in range(LINES):
            product = products[(n * 7 + i * 13) % 60]
            record = product.stockrecords.first()
            lines.append(
                Line(
                    order=order,
                    partner=record.partner,
                    partner_name=record.partner.name,
                    partner_sku=record.partner_sku,
                    stockrecord=record,
                    product=product,
                    title=product.title,
                    num_allocated=0,
                    quantity=1 + (n + i) % 9,
                    line_price_incl_tax=record.price * (1 + (n + i) % 9),
                    line_price_excl_tax=record.price * (1 + (n + i) % 9),
                    line_price_before_discounts_incl_tax=record.price * (1 + (n + i) % 9),
                    line_price_before_discounts_excl_tax=record.price * (1 + (n + i) % 9),
                )
            )
    Line.objects.bulk_create(lines)
    secured = payments.event_type(payments.SECURED)
    PaymentEvent.objects.bulk_create(
        [PaymentEvent(order=o, event_type=secured, amount=o.total_incl_tax) for o in orders]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return [o.pk for o in orders]


def main():
    from plugins.bigdata.models import SalesFact
    from plugins.bigdata.services import rebuild
    from plugins.bigdata.services.facts import facts_of_orders, record_orders
    from plugins.bigdata.services.queue import drain, mark

    ids = prepare()
    expected = len(ids) * LINES
    # the baseline's rows: the same facts as model instances, made once (not timed)
    made = facts_of_orders(ids)
    assert len(made) == expected
    instances = [
        SalesFact(
            source_id=f.source_id,
            kind=f.kind,
            occurred_at=f.occurred_at,
            date=f.date,
            month=f.month,
            order_id=f.dims.order_id,
            order_number=f.dims.order_number,
            order_line_id=f.order_line_id,
            company_id=f.dims.company_id,
            company_name=f.dims.company_name,
            tier_code=f.dims.tier_code,
            tier_name=f.dims.tier_name,
            salesperson_id=f.dims.salesperson_id,
            salesperson_name=f.dims.salesperson_name,
            province_code=f.dims.province_code,
            province=f.dims.province,
            city=f.dims.city,
            supplier_id=f.supplier_id,
            supplier_name=f.supplier_name,
            product_id=f.product_id,
            sku=f.sku,
            product_title=f.product_title,
            category_id=f.category_id,
            category_name=f.category_name,
            quantity=f.quantity,
            revenue=f.revenue,
            cost=f.cost,
            freight=f.freight,
        )
        for f in made
    ]

    def incremental():
        for order_id in ids:
            record_orders([order_id])

    def batched():
        for start in range(0, len(ids), rebuild.BATCH):
            record_orders(ids[start : start + rebuild.BATCH])

    def queued():
        # the events' marks are written by the orders' own transactions (not timed); one worker drains
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM bigdata_pendingorder")
        for order_id in ids:
            mark(order_id)
        start = time.perf_counter()
        drain()
        return time.perf_counter() - start

    def bulk():
        SalesFact.objects.bulk_create(instances, batch_size=1000)

    variants = {
        "events drained by one worker": queued,
        "one task per order": incremental,
        "rebuild batches of 500": batched,
        "bulk_create (floor)": bulk,
    }
    times = {name: [] for name in variants}
    names = list(variants)
    for n in range(ROUNDS):
        order = names[n % len(names) :] + names[: n % len(names)]
        for name in order:
            rebuild.truncate()
            start = time.perf_counter()
            timed = variants[name]()
            times[name].append(timed if timed is not None else time.perf_counter() - start)
            assert SalesFact.objects.count() == expected
    rebuild.truncate()
    per_order = queries(lambda: record_orders([ids[0]]))

    print(
        f"{database_label()}; {len(ids)} paid orders × {LINES} lines = {expected} facts; {ROUNDS} rounds, interleaved"
    )
    print(f"{'variant':36} {'min s':>7} {'median s':>9} {'facts/s (median)':>17} {'vs floor':>9}")
    floor = statistics.median(times["bulk_create (floor)"])
    for name in names:
        median = statistics.median(times[name])
        print(f"{name:36} {min(times[name]):7.2f} {median:9.2f} {expected / median:17,.0f} {median / floor:8.1f}×")
    print(f"SQL statements per order written incrementally: {per_order}")


if __name__ == "__main__":
    main()
