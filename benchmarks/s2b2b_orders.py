"""Order split and forwarding: what the s2b2b_orders plugin adds to placing an order and securing
its payment, and how fast the outbox delivers supplier orders to a webhook receiver.

1. Placing an order (Oscar's OrderCreator, in one transaction as checkout does) and securing its
   payment (on account, as checkout does for a credit line), with lines from 1, 2, 5 and 10
   suppliers, each supplier on webhook (so every part writes its notification and webhook
   messages). A is with the plugin's split receiver on ``payment_secured``, B without it; runs
   alternate A/B so drift hits both; min and median of each, the ratios (wall clock and CPU
   time, min/median) and the SQL statements of one run of each. Each run is rolled back, so
   every run places the same order on the same data.
2. Forwarding throughput: supplier orders delivered per second from the outbox to a local HTTP
   receiver on 127.0.0.1 (signed webhook POSTs), against plain requests.post of the same bodies.
   (benchmarks/outbox.py measures the outbox itself: several workers, a slow receiver.)

    .venv/bin/python benchmarks/s2b2b_orders.py              # throwaway SQLite file
    .venv/bin/python benchmarks/s2b2b_orders.py --postgres   # throwaway PostgreSQL 15 cluster
"""

import json
import os
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench_env import RUNS, cpu_ratio_text, database_label, interleaved, queries, ratio_text, start_django  # noqa: E402

start_django()

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402

from core import outbox  # noqa: E402
from core.demo.seed import _shipping_address, seed_demo  # noqa: E402
from core.orders.events import payment_secured  # noqa: E402
from core.orders.services import secure_payment  # noqa: E402
from core.outbox.models import OutboxMessage  # noqa: E402
from plugins.s2b2b_orders import receivers  # noqa: E402
from plugins.s2b2b_orders.models import SupplierOrder, SupplierProfile  # noqa: E402

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Free = get_class("shipping.methods", "Free")
Selector = get_class("partner.strategy", "Selector")

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "200"))
SUPPLIER_COUNTS = [int(n) for n in os.environ.get("BENCH_SUPPLIERS", "1,2,5,10").split(",")]
SPLIT_UID = "s2b2b_orders.split"
WEBHOOK_URL = "http://127.0.0.1:9/hook"  # part 1 writes messages, it sends none


class Rollback(Exception):
    pass


def prepare() -> list:
    """Demo data, and ten benchmark suppliers on webhook with one product each."""
    call_command("migrate", verbosity=0)
    seed_demo(months=1)
    template = Product.objects.exclude(product_class=None).first()
    products = []
    for n in range(1, max(SUPPLIER_COUNTS) + 1):
        partner, _created = Partner.objects.get_or_create(
            code=f"bench{n:02}", defaults={"name": f"基准供应商{n:02}有限公司"}
        )
        SupplierProfile.objects.update_or_create(
            partner=partner,
            defaults={
                "legal_name": partner.name,
                "channel": "webhook",
                "webhook_url": WEBHOOK_URL,
                "webhook_secret": "bench",
                "contact_email": f"bench{n:02}@example.cn",
            },
        )
        product, _created = Product.objects.get_or_create(
            upc=f"BENCH-{n:02}",
            defaults={"title": f"基准商品 {n:02}", "product_class": template.product_class, "structure": "standalone"},
        )
        StockRecord.objects.get_or_create(
            product=product,
            partner=partner,
            defaults={"partner_sku": f"BENCH-{n:02}", "price": "10.00", "cost": "8.00", "num_in_stock": 10**6},
        )
        products.append(product)
    StockRecord.objects.update(num_in_stock=10**6)
    return products


def place(user, products):
    basket = Basket.objects.create(owner=user, status=Basket.SAVED)  # editable beside the open one (one open per buyer)
    basket.strategy = Selector().strategy(user=user)
    for product in products:
        basket.add_product(product, 2)
    method = Free()
    charge = method.calculate(basket)
    total = OrderTotalCalculator().calculate(basket, charge)
    return OrderCreator().place_order(
        basket=basket,
        total=total,
        shipping_method=method,
        shipping_charge=charge,
        user=user,
        shipping_address=_shipping_address(user),
    )


def place_and_secure(user, products, *, split: bool) -> None:
    """One checkout on account, rolled back. ``split`` connects the plugin's receiver or not."""
    payment_secured.disconnect(dispatch_uid=SPLIT_UID)
    if split:
        payment_secured.connect(receivers.on_payment_secured, dispatch_uid=SPLIT_UID)
    try:
        with transaction.atomic():
            order = place(user, products)
            secure_payment(order, method="on-account", amount=order.total_incl_tax, reference=order.number)
            parts = SupplierOrder.objects.filter(order=order).count()
            assert parts == (len(products) if split else 0), parts
            raise Rollback
    except Rollback:
        pass
    finally:
        payment_secured.connect(receivers.on_payment_secured, dispatch_uid=SPLIT_UID)


def split_cost(user, products) -> None:
    print(f"\n1. place an order and secure its payment — {database_label()}; {RUNS} runs each, A/B interleaved")
    print("   A = with the split receiver (parts, lines, events, notification + webhook messages), B = without")
    print(
        f"   {'suppliers':>9} {'A min/med ms':>15} {'B min/med ms':>15} {'A/B wall':>10} {'A/B cpu':>10}"
        f" {'A q':>5} {'B q':>5} {'split q':>8}"
    )
    for n in SUPPLIER_COUNTS:
        chosen = products[:n]

        def with_split(chosen=chosen):
            place_and_secure(user, chosen, split=True)

        def without_split(chosen=chosen):
            place_and_secure(user, chosen, split=False)

        a, b = interleaved(with_split, without_split)
        qa, qb = queries(with_split), queries(without_split)
        print(
            f"   {n:>9} {a.min_ms:>7.1f}/{a.median_ms:<7.1f} {b.min_ms:>7.1f}/{b.median_ms:<7.1f}"
            f" {ratio_text(a, b):>10} {cpu_ratio_text(a, b):>10} {qa:>5} {qb:>5} {qa - qb:>8}"
        )


class Receiver:
    def __init__(self):
        self.count = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.count += 1
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


def throughput(user, products) -> tuple[float, float]:
    receiver = Receiver()
    partners = [p.stockrecords.get().partner for p in products[:5]]
    SupplierProfile.objects.filter(partner__in=partners).update(webhook_url=receiver.url)
    while OutboxMessage.objects.filter(channel="webhook", partner__in=partners).count() < MESSAGES:
        order = place(user, products[:5])  # committed: each supplier order gets its webhook message
        secure_payment(order, method="on-account", amount=order.total_incl_tax, reference=order.number)
    webhooks = OutboxMessage.objects.filter(channel="webhook", partner__in=partners).order_by("id")[:MESSAGES]
    ids = list(webhooks.values_list("id", flat=True))
    bodies = [m.payload for m in OutboxMessage.objects.filter(id__in=ids)]
    OutboxMessage.objects.exclude(id__in=ids).filter(status="pending").update(status="delivered")
    OutboxMessage.objects.filter(id__in=ids).update(status="pending", attempts=0, next_attempt_at=timezone.now())
    receiver.count = 0
    started = time.perf_counter()
    delivered = outbox.drain(limit=MESSAGES)
    elapsed = time.perf_counter() - started
    assert delivered == MESSAGES and receiver.count == MESSAGES, (delivered, receiver.count)
    assert OutboxMessage.objects.filter(id__in=ids, status="delivered").count() == MESSAGES
    started = time.perf_counter()
    for body in bodies:
        requests.post(receiver.url, data=json.dumps(body, ensure_ascii=False).encode(), timeout=5)
    baseline = time.perf_counter() - started
    return MESSAGES / elapsed, MESSAGES / baseline


def main():
    products = prepare()
    user = get_user_model().objects.get(email="hongda@demo.s2b2b.cn")
    split_cost(user, products)
    rate, baseline = throughput(user, products)
    print(
        f"\n2. forwarding: {MESSAGES} signed webhooks from the outbox to 127.0.0.1: {rate:.0f} supplier orders/s; "
        f"plain requests.post of the same bodies, one after another: {baseline:.0f}/s (ratio {rate / baseline:.2f})"
    )


if __name__ == "__main__":
    main()
