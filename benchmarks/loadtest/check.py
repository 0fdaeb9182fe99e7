"""After the load test: the figures (throughput, p50/p95/p99 per endpoint, errors) and the checks
against the database that say whether the platform stayed consistent under load, then one
PASS/FAIL line against the targets.

Consistency (each a failure when it does not hold), over the orders placed since the run began:

- **split**: an order whose payment is secured has exactly one supplier order per supplier of
  its lines, each with that supplier's lines and quantities and their amount, and the parts'
  goods and freight add up to the order's total; an order still awaiting payment has none
  (nothing is forwarded before the payment is secured);
- **forwarding**: every supplier order has its "forwarded" message in the outbox exactly once
  per recipient (none lost, none doubled), delivered; with the webhook receiver's log, each
  supplier order's forwarding reached the supplier's system as exactly one event (a redelivery
  of the same event id is at-least-once delivery, which the receiver de-duplicates: counted,
  not a failure);
- **ledger**: ``manage.py finance_check`` (the credit ledgers balance and reconcile);
- **baskets**: no basket is left frozen, no open basket belongs to a placed order (a submitted
  basket reopened), no buyer has two open baskets.

Targets: no server error, checkout p95 ≤ 1 s, product list p95 ≤ 300 ms. Exit status: 1 when a
consistency check fails, 2 when only a target is missed, 0 on PASS.

    python -m benchmarks.loadtest.check --world W.json --result R.json [--webhooks LOG.jsonl]
"""

import argparse
import io
import json
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHECKOUT_P95_MS = 1000
PRODUCT_LIST_P95_MS = 300
FORWARDED = "supplier_order.forwarded"
EXAMPLES = 5  # problems listed per check


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


def _verdict(name: str, problems: list[str], passed: str) -> Check:
    if not problems:
        return Check(name, True, passed)
    shown = "; ".join(problems[:EXAMPLES]) + (
        f"; … {len(problems) - EXAMPLES} more" if len(problems) > EXAMPLES else ""
    )
    return Check(name, False, f"{len(problems)} problem(s): {shown}")


def check_split(since: datetime) -> Check:
    from oscar.core.loading import get_model

    from core.money import ZERO
    from core.orders import payments

    Order = get_model("order", "Order")
    orders = (
        payments.with_event(Order.objects.filter(date_placed__gte=since), payments.SECURED, name="secured")
        .prefetch_related("lines", "supplier_orders__lines")
        .order_by("pk")
    )
    problems, secured_count, parts_count = [], 0, 0
    for order in orders:
        parts = [so for so in order.supplier_orders.all() if so.replaces_id is None]
        if not order.secured:
            if parts:
                problems.append(f"{order.number}: forwarded before its payment was secured")
            continue
        secured_count += 1
        parts_count += len(parts)
        lines: dict[int, list] = defaultdict(list)
        for line in order.lines.all():
            lines[line.partner_id].append(line)
        per_partner = Counter(so.partner_id for so in parts)
        missing = set(lines) - set(per_partner)
        doubled = [pid for pid, n in per_partner.items() if n > 1]
        strangers = set(per_partner) - set(lines)
        if missing:
            problems.append(f"{order.number}: no supplier order for {len(missing)} supplier(s)")
        if doubled:
            problems.append(f"{order.number}: {len(doubled)} supplier(s) got more than one supplier order")
        if strangers:
            problems.append(f"{order.number}: a supplier order for a supplier with no line in it")
        for so in parts:
            own = lines.get(so.partner_id, [])
            expected = sum((line.line_price_incl_tax for line in own), ZERO)
            if so.subtotal != expected:
                problems.append(f"{so.number}: goods {so.subtotal} ≠ its lines' {expected}")
            if Counter((sl.order_line_id, sl.quantity) for sl in so.lines.all()) != Counter(
                (line.pk, line.quantity) for line in own
            ):
                problems.append(f"{so.number}: its lines differ from the order's lines of that supplier")
        together = sum((so.subtotal + so.freight for so in parts), Decimal("0.00"))
        if parts and not missing and together != order.total_incl_tax:
            problems.append(f"{order.number}: parts add up to {together}, the order is {order.total_incl_tax}")
    return _verdict(
        "split",
        problems,
        f"{secured_count} secured orders → {parts_count} supplier orders, one per supplier, sums right",
    )


def forwarding_messages(since: datetime):
    from django.contrib.contenttypes.models import ContentType

    from core.outbox.models import OutboxMessage
    from plugins.s2b2b_orders.models import SupplierOrder

    sos = list(SupplierOrder.objects.filter(order__date_placed__gte=since).select_related("partner__supplier_profile"))
    messages = OutboxMessage.objects.filter(
        topic=FORWARDED,
        content_type=ContentType.objects.get_for_model(SupplierOrder),
        object_id__in=[so.pk for so in sos],
    )
    return sos, list(messages)


def wait_for_outbox(since: datetime, timeout: float) -> float:
    """Wait (at most ``timeout`` seconds) until no forwarding message of the run is still to be
    sent: the Celery beat drains the outbox every minute. Returns the seconds waited."""
    from core.outbox.models import Status

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        _sos, messages = forwarding_messages(since)
        if not any(m.status in (Status.PENDING, Status.SENDING) for m in messages):
            break
        time.sleep(2)
    return time.monotonic() - started


def check_forwarding(since: datetime, webhooks: list[dict] | None = None) -> Check:
    from core.outbox.models import Status
    from plugins.s2b2b_orders.models import Channel

    sos, messages = forwarding_messages(since)
    by_so: dict[int, list] = defaultdict(list)
    for message in messages:
        by_so[message.object_id].append(message)
    received: dict[str, Counter] = defaultdict(Counter)
    for delivery in webhooks or []:
        if delivery.get("topic") == FORWARDED:
            received[delivery["number"]][delivery["event_id"]] += 1
    problems, redelivered = [], 0
    for so in sos:
        own = by_so.get(so.pk, [])
        if not own:
            problems.append(f"{so.number}: never forwarded (no outbox message)")
            continue
        doubled = [key for key, n in Counter((m.channel, m.recipient) for m in own).items() if n > 1]
        if doubled:
            problems.append(f"{so.number}: forwarded {len(own)} times ({', '.join(c for c, _r in doubled)} twice)")
        undelivered = [m for m in own if m.status != Status.DELIVERED]
        if undelivered:
            problems.append(f"{so.number}: forwarding {', '.join(m.status for m in undelivered)}, not delivered")
        profile = getattr(so.partner, "supplier_profile", None)
        if webhooks is not None and profile is not None and profile.channel == Channel.WEBHOOK:
            events = received.get(so.number, Counter())
            if len(events) != 1:
                problems.append(f"{so.number}: the supplier's system received {len(events)} forwarding events")
            redelivered += sum(n - 1 for n in events.values())
    passed = f"{len(sos)} supplier orders, each forwarded once and delivered"
    if webhooks is not None:
        passed += f" (webhook redeliveries of the same event: {redelivered})"
    return _verdict("forwarding", problems, passed)


def check_ledger() -> Check:
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.utils import translation

    out = io.StringIO()
    try:
        with translation.override("en"):
            call_command("finance_check", stdout=out)
    except CommandError as exc:
        lines = [line for line in out.getvalue().splitlines() if line.strip()]
        return Check("ledger", False, f"finance_check: {exc} {' | '.join(lines[:EXAMPLES])}")
    return Check("ledger", True, "finance_check: " + out.getvalue().strip().splitlines()[-1])


def check_baskets() -> Check:
    from django.db.models import Count
    from oscar.core.loading import get_model

    from companies.approvals.models import ApprovalRequest, RequestStatus

    Basket = get_model("basket", "Basket")
    Order = get_model("order", "Order")
    # a basket waits frozen behind a purchase approval request still pending: that one is not stuck
    held = ApprovalRequest.objects.filter(status=RequestStatus.PENDING, basket__isnull=False).values("basket")
    frozen = Basket.objects.filter(status=Basket.FROZEN).exclude(pk__in=held)
    problems = [f"basket {pk} is left frozen" for pk in frozen.values_list("pk", flat=True)]
    problems += [
        f"order {number} was placed from basket {basket}, which is open again"
        for number, basket in Order.objects.filter(basket__status=Basket.OPEN).values_list("number", "basket_id")
    ]
    problems += [
        f"buyer {row['owner']} has {row['n']} open baskets"
        for row in Basket.objects.filter(status=Basket.OPEN, owner__isnull=False)
        .values("owner")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ]
    open_count = Basket.objects.filter(status=Basket.OPEN).count()
    return _verdict(
        "baskets", problems, f"none frozen, none reopened, {open_count} open baskets, at most one per buyer"
    )


def run_checks(*, since: datetime, webhooks: list[dict] | None = None) -> list[Check]:
    return [check_split(since), check_forwarding(since, webhooks), check_ledger(), check_baskets()]


# --- the figures -----------------------------------------------------------------------------


def table(result: dict) -> str:
    rows = [
        f"{'endpoint':<42} {'requests':>8} {'req/s':>6} {'fail':>5} {'5xx':>4} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    ]
    for e in result["endpoints"]:
        rows.append(
            f"{e['name']:<42} {e['requests']:>8} {e['rps']:>6.2f} {e['failures']:>5} {e['server_errors']:>4} "
            f"{e['p50']:>7.0f} {e['p95']:>7.0f} {e['p99']:>7.0f}"
        )
    rows.append(
        f"{'total':<42} {result['requests']:>8} {result['rps']:>6.2f} {result['failures']:>5} "
        f"{result['server_errors']:>4}"
    )
    placed = result.get("placed", {})
    rows.append(
        f"{result['seconds']:.0f} s; orders placed: {placed.get('on-account', 0)} on account, "
        f"{placed.get('bank-transfer', 0)} by bank transfer"
    )
    if result["errors"]:
        rows.append("failures (most frequent first):")
        rows += [f"  {e['occurrences']:>5} × {e['name']}: {e['error']}" for e in result["errors"][:12]]
    return "\n".join(rows)


def targets(result: dict) -> list[str]:
    """The speed and error targets the run missed (empty: all met)."""
    os.environ.setdefault("LOCUST_SKIP_MONKEY_PATCH", "1")  # only its names are wanted here
    from benchmarks.loadtest.locustfile import CHECKOUT_ENDPOINTS, PRODUCT_LIST_ENDPOINT

    missed = []
    if result["server_errors"]:
        missed.append(f"{result['server_errors']} server errors")
    by_name = {e["name"]: e for e in result["endpoints"]}
    for name in CHECKOUT_ENDPOINTS:
        if name in by_name and by_name[name]["p95"] > CHECKOUT_P95_MS:
            missed.append(f"{name} p95 {by_name[name]['p95']:.0f} ms > {CHECKOUT_P95_MS} ms")
        if name not in by_name:
            missed.append(f"{name}: never measured")
    listing = by_name.get(PRODUCT_LIST_ENDPOINT)
    if listing is None or listing["p95"] > PRODUCT_LIST_P95_MS:
        missed.append(f"product list p95 {listing['p95'] if listing else '—'} ms > {PRODUCT_LIST_P95_MS} ms")
    return missed


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--world", required=True)
    parser.add_argument("--result", required=True)
    parser.add_argument("--webhooks", help="the webhook receiver's log (JSON lines)")
    parser.add_argument("--server-log", help="gunicorn's error log, searched for tracebacks")
    parser.add_argument("--drain-timeout", type=float, default=180)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()

    world = json.loads(Path(args.world).read_text(encoding="utf-8"))
    since = datetime.fromisoformat(world["since"])
    result_path = Path(args.result)
    if not result_path.exists():
        print("!! Locust wrote no result: see its log")
        return 1
    result = json.loads(result_path.read_text(encoding="utf-8"))
    print(table(result))
    if args.server_log and Path(args.server_log).exists():
        tracebacks = Path(args.server_log).read_text(errors="replace").count("Traceback (most recent call last)")
        print(f"tracebacks in gunicorn's log: {tracebacks}")

    waited = wait_for_outbox(since, args.drain_timeout)
    print(f"\nconsistency (outbox drained after {waited:.0f} s):")
    webhooks = None
    if args.webhooks:
        path = Path(args.webhooks)
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        webhooks = [json.loads(line) for line in lines if line.strip()]
    checks = run_checks(since=since, webhooks=webhooks)
    for c in checks:
        print(f"  [{'ok' if c.ok else 'FAIL'}] {c.name}: {c.detail}")
    inconsistent = [c.name for c in checks if not c.ok]
    missed = targets(result)
    if not inconsistent and not missed:
        print(
            "\nPASS: 0 server errors, 0 lost or duplicated supplier orders, consistent, checkout and product list in time"
        )
        return 0
    print("\nFAIL: " + "; ".join([f"{name} inconsistent" for name in inconsistent] + missed))
    return 1 if inconsistent else 2


if __name__ == "__main__":
    sys.exit(main())
