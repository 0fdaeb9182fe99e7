"""Order split and forwarding: what the s2b2b_orders plugin adds to placing an order, and how
fast the outbox delivers supplier orders to a webhook receiver.

1. Placing an order (Oscar's OrderCreator, inside one transaction as checkout does) with lines
   from 1 and from 5 suppliers, with and without the plugin's order_placed receiver: median
   latency, SQL queries, and the ratio. The transaction is rolled back after each run so every
   run places the same order on the same data.
2. Forwarding throughput: supplier orders delivered per second from the outbox to a local HTTP
   receiver on 127.0.0.1 (signed webhook POSTs), against plain requests.post of the same bodies.

    .venv/bin/python benchmarks/s2b2b_orders.py            # fresh SQLite file
    DATABASE_URL=postgres://... .venv/bin/python benchmarks/s2b2b_orders.py
"""

import os
import statistics
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from bench_env import RUNS, start_django  # noqa: E402

start_django()

import requests  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402
from oscar.apps.order.signals import order_placed  # noqa: E402
from oscar.core.loading import get_class, get_model  # noqa: E402

from core import outbox  # noqa: E402
from core.demo.seed import _shipping_address, seed_demo  # noqa: E402
from core.outbox.models import OutboxMessage  # noqa: E402
from plugins.s2b2b_orders import receivers  # noqa: E402
from plugins.s2b2b_orders.models import SupplierProfile  # noqa: E402

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
Basket = get_model("basket", "Basket")
OrderCreator = get_class("order.utils", "OrderCreator")
OrderTotalCalculator = get_class("checkout.calculators", "OrderTotalCalculator")
Free = get_class("shipping.methods", "Free")
Selector = get_class("partner.strategy", "Selector")

MESSAGES = int(os.environ.get("BENCH_MESSAGES", "200"))


class Rollback(Exception):
    pass


def prepare():
    call_command("migrate", verbosity=0)
    seed_demo(months=1)
    if not Partner.objects.filter(code="bench").exists():
        partner = Partner.objects.create(code="bench", name="基准测试供应商有限公司")
        template = Product.objects.first()
        product = Product.objects.create(
            upc="BENCH-1", title="基准测试商品", product_class=template.product_class, structure="standalone"
        )
        StockRecord.objects.create(
            product=product, partner=partner, partner_sku="BENCH-1", price="10.00", num_in_stock=10**6
        )
    StockRecord.objects.update(num_in_stock=10**6)


def products_from(n_suppliers: int) -> list:
    picked = []
    for partner in Partner.objects.order_by("code")[:n_suppliers]:
        record = StockRecord.objects.filter(partner=partner).select_related("product").order_by("id").first()
        picked.append(record.product)
    assert len(picked) == n_suppliers
    return picked


def place(user, products):
    basket = Basket.objects.create(owner=user)
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


def measure(user, products, with_plugin: bool) -> tuple[float, int]:
    connected = order_placed.has_listeners() and any(r[0][0] == "s2b2b_orders.split" for r in order_placed.receivers)
    if with_plugin and not connected:
        order_placed.connect(receivers.on_order_placed, dispatch_uid="s2b2b_orders.split")
    if not with_plugin and connected:
        order_placed.disconnect(dispatch_uid="s2b2b_orders.split")
    times, queries = [], []
    for _ in range(RUNS):
        connection.queries_log.clear()  # the log keeps 9,000 queries; a full log counts 0 new ones
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            try:
                with transaction.atomic():
                    order = place(user, products)
                    if with_plugin:
                        assert order.supplier_orders.count() == len(products)
                    times.append(time.perf_counter() - started)
                    raise Rollback
            except Rollback:
                pass
        queries.append(len(ctx.captured_queries))
    order_placed.connect(receivers.on_order_placed, dispatch_uid="s2b2b_orders.split")
    return statistics.median(times) * 1000, int(statistics.median(queries))


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


def throughput(user) -> tuple[float, float]:
    receiver = Receiver()
    partners = list(Partner.objects.order_by("code")[:5])
    for partner in partners:
        SupplierProfile.objects.update_or_create(
            partner=partner,
            defaults={
                "legal_name": partner.name,
                "channel": "webhook",
                "webhook_url": receiver.url,
                "webhook_secret": "bench",
                "contact_email": "bench@example.cn",
            },
        )
    products = products_from(5)
    while OutboxMessage.objects.filter(channel="webhook", partner__in=partners).count() < MESSAGES:
        place(user, products)  # committed: each supplier order gets its webhook message
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
    import json

    started = time.perf_counter()
    for body in bodies:
        requests.post(receiver.url, data=json.dumps(body, ensure_ascii=False).encode(), timeout=5)
    baseline = time.perf_counter() - started
    return MESSAGES / elapsed, MESSAGES / baseline


def main():
    prepare()
    user = get_user_model().objects.get(email="hongda@demo.s2b2b.cn")
    print(f"database: {connection.vendor}; {RUNS} runs each, median")
    print(f"{'order lines from':<18}{'without plugin':>22}{'with plugin':>22}{'ratio (time)':>14}{'extra queries':>15}")
    for n in (1, 5):
        products = products_from(n)
        base_ms, base_q = measure(user, products, with_plugin=False)
        plug_ms, plug_q = measure(user, products, with_plugin=True)
        print(
            f"{n} supplier(s){'':<6}{base_ms:>12.1f} ms {base_q:>4} q{plug_ms:>12.1f} ms {plug_q:>4} q"
            f"{plug_ms / base_ms:>13.2f}x{plug_q - base_q:>15}"
        )
    rate, baseline = throughput(user)
    print(
        f"forwarding: {MESSAGES} signed webhooks from the outbox to 127.0.0.1: {rate:.0f} supplier orders/s; "
        f"plain requests.post of the same bodies: {baseline:.0f}/s (ratio {rate / baseline:.2f})"
    )


if __name__ == "__main__":
    main()
