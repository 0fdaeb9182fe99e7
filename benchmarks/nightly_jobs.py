"""Nightly jobs at 1,000 and 10,000 members: tier re-qualification, points expiry, member facts
and grades, and the escalation sweep over overdue supplier orders. For each: the SQL queries of
one run, its time (min/median of BENCH_RUNS, state reset between runs so each run does the same
work) and the peak Python memory it allocates (tracemalloc), then the ratio 10k/1k measured in
the same process: set-based jobs keep queries and memory flat as the members grow.

Every member has paid orders (the kernel's paid event) and some that do not count (cancelled,
unpaid); a third of them move tier, every member has points of which a third expire; the
sweep finds 100 and 500 overdue supplier orders (500 is its batch per run).

    .venv/bin/python benchmarks/nightly_jobs.py              # throwaway SQLite file
    .venv/bin/python benchmarks/nightly_jobs.py --postgres   # throwaway PostgreSQL 15 cluster
"""

import os
from datetime import timedelta
from decimal import Decimal

from bench_env import database_label, peak_kib, queries, start_django  # noqa: E402

start_django()

import time  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from companies import uscc  # noqa: E402
from companies.models import Company, CompanyMember  # noqa: E402
from core.orders import payments  # noqa: E402
from core.orders import status as order_status  # noqa: E402
from core.outbox.models import OutboxMessage  # noqa: E402
from plugins.member_tiers.models import Membership, PointsEntry, Tier, TierChange  # noqa: E402
from plugins.member_tiers.services import members, points, tags  # noqa: E402
from plugins.s2b2b_orders.models import Escalation, State, SupplierOrder  # noqa: E402
from plugins.s2b2b_orders.services import escalation  # noqa: E402

User = get_user_model()
Order = get_model("order", "Order")
PaymentEvent = get_model("order", "PaymentEvent")
Partner = get_model("partner", "Partner")

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
SIZES = [int(n) for n in os.environ.get("BENCH_MEMBERS", "1000,10000").split(",")]
NOW = timezone.now()
TIERS = (("regular", "普通会员", 1, "0"), ("silver", "银牌", 2, "20000"), ("gold", "金牌", 3, "40000"))


def tiers() -> dict[str, Tier]:
    out = {}
    for code, name, rank, threshold in TIERS:
        out[code], _created = Tier.objects.get_or_create(
            code=code, defaults={"name": name, "rank": rank, "upgrade_threshold": Decimal(threshold)}
        )
    return out


def grow(start: int, stop: int, by_code: dict[str, Tier]) -> None:
    """Members start..stop-1 with their orders, payment events and points, written in bulk."""
    users = User.objects.bulk_create(
        User(username=f"bench{n:05d}", email=f"bench{n:05d}@example.cn", password="!") for n in range(start, stop)
    )
    users = list(User.objects.filter(username__gte=f"bench{start:05d}", username__lt=f"bench{stop:05d}").order_by("pk"))
    cycle = [by_code["regular"], by_code["gold"], by_code["silver"]]  # regular→silver, gold→silver, silver stays
    now = timezone.now()
    Company.objects.bulk_create(
        Company(
            legal_name=f"基准企业{start + n:05d}",
            uscc=uscc.generate("440300", 100_000 + start + n),
            legal_representative="张三",
            province="广东省",
            city="深圳市",
            address="科技园路1号",
            status="verified",
            applied_at=now,
        )
        for n in range(len(users))
    )
    companies = list(
        Company.objects.filter(legal_name__gte=f"基准企业{start:05d}", legal_name__lt=f"基准企业{stop:05d}").order_by(
            "pk"
        )
    )
    CompanyMember.objects.bulk_create(
        CompanyMember(company=c, user=u, role="admin", added_at=now) for c, u in zip(companies, users, strict=True)
    )
    company_of = {u.pk: c for c, u in zip(companies, users, strict=True)}
    Membership.objects.bulk_create(
        Membership(company=c, tier=cycle[n % 3], points_balance=300) for n, c in enumerate(companies)
    )
    memberships = list(Membership.objects.filter(company__in=companies).order_by("pk"))
    orders = []
    for n, user in enumerate(users):
        for k, (total, days, state) in enumerate(
            ((Decimal("25000.00"), 20, order_status.COMPLETE), (Decimal("99999.00"), 5, order_status.CANCELLED))
        ):
            orders.append(
                Order(
                    number=f"B{start + n:05d}-{k}",
                    user=user,
                    company=company_of[user.pk],
                    currency="CNY",
                    total_incl_tax=total,
                    total_excl_tax=total,
                    shipping_incl_tax=0,
                    shipping_excl_tax=0,
                    status=state,
                    date_placed=NOW - timedelta(days=days),
                )
            )
    Order.objects.bulk_create(orders, batch_size=2000)
    orders = Order.objects.filter(number__gte=f"B{start:05d}", number__lt=f"B{stop:05d}")
    paid = payments.event_type(payments.PAID)
    PaymentEvent.objects.bulk_create(
        (
            PaymentEvent(order_id=pk, event_type=paid, amount=total)
            for pk, total in orders.values_list("pk", "total_incl_tax")
        ),
        batch_size=2000,
    )
    entries = []
    for n, m in enumerate(memberships):
        for days_ago, amount in ((400, 100 if n % 3 == 0 else 0), (30, 200)):
            if amount:
                at = NOW - timedelta(days=days_ago)
                entries.append(
                    PointsEntry(
                        membership=m,
                        kind="earn",
                        points=amount,
                        order_number=f"P{start + n}-{days_ago}",
                        created_at=at,
                        expires_at=at + timedelta(days=365),
                    )
                )
    PointsEntry.objects.bulk_create(entries, batch_size=2000)
    # planner statistics, as a live database has them (PostgreSQL's autovacuum); without them
    # SQLite reads a payment event by its type instead of its order: every job goes quadratic
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def overdue(count: int, partner: Partner) -> None:
    """``count`` forwarded supplier orders past their deadline (on the members' paid orders)."""
    SupplierOrder.objects.all().delete()
    orders = Order.objects.filter(status=order_status.COMPLETE).order_by("pk")[:count]
    SupplierOrder.objects.bulk_create(
        SupplierOrder(
            number=f"{o.number}-S1",
            order=o,
            partner=partner,
            sequence=1,
            subtotal=o.total_incl_tax,
            deadline_at=NOW - timedelta(hours=1),
            state=State.FORWARDED,
        )
        for o in orders
    )


def reset_tiers(by_code) -> None:
    TierChange.objects.filter(kind=TierChange.AUTOMATIC).delete()
    users = Membership.objects.order_by("pk").values_list("pk", flat=True)
    cycle = [by_code["regular"], by_code["gold"], by_code["silver"]]
    for k in range(3):
        ids = [pk for n, pk in enumerate(users) if n % 3 == k]
        for chunk in range(0, len(ids), 900):
            Membership.objects.filter(pk__in=ids[chunk : chunk + 900]).update(tier=cycle[k])


def reset_points() -> None:
    PointsEntry.objects.filter(kind="expire").delete()
    Membership.objects.update(points_balance=300)


def reset_escalations() -> None:
    Escalation.objects.all().delete()
    OutboxMessage.objects.filter(topic="supplier_order.escalated").delete()
    SupplierOrder.objects.update(escalated_at=None, state=State.FORWARDED)


def measure(job, reset) -> tuple[int, float, float, int, object]:
    reset()
    count = queries(job)
    times = []
    for _ in range(RUNS):
        reset()
        start = time.perf_counter()
        result = job()
        times.append(time.perf_counter() - start)
    reset()
    kib = peak_kib(job)
    times.sort()
    return count, times[0] * 1000, times[len(times) // 2] * 1000, kib, result


def quiet_outbox() -> None:
    """Measure the sweep, not the delivery of its alerts: without a broker the outbox would
    drain eagerly on commit (its throughput is benchmarks/outbox.py's subject)."""
    from plugins.s2b2b_orders.services import outbox

    if hasattr(outbox, "_kick_drain"):
        outbox._kick_drain = lambda: None


def main() -> None:
    call_command("migrate", verbosity=0)
    quiet_outbox()
    by_code = tiers()
    partner, _created = Partner.objects.get_or_create(code="bench", defaults={"name": "基准测试供应商有限公司"})
    for n in range(3):
        User.objects.get_or_create(username=f"op{n}", defaults={"email": f"op{n}@example.cn", "is_staff": True})
    print(f"database: {database_label()}; nightly jobs; time = min/median of {RUNS} runs; peak = KiB (tracemalloc)")
    print(f"{'job':<26}{'members':>9}{'queries':>9}{'min ms':>10}{'median ms':>11}{'peak KiB':>10}  result")
    results: dict[tuple[str, int], tuple] = {}
    grown = 0
    for size in SIZES:
        grow(grown, size, by_code)
        grown = size
        jobs = (
            ("tier re-qualification", lambda: members.requalify(now=NOW), lambda: reset_tiers(by_code)),
            ("points expiry", lambda: points.expire_points(now=NOW), reset_points),
            ("facts and grades", lambda: tags.recompute_facts(now=NOW), lambda: None),
        )
        for name, job, reset in jobs:
            row = results[(name, size)] = measure(job, reset)
            print(f"{name:<26}{size:>9}{row[0]:>9}{row[1]:>10.1f}{row[2]:>11.1f}{row[3]:>10}  {row[4]}")
    sweeps = (100, 500)
    for count in sweeps:
        overdue(count, partner)
        name = f"escalation sweep ({count})"
        row = results[(name, count)] = measure(lambda: escalation.escalate_overdue(now=NOW), reset_escalations)
        print(f"{name:<26}{SIZES[-1]:>9}{row[0]:>9}{row[1]:>10.1f}{row[2]:>11.1f}{row[3]:>10}  {row[4]}")
    small, large = SIZES[0], SIZES[-1]
    print(f"ratios {large}/{small} members (sweep: 500/100 orders): queries · median time · peak memory")
    for name in ("tier re-qualification", "points expiry", "facts and grades"):
        a, b = results[(name, large)], results[(name, small)]
        print(f"  {name:<24}{a[0] / b[0]:>8.2f}{a[2] / b[2]:>8.2f}{a[3] / max(b[3], 1):>8.2f}")
    a, b = results[("escalation sweep (500)", 500)], results[("escalation sweep (100)", 100)]
    print(f"  {'escalation sweep':<24}{a[0] / b[0]:>8.2f}{a[2] / b[2]:>8.2f}{a[3] / max(b[3], 1):>8.2f}")
    if connection.vendor == "sqlite":
        print("(SQLite: one writer; PostgreSQL figures with --postgres)")


if __name__ == "__main__":
    main()
