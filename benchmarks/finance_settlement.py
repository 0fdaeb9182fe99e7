"""A settlement batch for a supplier with 10,000 supplier orders (two lines each, category
overrides on one of the two products, refunds on 5 % of the orders): drafting it (lines written)
and confirming it (figures checked again, settlement posted), each in a transaction rolled back
so every run starts alike. Prints time (min/median wall and CPU), SQL statements and peak Python
memory (tracemalloc) at 1,000 and at 10,000 orders — the counts must be equal, the memory flat —
and the ratio of drafting against a hand-written SQL aggregate of the same lines (the least any
implementation has to read).

    .venv/bin/python benchmarks/finance_settlement.py              # throwaway SQLite file
    .venv/bin/python benchmarks/finance_settlement.py --postgres   # throwaway PostgreSQL 15 cluster
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/finance_settlement.py

Target (issue 11): ≤ 2 s for 10,000 supplier orders on this machine.
"""

import os
import statistics
import time
from datetime import timedelta

from bench_env import RUNS, database_label, interleaved, peak_kib, queries, ratio_text, start_django  # noqa: E402

start_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

ORDERS = int(os.environ.get("BENCH_SETTLEMENT_ORDERS", "10000"))
SMALL = max(ORDERS // 10, 10)
RUNS_HERE = min(RUNS, int(os.environ.get("BENCH_RUNS", "7")))


class Rollback(Exception):
    pass


def prepare():
    from plugins.finance.models import CategoryCommission
    from plugins.finance.services.ledger import business_date
    from plugins.s2b2b_orders.models import SupplierOrder
    from tests import factories
    from tests.finance.fixtures_settlement import (
        delivered_orders,
        executed_refund,
        finance_operator,
        supplier_with_staff,
    )

    call_command("migrate", verbosity=0)
    from django.contrib.auth import get_user_model

    if get_user_model().objects.filter(username="caiwu").exists():
        raise SystemExit("run on an empty database (the default throwaway SQLite file, or --postgres)")
    op = finance_operator()
    tools = factories.category("工具")
    out = {}
    for code, n in (("small", SMALL), ("big", ORDERS)):
        supplier, staff = supplier_with_staff(code, f"{code} 供应商有限公司")
        CategoryCommission.objects.create(supplier=supplier, category=tools, rate="0.0800")
        wrench = factories.product(f"{code}-W", "扳手", "10.10", partner=supplier, categories=(tools,))
        bolt = factories.product(f"{code}-B", "螺栓", "3.33", partner=supplier)
        orders = []
        for start in range(0, n, 5000):
            orders += delivered_orders(
                supplier,
                [
                    [(wrench, 1 + i % 7, "10.10"), (bolt, 3 + i % 11, "3.33")]
                    for i in range(start, min(n, start + 5000))
                ],
                freight=[f"{(i % 9) * 1.5:.2f}" for i in range(start, min(n, start + 5000))],
            )
        for so in orders[::20]:
            executed_refund(so, goods="3.33", commission="0.17")
        out[code] = (supplier, staff, n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.vendor != "postgresql" else "VACUUM ANALYZE")
    assert SupplierOrder.objects.count() == SMALL + ORDERS
    return op, out, business_date()


def draft(op, supplier, today):
    from plugins.finance.services import settlement

    return settlement.draft_batch(supplier, period_start=today - timedelta(days=60), period_end=today, by=op)


def rolled_back(action):
    def run():
        try:
            with transaction.atomic():
                action()
                raise Rollback
        except Rollback:
            pass

    return run


def aggregate(supplier):
    """The hand-written baseline: the supplier's settleable lines summed per supplier order."""
    from plugins.s2b2b_orders.models import SupplierOrder, SupplierOrderLine

    sql = f"""
        SELECT so.id, so.freight, SUM(l.line_total), SUM(l.line_total * 0.05)
        FROM {SupplierOrder._meta.db_table} so JOIN {SupplierOrderLine._meta.db_table} l ON l.supplier_order_id = so.id
        WHERE so.partner_id = %s AND so.state IN ('delivered', 'completed')
        GROUP BY so.id, so.freight
    """  # noqa: S608

    def run():
        with connection.cursor() as cursor:
            cursor.execute(sql, [supplier.pk])
            return cursor.fetchall()

    return run


def phases(op, supplier, staff, today, runs: int) -> tuple[list[float], list[float]]:
    """Wall seconds of drafting and of confirming, per run (each run rolled back)."""
    from plugins.finance.services import settlement

    drafting, confirming = [], []
    for _ in range(runs):
        try:
            with transaction.atomic():
                start = time.perf_counter()
                batch = draft(op, supplier, today)
                drafted = time.perf_counter()
                settlement.confirm(batch, by=staff)
                drafting.append(drafted - start)
                confirming.append(time.perf_counter() - drafted)
                raise Rollback
        except Rollback:
            pass
    return drafting, confirming


def ms(values: list[float]) -> str:
    return f"{min(values) * 1000:.0f}/{statistics.median(values) * 1000:.0f}"


def main():
    from plugins.finance.services import settlement

    op, suppliers, today = prepare()
    print(f"database: {database_label()}; settlement batch drafting and confirming, {RUNS_HERE} runs each")
    print(f"{'orders':>8}{'draft min/med ms':>18}{'confirm min/med ms':>20}{'SQL draft/confirm':>19}{'peak KiB':>10}")
    figures = {}
    for code in ("small", "big"):
        supplier, staff, n = suppliers[code]

        def draft_only(supplier=supplier):
            return draft(op, supplier, today)

        def draft_and_confirm(supplier=supplier, staff=staff):
            settlement.confirm(draft(op, supplier, today), by=staff)

        run_draft = rolled_back(draft_only)
        run_both = rolled_back(draft_and_confirm)
        run_both()  # warm-up
        drafting, confirming = phases(op, supplier, staff, today, RUNS_HERE)
        q_draft = queries(run_draft)
        q_both = queries(run_both)
        peak = peak_kib(run_both)
        print(f"{n:>8}{ms(drafting):>18}{ms(confirming):>20}{q_draft:>9}/{q_both - q_draft:<9}{peak:>10}")
        figures[code] = (q_draft, q_both, peak, drafting, confirming, run_draft, aggregate(supplier))
    small, big = figures["small"], figures["big"]
    print(f"SQL statements equal at {SMALL} and {ORDERS} orders: {small[:2] == big[:2]} ({small[:2]} vs {big[:2]})")
    print(f"peak Python memory (tracemalloc) {SMALL} → {ORDERS} orders: {small[2]} KiB → {big[2]} KiB")
    ours, baseline = interleaved(big[5], big[6], runs=RUNS_HERE, warmup=1)
    print(
        f"drafting {ORDERS} orders ({ours.median_ms:.0f} ms) vs the hand-written aggregate of its lines "
        f"({baseline.median_ms:.0f} ms): {ratio_text(ours, baseline)} (min/median)"
    )
    total = [d + c for d, c in zip(big[3], big[4], strict=True)]
    print(f"target ≤ 2000 ms for {ORDERS} orders: draft {ms(big[3])} ms, draft + confirm {ms(total)} ms (min/median)")


if __name__ == "__main__":
    main()
