"""The load test's users (Locust), started by ``bin/loadtest``; what they do is what people do:

- **distributors** (``LOADTEST_DISTRIBUTORS``, default 50) sign in, browse the product list and
  product pages, add products to the basket and check out through the storefront's pages
  (address, delivery, payment method, preview, place order: Django forms with their CSRF
  token), paying on account or by bank transfer, half and half;
- **suppliers** (``LOADTEST_SUPPLIERS``, default 10) work through the supplier API (GraphQL with
  their API token): list their forwarded orders, accept them, list the accepted ones and ship
  them with a carrier and a tracking number;
- **operators** (``LOADTEST_OPERATORS``, default 2) list orders and supplier orders in the back
  office.

Every request is named after the endpoint it measures. A request counts as failed when the
page or the API does not do what the user asked (a form error, a GraphQL error, a redirect to
the wrong page), and as a *server error* when it answers 5xx (counted apart). At the end the
figures go to ``LOADTEST_RESULT`` (JSON) for ``benchmarks/loadtest/check.py``.

The world (logins, tokens, product pages) comes from ``benchmarks/loadtest/seed.py`` through
``LOADTEST_WORLD``.
"""

import json
import os
import random
import re
from collections import Counter
from pathlib import Path

import urllib3
from locust import HttpUser, between, events, task

urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)  # the run's self-signed certificate

CATALOGUE = "GET /catalogue/ (product list)"
PRODUCT = "GET /catalogue/<product>/ (product page)"
BASKET_ADD = "POST /basket/add/<pk>/"
BASKET = "GET /basket/"
CHECKOUT_ADDRESS = "checkout: address"
CHECKOUT_METHOD = "checkout: delivery method"
CHECKOUT_PREVIEW = "checkout: payment method + preview"
PLACE_ON_ACCOUNT = "checkout: place order (on account)"
PLACE_TRANSFER = "checkout: place order (bank transfer)"
LOGIN = "POST /accounts/login/"
SUPPLIER_LIST = "API supplierOrders"
SUPPLIER_ACCEPT = "API acceptSupplierOrder"
SUPPLIER_SHIP = "API shipSupplierOrder"
OPERATOR_ORDERS = "GET /dashboard/orders/"
OPERATOR_SUPPLIER_ORDERS = "GET /dashboard/supplier-orders/"

#: the endpoints the targets name
CHECKOUT_ENDPOINTS = (PLACE_ON_ACCOUNT, PLACE_TRANSFER)
PRODUCT_LIST_ENDPOINT = CATALOGUE

SERVER_ERRORS: Counter = Counter()
PLACED: Counter = Counter()

_world: dict | None = None


def world() -> dict:
    global _world
    if _world is None:
        _world = json.loads(Path(os.environ["LOADTEST_WORLD"]).read_text(encoding="utf-8"))
    return _world


def _count(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


@events.request.add_listener
def _server_errors(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    if response is not None and getattr(response, "status_code", 0) >= 500:
        SERVER_ERRORS[name] += 1


def summary(stats, server_errors: Counter, placed: Counter, run_seconds: float) -> dict:
    """The run's figures per endpoint (requests, failures, server errors, p50/p95/p99 in ms) and
    in total, from Locust's statistics."""
    endpoints = []
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        endpoints.append(
            {
                "name": entry.name,
                "requests": entry.num_requests,
                "failures": entry.num_failures,
                "server_errors": server_errors.get(entry.name, 0),
                "p50": entry.get_response_time_percentile(0.50) if entry.num_requests else 0,
                "p95": entry.get_response_time_percentile(0.95) if entry.num_requests else 0,
                "p99": entry.get_response_time_percentile(0.99) if entry.num_requests else 0,
                "rps": entry.num_requests / run_seconds if run_seconds else 0.0,
            }
        )
    errors = [
        {"name": e.name, "error": str(e.error)[:300], "occurrences": e.occurrences}
        for e in sorted(stats.errors.values(), key=lambda e: -e.occurrences)
    ]
    total = stats.total
    return {
        "seconds": run_seconds,
        "requests": total.num_requests,
        "failures": total.num_failures,
        "server_errors": sum(server_errors.values()),
        "rps": total.num_requests / run_seconds if run_seconds else 0.0,
        "placed": dict(placed),
        "endpoints": endpoints,
        "errors": errors,
    }


@events.quitting.add_listener
def _write_result(environment, **kwargs):
    target = os.environ.get("LOADTEST_RESULT")
    if not target:
        return
    stats = environment.stats
    seconds = max(stats.last_request_timestamp - stats.start_time, 1.0) if stats.last_request_timestamp else 1.0
    Path(target).write_text(json.dumps(summary(stats, SERVER_ERRORS, PLACED, seconds), ensure_ascii=False, indent=1))


class _SignedIn(HttpUser):
    abstract = True
    email = ""

    def on_start(self):
        self.client.verify = False  # the run's own self-signed certificate
        self.client.headers["Origin"] = self.host.rstrip("/")  # Django's CSRF check over HTTPS
        self.client.headers["Accept-Language"] = "en"
        self.client.get("/accounts/login/", name="GET /accounts/login/")
        with self.client.post(
            "/accounts/login/",
            data={
                "login-username": self.email,
                "login-password": world()["password"],
                "login_submit": "1",
                "csrfmiddlewaretoken": self.csrf(),
            },
            name=LOGIN,
            catch_response=True,
        ) as response:
            if "sessionid" not in self.client.cookies:
                response.failure(f"sign-in as {self.email} failed")

    def csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    def post_form(self, url: str, data: dict, name: str, **kwargs):
        return self.client.post(url, data={**data, "csrfmiddlewaretoken": self.csrf()}, name=name, **kwargs)


def _messages(html: str) -> str:
    """The page's error messages (alerts and field errors), for a failure's description."""
    found = re.findall(
        r'class="[^"]*(?:alert-danger|alert-error|invalid-feedback|errorlist)[^"]*"[^>]*>(.*?)</', html, re.S
    )
    return " | ".join(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", m)).strip() for m in found)[:300]


class Distributor(_SignedIn):
    fixed_count = _count("LOADTEST_DISTRIBUTORS", 50)
    wait_time = between(1, 4)
    _numbers = iter(range(1, 10**9))

    def on_start(self):
        n = next(Distributor._numbers)
        distributors = world()["distributors"]
        self.email = distributors[(n - 1) % len(distributors)]["email"]
        super().on_start()

    def product(self) -> dict:
        return random.choice(world()["products"])

    @task(3)
    def browse(self):
        page = random.choice(["", "", "?page=2"])
        self.client.get(f"/catalogue/{page}", name=CATALOGUE)
        for _ in range(random.randint(1, 3)):
            self.client.get(self.product()["url"], name=PRODUCT)

    @task(2)
    def buy(self):
        self.client.get("/catalogue/", name=CATALOGUE)
        for product in random.sample(world()["products"], random.randint(1, 3)):
            self.client.get(product["url"], name=PRODUCT)
            with self.post_form(
                f"/basket/add/{product['pk']}/", {"quantity": random.randint(1, 5)}, BASKET_ADD, catch_response=True
            ) as response:
                if response.ok and "/basket/add/" in response.url:
                    response.failure(f"not added: {_messages(response.text)}")
        self.client.get("/basket/", name=BASKET)
        self.checkout(random.choice(["on-account", "bank-transfer"]))

    def checkout(self, method: str) -> None:
        with self.client.get("/checkout/", name=CHECKOUT_ADDRESS, catch_response=True) as response:
            if response.ok and "/checkout/shipping-address/" not in response.url:
                response.failure(f"checkout did not start: {response.url} {_messages(response.text)}")
                return
            address_id = re.search(r'name="address_id" value="(\d+)"', response.text)
            if address_id is None:
                response.failure("no saved address offered")
                return
        with self.post_form(
            "/checkout/shipping-address/",
            {"action": "ship_to", "address_id": address_id.group(1)},
            CHECKOUT_METHOD,
            catch_response=True,
        ) as response:
            if response.ok and "/checkout/payment-details/" not in response.url:
                response.failure(f"delivery step ended at {response.url}: {_messages(response.text)}")
                return
        with self.post_form(
            "/checkout/preview/", {"method": method}, CHECKOUT_PREVIEW, catch_response=True
        ) as response:
            if response.ok and 'value="place_order"' not in response.text:
                response.failure(f"no preview: {_messages(response.text)}")
                return
        name = PLACE_ON_ACCOUNT if method == "on-account" else PLACE_TRANSFER
        with self.post_form("/checkout/preview/", {"action": "place_order"}, name, catch_response=True) as response:
            if response.ok and "/checkout/thank-you/" not in response.url:
                response.failure(f"not placed ({response.url}): {_messages(response.text)}")
            elif response.ok:
                PLACED[method] += 1


SUPPLIER_ORDERS = """query($state: String) {
  supplierOrders(state: $state, first: 5) { totalCount items { number state total } }
}"""
ACCEPT = """mutation($number: String!) {
  acceptSupplierOrder(number: $number) { supplierOrder { state } errors { field message } }
}"""
SHIP = """mutation($number: String!, $tracking: [String!]!) {
  shipSupplierOrder(number: $number, carrier: "sf", trackingNumbers: $tracking) {
    supplierOrder { state } errors { field message }
  }
}"""


class Supplier(HttpUser):
    fixed_count = _count("LOADTEST_SUPPLIERS", 10)
    wait_time = between(2, 5)
    _numbers = iter(range(1, 10**9))

    def on_start(self):
        n = next(Supplier._numbers)
        suppliers = world()["suppliers"]
        self.client.verify = False
        self.client.headers["Authorization"] = f"Bearer {suppliers[(n - 1) % len(suppliers)]['token']}"
        self.client.headers["Accept-Language"] = "en"

    def graphql(self, query: str, variables: dict, name: str, field: str) -> dict | None:
        with self.client.post(
            "/graphql/", json={"query": query, "variables": variables}, name=name, catch_response=True
        ) as response:
            if not response.ok:
                return None
            body = response.json()
            data = (body.get("data") or {}).get(field)
            if body.get("errors") or data is None:
                response.failure(f"GraphQL: {json.dumps(body.get('errors'), ensure_ascii=False)[:300]}")
                return None
            if data.get("errors"):
                response.failure(f"{field}: {json.dumps(data['errors'], ensure_ascii=False)[:300]}")
                return None
            return data

    @task
    def work_through_orders(self):
        page = self.graphql(SUPPLIER_ORDERS, {"state": "forwarded"}, SUPPLIER_LIST, "supplierOrders")
        for item in (page or {}).get("items", []):
            self.graphql(ACCEPT, {"number": item["number"]}, SUPPLIER_ACCEPT, "acceptSupplierOrder")
        page = self.graphql(SUPPLIER_ORDERS, {"state": "accepted"}, SUPPLIER_LIST, "supplierOrders")
        for item in (page or {}).get("items", []):
            tracking = f"SF{random.randrange(10**12, 10**13):013d}"
            self.graphql(SHIP, {"number": item["number"], "tracking": [tracking]}, SUPPLIER_SHIP, "shipSupplierOrder")


class Operator(_SignedIn):
    fixed_count = _count("LOADTEST_OPERATORS", 2)
    wait_time = between(3, 8)
    _numbers = iter(range(1, 10**9))

    def on_start(self):
        n = next(Operator._numbers)
        operators = world()["operators"]
        self.email = operators[(n - 1) % len(operators)]
        super().on_start()

    @task(2)
    def orders(self):
        self.client.get("/dashboard/orders/", name=OPERATOR_ORDERS)

    @task(1)
    def supplier_orders(self):
        self.client.get("/dashboard/supplier-orders/", name=OPERATOR_SUPPLIER_ORDERS)
