"""Supplier-order lists on 50,000 supplier orders of 20 suppliers: the supplier portal (one
supplier, newest first, with and without a state) and the back office (all, newest first, with
and without a state). Prints each page query's plan (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN
QUERY PLAN on SQLite) with the list indexes, and its time against the indexes the table had
before (one on partner, state, created_at), swapped inside a rolled-back transaction in the
same run, alternating blocks of runs: min and median of each, and the ratio.

    .venv/bin/python benchmarks/supplier_order_lists.py              # throwaway SQLite file
    .venv/bin/python benchmarks/supplier_order_lists.py --postgres   # throwaway PostgreSQL 15 cluster
"""

import os
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from bench_env import database_label, start_django  # noqa: E402

start_django()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core.orders import status as order_status  # noqa: E402
from plugins.s2b2b_orders import selectors  # noqa: E402
from plugins.s2b2b_orders.models import State, SupplierOrder  # noqa: E402

User = get_user_model()
Order = get_model("order", "Order")
Partner = get_model("partner", "Partner")

ROWS = int(os.environ.get("BENCH_SUPPLIER_ORDERS", "50000"))
BLOCKS, PER_BLOCK = 4, int(os.environ.get("BENCH_RUNS", "5"))
NEW = ("s2b2b_so_partner_state_new", "s2b2b_so_partner_new", "s2b2b_so_state_new", "s2b2b_so_new")
TABLE = SupplierOrder._meta.db_table


class Rollback(Exception):
    pass


def prepare():
    call_command("migrate", verbosity=0)
    partners = [
        Partner.objects.get_or_create(code=f"sup{n:02d}", defaults={"name": f"供应商 {n:02d}"})[0] for n in range(20)
    ]
    staff, created = User.objects.get_or_create(username="supstaff", defaults={"email": "supstaff@example.cn"})
    if created:
        staff.user_permissions.add(Permission.objects.get(codename="dashboard_access"))
        partners[0].users.add(staff)
    operator, _created = User.objects.get_or_create(
        username="operator", defaults={"email": "operator@example.cn", "is_staff": True, "is_superuser": True}
    )
    if not SupplierOrder.objects.exists():
        rnd = random.Random(2026)
        now = timezone.now()
        Order.objects.bulk_create(
            (
                Order(
                    number=f"L{n:06d}",
                    currency="CNY",
                    total_incl_tax=Decimal("100.00"),
                    total_excl_tax=Decimal("100.00"),
                    shipping_incl_tax=0,
                    shipping_excl_tax=0,
                    status=order_status.CONFIRMED,
                    date_placed=now,
                )
                for n in range(ROWS)
            ),
            batch_size=5000,
        )
        states = [State.FORWARDED] * 2 + [State.ACCEPTED] * 3 + [State.SHIPPED] * 3 + [State.COMPLETED] * 12
        rows = []
        for n, pk in enumerate(Order.objects.order_by("pk").values_list("pk", flat=True)):
            rows.append(
                SupplierOrder(
                    number=f"L{n:06d}-S1",
                    order_id=pk,
                    partner=partners[rnd.randrange(20)],
                    sequence=1,
                    subtotal=Decimal("100.00"),
                    state=rnd.choice(states),
                    deadline_at=now,
                )
            )
        SupplierOrder.objects.bulk_create(rows, batch_size=5000)
        # spread over a year (auto_now_add wrote "now" on every row)
        with connection.cursor() as cursor:
            for day in range(365):
                SupplierOrder.objects.filter(pk__gt=day * ROWS // 365, pk__lte=(day + 1) * ROWS // 365).update(
                    created_at=now - timedelta(days=365 - day)
                )
            if connection.vendor == "postgresql":
                cursor.execute(f"VACUUM ANALYZE {TABLE}")
            else:
                cursor.execute("ANALYZE")
    return staff, operator


def page(user, state):
    return selectors.supplier_orders_for(user, state=state)[:30]  # what the list's paginator reads


def run(qs) -> float:
    start = time.perf_counter()
    list(qs)
    return time.perf_counter() - start


def plan(qs) -> str:
    if connection.vendor == "postgresql":
        return qs.explain(analyze=True)
    return qs.explain()


def swap_to_old_indexes():
    with connection.cursor() as cursor:
        for name in NEW:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(f"CREATE INDEX s2b2b_so_old ON {TABLE} (partner_id, state, created_at)")
        cursor.execute(f"ANALYZE {TABLE}")


def main():
    staff, operator = prepare()
    lists = (
        ("portal, all states", staff, ""),
        ("portal, forwarded", staff, State.FORWARDED),
        ("back office, all", operator, ""),
        ("back office, accepted", operator, State.ACCEPTED),
    )
    print(f"database: {database_label()}; {SupplierOrder.objects.count()} supplier orders of 20 suppliers")
    for name, user, state in lists:
        print(f"-- {name}: plan with the list indexes")
        print("   " + "\n   ".join(plan(page(user, state)).splitlines()[:8]))
    print(f"page of 30 newest: list indexes (A) vs the indexes before (B); {BLOCKS}×{PER_BLOCK} runs each, alternating")
    print(f"{'list':<24}{'A min/med ms':>16}{'B min/med ms':>16}{'B/A min/med':>14}")
    timings = {name: ([], []) for name, _u, _s in lists}
    old_plans = {}
    for _block in range(BLOCKS):
        for name, user, state in lists:
            timings[name][0].extend(run(page(user, state)) for _ in range(PER_BLOCK))
        try:
            with transaction.atomic():
                swap_to_old_indexes()
                for name, user, state in lists:
                    old_plans.setdefault(name, plan(page(user, state)))
                    timings[name][1].extend(run(page(user, state)) for _ in range(PER_BLOCK))
                raise Rollback
        except Rollback:
            pass
    for name, (a, b) in timings.items():
        a_min, a_med, b_min, b_med = (
            min(a) * 1000,
            statistics.median(a) * 1000,
            min(b) * 1000,
            statistics.median(b) * 1000,
        )
        print(
            f"{name:<24}{a_min:>7.2f}/{a_med:<8.2f}{b_min:>7.2f}/{b_med:<8.2f}{b_min / a_min:>6.1f}/{b_med / a_med:<6.1f}"
        )
    for name, text in old_plans.items():
        print(f"-- {name}: plan with the indexes before")
        print("   " + "\n   ".join(text.splitlines()[:6]))


if __name__ == "__main__":
    main()
