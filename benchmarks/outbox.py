"""Outbox throughput: signed supplier webhooks delivered per second by the kernel's outbox
(core.outbox) to a receiver in another process, against plain HTTP clients posting the same
bodies, measured in one run with the cases interleaved (round after round, the order rotated).

Cases, each against a fast receiver and one that answers after 50 ms (both are
benchmarks/outbox_receiver.py, a threaded keep-alive HTTP server started as a subprocess):

- ``requests.post``: the baseline — bare ``requests.post`` of the same bodies and headers, one
  after the other from one process (a new connection each time);
- ``requests.Session``: the same over one kept-alive connection;
- ``outbox, 1 worker``: one worker process draining (claim 50 with SKIP LOCKED, send in its
  thread pool, record in bulk) — what a Celery worker's ``drain_outbox`` runs;
- ``outbox, 4 workers``: four worker processes draining the same messages at once.

The outbox cases include everything a delivery costs (claim, sign, send, record the attempt and
the status); the message rows are reset between rounds outside the timing. Each outbox round
checks that every message was delivered once and recorded with exactly one attempt. Prints the
best (min time) and median rates and the ratios to the baseline.

    .venv/bin/python benchmarks/outbox.py                 # a fresh SQLite file
    DATABASE_URL=postgres://… .venv/bin/python benchmarks/outbox.py
    benchmarks/throwaway_pg.sh .venv/bin/python benchmarks/outbox.py   # a throwaway PostgreSQL 15

BENCH_MESSAGES (2000), BENCH_SLOW_MESSAGES (1000), BENCH_ROUNDS (5) change the sizes.
"""

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench_env import ROOT, start_django

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "2000"))
SLOW_MESSAGES = int(os.environ.get("BENCH_SLOW_MESSAGES", "1000"))
SLOW_BASELINE = int(os.environ.get("BENCH_SLOW_BASELINE", "60"))  # sequential posts at 50 ms each
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "5"))
WORKERS = 4
HERE = Path(__file__).resolve().parent


def worker_main() -> None:
    """A worker process: drains when asked on stdin, answers with its report on stdout."""
    start_django()
    from django.db import connection

    from core import outbox

    connection.ensure_connection()
    outbox.run(limit=0)  # load the registry and the thread pool before the first round
    print("READY", flush=True)
    for line in sys.stdin:
        command = json.loads(line)
        if command.get("quit"):
            break
        started = time.perf_counter()
        report = outbox.run(limit=command["limit"], channels=("webhook",))
        print(json.dumps({"elapsed": time.perf_counter() - started, **report.__dict__}), flush=True)


if __name__ == "__main__" and "--worker" in sys.argv:
    worker_main()
    sys.exit(0)

start_django()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_model  # noqa: E402

from core import outbox  # noqa: E402
from core.outbox.models import OutboxAttempt, OutboxMessage  # noqa: E402
from core.outbox.payload import money  # noqa: E402
from core.outbox.webhook import SignedWebhook, sign  # noqa: E402
from plugins.s2b2b_orders.models import SupplierProfile  # noqa: E402

Partner = get_model("partner", "Partner")
SECRET = "bench-secret"


class Receiver:
    def __init__(self, delay: float = 0.0):
        self.process = subprocess.Popen(  # noqa: S603  our own script
            [sys.executable, str(HERE / "outbox_receiver.py"), "--delay", str(delay)],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.port = int(self.process.stdout.readline())
        self.url = f"http://127.0.0.1:{self.port}/hook"

    def count(self) -> int:
        return int(requests.get(f"http://127.0.0.1:{self.port}/count", timeout=5).text)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Workers:
    def __init__(self, n: int):
        env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "1"}
        self.processes = [
            subprocess.Popen(  # noqa: S603  our own script
                [sys.executable, str(HERE / "outbox.py"), "--worker"],
                cwd=ROOT,
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(n)
        ]
        for p in self.processes:
            line = p.stdout.readline()
            assert line.strip() == "READY", line

    def drain(self, n: int, limit: int) -> tuple[float, list[dict]]:
        chosen = self.processes[:n]
        started = time.perf_counter()
        for p in chosen:
            p.stdin.write(json.dumps({"limit": limit}) + "\n")
            p.stdin.flush()
        reports = [json.loads(p.stdout.readline()) for p in chosen]
        return time.perf_counter() - started, reports

    def stop(self) -> None:
        for p in self.processes:
            p.stdin.write(json.dumps({"quit": True}) + "\n")
            p.stdin.flush()
            p.wait(timeout=30)


def payload(i: int) -> dict:
    """A supplier order forwarded by webhook, shaped as README's "Webhook payload"."""
    lines = [
        {
            "sku": f"JG-HB-M8-{30 + k}",
            "name": "外六角螺栓 M8×30",
            "quantity": 10 + k,
            "unit_price": "32.00",
            "line_total": money(32 * (10 + k)),
            "unit_cost": "25.50",
        }
        for k in range(3)
    ]
    subtotal = sum(32 * (10 + k) for k in range(3))
    return {
        "event": "supplier_order.forwarded",
        "supplier_order": {
            "number": f"{200000 + i}-S1",
            "order_number": str(200000 + i),
            "state": "forwarded",
            "supplier_code": "bench",
            "currency": "CNY",
            "placed_at": "2026-11-23T10:15:00+00:00",
            "accept_by": "2026-11-24T10:15:00+00:00",
            "subtotal": money(subtotal),
            "freight": "12.00",
            "total": money(subtotal + 12),
            "replaces": None,
            "delivery_address": {
                "consignee": "张三",
                "company": "深圳市宏达五金机电有限公司",
                "phone": "+8613800138000",
                "province": "广东省",
                "city": "深圳市",
                "district": "南山区",
                "street": "科技园路1号",
                "postcode": "518000",
            },
            "lines": lines,
        },
    }


def supplier(code: str, url: str) -> Partner:
    partner, _ = Partner.objects.get_or_create(code=code, defaults={"name": f"基准测试供应商 {code}"})
    SupplierProfile.objects.update_or_create(
        partner=partner,
        defaults={"legal_name": partner.name, "channel": "webhook", "webhook_url": url, "webhook_secret": SECRET},
    )
    return partner


def fill(partner: Partner, n: int) -> list[OutboxMessage]:
    with transaction.atomic():  # parked before the commit, so the after-commit kick finds nothing
        OutboxMessage.objects.filter(partner=partner).delete()
        for start in range(0, n, 500):
            outbox.enqueue_many(
                outbox.Message(
                    dedup_key=f"bench:{partner.code}:{i}",
                    topic="supplier_order.forwarded",
                    channel="webhook",
                    recipient=str(partner.pk),
                    payload=payload(i),
                    reference=f"{200000 + i}-S1",
                    partner=partner,
                )
                for i in range(start, min(n, start + 500))
            )
        park(partner)
    return list(OutboxMessage.objects.filter(partner=partner).order_by("id"))


def reset(partner: Partner) -> None:
    OutboxAttempt.objects.filter(message__partner=partner).delete()
    OutboxMessage.objects.filter(partner=partner).update(
        status="pending",
        attempts=0,
        next_attempt_at=timezone.now(),
        claim_token=None,
        claimed_by="",
        delivered_at=None,
        last_error="",
    )


def park(partner: Partner) -> None:
    OutboxMessage.objects.filter(partner=partner).update(status="delivered")


def requests_for(messages: list[OutboxMessage], url: str) -> list[tuple[str, bytes, dict]]:
    out = []
    for m in messages:
        body = SignedWebhook.body(m)
        ts = str(int(time.time()))
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "X-S2B2B-Event-Id": str(m.event_id),
            "X-S2B2B-Event": m.topic,
            "X-S2B2B-Timestamp": ts,
            "X-S2B2B-Signature": sign(SECRET, ts, body),
        }
        out.append((url, body.encode(), headers))
    return out


def bare_posts(reqs) -> float:
    started = time.perf_counter()
    for url, body, headers in reqs:
        assert requests.post(url, data=body, headers=headers, timeout=10).status_code == 200
    return time.perf_counter() - started


def session_posts(reqs) -> float:
    started = time.perf_counter()
    with requests.Session() as s:
        for url, body, headers in reqs:
            assert s.post(url, data=body, headers=headers, timeout=10).status_code == 200
    return time.perf_counter() - started


def outbox_drain(workers: Workers, n_workers: int, partner: Partner, n: int, receiver: Receiver) -> float:
    reset(partner)
    before = receiver.count()
    elapsed, reports = workers.drain(n_workers, limit=n)
    delivered = sum(r["delivered"] for r in reports)
    assert delivered == n, reports
    assert receiver.count() - before == n
    assert OutboxMessage.objects.filter(partner=partner, status="delivered", attempts=1).count() == n
    assert OutboxAttempt.objects.filter(message__partner=partner, ok=True).count() == n
    park(partner)
    return elapsed


def main() -> None:
    call_command("migrate", verbosity=0)
    vendor = connection.vendor
    fast, slow = Receiver(0.0), Receiver(0.05)
    workers = Workers(WORKERS)
    try:
        fast_partner, slow_partner = supplier("bench-fast", fast.url), supplier("bench-slow", slow.url)
        fast_messages, slow_messages = fill(fast_partner, MESSAGES), fill(slow_partner, SLOW_MESSAGES)
        fast_reqs = requests_for(fast_messages, fast.url)
        slow_reqs = requests_for(slow_messages[:SLOW_BASELINE], slow.url)
        cases = {
            ("fast", "requests.post"): (MESSAGES, lambda: bare_posts(fast_reqs)),
            ("fast", "requests.Session"): (MESSAGES, lambda: session_posts(fast_reqs)),
            ("fast", "outbox, 1 worker"): (MESSAGES, lambda: outbox_drain(workers, 1, fast_partner, MESSAGES, fast)),
            ("fast", "outbox, 4 workers"): (
                MESSAGES,
                lambda: outbox_drain(workers, WORKERS, fast_partner, MESSAGES, fast),
            ),
            ("50 ms", "requests.post"): (SLOW_BASELINE, lambda: bare_posts(slow_reqs)),
            ("50 ms", "requests.Session"): (SLOW_BASELINE, lambda: session_posts(slow_reqs)),
            ("50 ms", "outbox, 1 worker"): (
                SLOW_MESSAGES,
                lambda: outbox_drain(workers, 1, slow_partner, SLOW_MESSAGES, slow),
            ),
            ("50 ms", "outbox, 4 workers"): (
                SLOW_MESSAGES,
                lambda: outbox_drain(workers, WORKERS, slow_partner, SLOW_MESSAGES, slow),
            ),
        }
        times: dict[tuple[str, str], list[float]] = {key: [] for key in cases}
        keys = list(cases)
        for r in range(ROUNDS):
            order = keys[r % len(keys) :] + keys[: r % len(keys)]  # rotate: no case always goes first
            for key in order:
                times[key].append(cases[key][1]())
        report(vendor, cases, times)
    finally:
        workers.stop()
        fast.stop()
        slow.stop()


def report(vendor: str, cases, times) -> None:
    settings_line = (
        f"batch {os.environ.get('OUTBOX_BATCH_SIZE', 50)}, thread pool {os.environ.get('OUTBOX_CONCURRENCY', 24)}"
    )
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"database: {vendor}; {ROUNDS} rounds interleaved; {MESSAGES} messages (fast receiver), "
        f"{SLOW_MESSAGES} (50 ms receiver; its sequential baselines post {SLOW_BASELINE}); "
        f"{settings_line}; load average {load:.1f} on {os.cpu_count()} cores"
    )
    print(f"{'receiver':<8}{'case':<20}{'best/s':>9}{'median/s':>10}{'× post':>9}{'× Session':>11}{'per worker':>12}")
    for receiver in ("fast", "50 ms"):
        base = {}
        for name in ("requests.post", "requests.Session"):
            n, _ = cases[(receiver, name)]
            base[name] = n / statistics.median(times[(receiver, name)])
        for (rec, name), (n, _) in cases.items():
            if rec != receiver:
                continue
            best = n / min(times[(rec, name)])
            median = n / statistics.median(times[(rec, name)])
            workers = WORKERS if "4 workers" in name else 1
            print(
                f"{rec:<8}{name:<20}{best:>9.0f}{median:>10.0f}{median / base['requests.post']:>8.2f}x"
                f"{median / base['requests.Session']:>10.2f}x{median / workers:>12.0f}"
            )
    print("ratios: median rate over the median rate of the baseline in the same run")
    if vendor != "postgresql":
        print(
            "PostgreSQL: benchmarks/throwaway_pg.sh .venv/bin/python benchmarks/outbox.py "
            "(starts a throwaway PostgreSQL 15 cluster like bin/test, runs the command with DATABASE_URL set)"
        )


if __name__ == "__main__":
    main()
