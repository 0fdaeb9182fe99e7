"""对账单 at scale: a company's statement for a year with 10,000 orders, and ``finance_check`` over
100,000 journal entries.

The books: 50 companies, 50,000 orders (10,000 of them the measured company's, spread over the
year), each secured and paid by transfer (two entries, four postings) with its kernel payment
events; every tenth order of the measured company refunded in part by transfer. That is 100,000+
entries and 200,000+ postings.

Printed, for the statement of the big company (10,000 orders) and of a small one (10 orders):
time (min/median over interleaved runs against a hand-written SQL aggregate of the same two
queries), SQL queries (must be the same for both companies), peak Python memory (tracemalloc);
the same for the CSV export of the year (streamed: memory must not grow with the lines); then
``finance_check`` over the whole books.

    .venv/bin/python benchmarks/finance_statements.py --postgres    # throwaway PostgreSQL 15
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/finance_statements.py   # an empty database
    BENCH_RUNS=5 …                                                  # fewer runs
"""

import os
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench_env import RUNS, database_label, interleaved, peak_kib, queries, ratio_text, start_django

start_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from companies.models import Company  # noqa: E402
from companies.uscc import generate as uscc  # noqa: E402
from core.orders import payments  # noqa: E402
from plugins.finance import chart  # noqa: E402
from plugins.finance.models import JournalEntry, Posting, Statement  # noqa: E402
from plugins.finance.services import statements  # noqa: E402
from plugins.finance.services.ledger import account  # noqa: E402
from plugins.finance.services.reconcile import check  # noqa: E402
from plugins.finance.statements import exports  # noqa: E402

Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
SH = ZoneInfo("Asia/Shanghai")
BIG = int(os.environ.get("BENCH_ORDERS", "10000"))
OTHERS = int(os.environ.get("BENCH_OTHER_ORDERS", "40000"))
COMPANIES = 50
YEAR = date(2025, 1, 1), date(2025, 12, 31)


def company(serial: int) -> Company:
    name = f"基准测试贸易有限公司{serial:03d}"
    return Company.objects.create(
        legal_name=name,
        name_key=name,
        uscc=uscc("440300", 9000 + serial),
        legal_representative="张三",
        province="广东省",
        city="深圳市",
        address="南山区科技园路1号",
        customer_code=f"BENCH-{serial}",
        status="verified",
        applied_at=timezone.now(),
    )


def books() -> tuple[Company, Company]:
    """Write the books directly (bulk inserts: the entries balance, as the ledger requires);
    a database that has them already (an earlier run on DATABASE_URL) is reused."""
    if Company.objects.filter(customer_code="BENCH-0").exists():
        return Company.objects.get(customer_code="BENCH-0"), Company.objects.get(customer_code="BENCH-1")
    secured_type, paid_type = payments.event_type(payments.SECURED), payments.event_type(payments.PAID)
    companies = [company(n) for n in range(COMPANIES)]
    big, small = companies[0], companies[1]
    plan = [(big, BIG), (small, 10)] + [(c, OTHERS // (COMPANIES - 2)) for c in companies[2:]]
    bank, revenue = account(chart.BANK), account(chart.REVENUE)
    serial = 0
    for owner, count in plan:
        receivable = account(chart.RECEIVABLE_ORDERS, company_id=owner.pk)
        for chunk in range(0, count, 2000):
            orders, entries, lines, events = [], [], [], []
            for i in range(chunk, min(count, chunk + 2000)):
                serial += 1
                day = YEAR[0] + timedelta(days=i * 365 // max(count, 1))
                total = 1000 + (serial * 37) % 90000
                number = f"B{serial:07d}"
                orders.append(
                    Order(
                        number=number,
                        company=owner,
                        currency="CNY",
                        total_incl_tax=Decimal(total) / 100,
                        total_excl_tax=Decimal(total) / 100,
                        shipping_incl_tax=0,
                        shipping_excl_tax=0,
                        status="Complete",
                        date_placed=datetime.combine(day, datetime.min.time(), SH),
                    )
                )
                secured = JournalEntry(
                    key=f"order:{number}:secured", kind=chart.ORDER_SECURED, posted_on=day, order_number=number
                )
                paid = JournalEntry(
                    key=f"order:{number}:paid", kind=chart.ORDER_PAID, posted_on=day, order_number=number
                )
                entries += [secured, paid]
                lines += [
                    (secured, receivable, total),
                    (secured, revenue, -total),
                    (paid, bank, total),
                    (paid, receivable, -total),
                ]
                if owner is big and i % 10 == 0:
                    refund = JournalEntry(
                        key=f"refund:TK-{number}", kind=chart.REFUND, posted_on=day, order_number=number
                    )
                    entries.append(refund)
                    lines += [(refund, revenue, 500), (refund, bank, -500)]
            with transaction.atomic():
                Order.objects.bulk_create(orders)
                JournalEntry.objects.bulk_create(entries)
                Posting.objects.bulk_create(Posting(entry=e, account=a, amount=amt) for e, a, amt in lines)
                by_number = dict(
                    Order.objects.filter(number__in=[o.number for o in orders]).values_list("number", "pk")
                )
                for o in orders:
                    amount = o.total_incl_tax
                    events += [
                        PaymentEvent(order_id=by_number[o.number], event_type=secured_type, amount=amount),
                        PaymentEvent(order_id=by_number[o.number], event_type=paid_type, amount=amount),
                    ]
                PaymentEvent.objects.bulk_create(events)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
    return big, small


HAND_SQL = """
SELECT CASE WHEN e.posted_on < %s THEN 0 ELSE 1 END, e.kind, a.code, SUM(p.amount)
FROM finance_posting p JOIN finance_account a ON a.id = p.account_id JOIN finance_journalentry e ON e.id = p.entry_id
WHERE a.company_id = %s AND a.code IN ('112201', '112202', '2203') AND e.posted_on <= %s
GROUP BY 1, 2, 3
"""
HAND_SQL_BY_ORDER = """
SELECT CASE WHEN e.posted_on < %s THEN 0 ELSE 1 END, e.kind, a.code, SUM(p.amount)
FROM finance_posting p JOIN finance_account a ON a.id = p.account_id JOIN finance_journalentry e ON e.id = p.entry_id
WHERE e.posted_on <= %s AND e.order_number IN (SELECT number FROM order_order WHERE company_id = %s)
  AND ((e.kind = 'refund' AND a.code = '1002') OR (e.kind IN ('order.secured', 'reversal') AND a.code = '6601'))
GROUP BY 1, 2, 3
"""


def hand(company_id: int):
    with connection.cursor() as cursor:
        cursor.execute(HAND_SQL, [YEAR[0], company_id, YEAR[1]])
        own = cursor.fetchall()
        cursor.execute(HAND_SQL_BY_ORDER, [YEAR[0], YEAR[1], company_id])
        return own, cursor.fetchall()


def drain_csv(statement):
    n = 0
    for line in exports.csv_stream(statement):
        n += len(line)
    return n


def main():
    call_command("migrate", verbosity=0)
    print(f"finance statements benchmark on {database_label()}, {RUNS} runs")
    started = time.perf_counter()
    big, small = books()
    print(
        f"books: {JournalEntry.objects.count():,} entries, {Posting.objects.count():,} postings, "
        f"{Order.objects.count():,} orders ({time.perf_counter() - started:.1f} s to write)"
    )
    figures = statements.company_figures(big, *YEAR)
    expected = hand(big.pk)
    assert sum(r[3] for r in expected[0]) == figures["closing"], "the hand-written SQL disagrees"
    print(
        f"big company: orders ¥{figures['orders'] / 100:,.2f}, refunds ¥{figures['refunds'] / 100:,.2f}, "
        f"closing ¥{figures['closing'] / 100:,.2f}"
    )
    for label, who in (("10,000 orders", big), ("10 orders", small)):
        ours, theirs = interleaved(lambda w=who: statements.company_figures(w, *YEAR), lambda w=who: hand(w.pk))
        print(
            f"statement figures, {label:>13}: {ours.min_ms:7.1f}/{ours.median_ms:7.1f} ms (min/median)  "
            f"hand SQL {theirs.min_ms:7.1f}/{theirs.median_ms:7.1f} ms  ratio {ratio_text(ours, theirs)}  "
            f"queries {queries(lambda w=who: statements.company_figures(w, *YEAR))} vs "
            f"{queries(lambda w=who: hand(w.pk))}  "
            f"peak {peak_kib(lambda w=who: statements.company_figures(w, *YEAR))} KiB"
        )
    for label, who in (("10,000 orders", big), ("10 orders", small)):
        s = Statement.objects.create(
            number=f"DZ-BENCH-{who.pk}",
            company=who,
            period_start=YEAR[0],
            period_end=YEAR[1],
            figures=statements.company_figures(who, *YEAR),
        )
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            size = drain_csv(s)
            runs.append(time.perf_counter() - t)
        print(
            f"CSV export,        {label:>13}: {min(runs) * 1000:7.1f} ms  {size / 1024:,.0f} KiB written  "
            f"queries {queries(lambda s=s: drain_csv(s))}  peak {peak_kib(lambda s=s: drain_csv(s))} KiB"
        )
    runs, cpu = [], []
    for _ in range(3):
        t, c = time.perf_counter(), time.process_time()
        report = check()
        runs.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    print(
        f"finance_check over {report.entries:,} entries / {report.orders:,} orders: {min(runs):.2f} s min, "
        f"{sorted(runs)[1]:.2f} s median (this process's CPU {min(cpu):.2f} s); queries {queries(check)}; "
        f"errors {len(report.errors)}"
    )


if __name__ == "__main__":
    main()
