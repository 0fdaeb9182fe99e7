"""Splitting an order writes all its supplier parts at once: an order to six suppliers costs the
queries of an order to one, and each part still gets its lines, first event and messages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierOrderEvent
from plugins.s2b2b_orders.services.split import split_order
from tests import factories
from tests.s2b2b_orders.conftest import make_supplier, place_order

pytestmark = pytest.mark.django_db


def _suppliers(count: int, offset: int = 0) -> list:
    """Suppliers on every channel in turn (portal, e-mail, webhook), each with staff and one product."""
    products = []
    for n in range(offset, offset + count):
        channel = ("portal", "email", "webhook")[n % 3]
        url = "http://127.0.0.1:9/hook" if channel == "webhook" else ""
        partner = make_supplier(f"q{n}", channel=channel, url=url, secret="s" if url else "")
        factories.supplier_staff(partner, f"q{n}staff")
        products.append(factories.product(f"Q{n}-SKU", f"产品 {n}", "10.00", 100, partner))
    return products


def _split_queries(buyer, products) -> tuple[object, int]:
    order = place_order(buyer, [(p, 2) for p in products], secure=False)
    with CaptureQueriesContext(connection) as captured:
        parts = split_order(order)
    assert len(parts) == len(products)
    return order, len(captured)


def test_an_order_to_six_suppliers_costs_the_queries_of_an_order_to_one():
    buyer = factories.distributor("qbuyer")
    _split_queries(buyer, _suppliers(1, offset=20))  # the first split of a process caches content types
    one = _suppliers(1, offset=0)
    six = _suppliers(6, offset=1)
    _order, small = _split_queries(buyer, one)
    order, large = _split_queries(buyer, six)
    assert large == small

    parts = list(SupplierOrder.objects.filter(order=order).order_by("sequence"))
    assert [p.number for p in parts] == [f"{order.number}-S{n}" for n in range(1, 7)]
    assert all(p.state == State.FORWARDED and p.lines.count() == 1 and str(p.subtotal) == "20.00" for p in parts)
    assert SupplierOrderEvent.objects.filter(supplier_order__in=parts, to_state=State.FORWARDED).count() == 6
    forwarded = OutboxMessage.objects.filter(supplier_order__in=parts, topic="supplier_order.forwarded")
    # each part: a notification to its staff, plus an e-mail or a webhook on those channels
    assert sorted(forwarded.values_list("channel", flat=True)) == sorted(
        ["notification"] * 6 + ["email"] * 2 + ["webhook"] * 2
    )


def test_a_second_split_writes_nothing():
    buyer = factories.distributor("qbuyer2")
    order, _queries = _split_queries(buyer, _suppliers(3, offset=10))
    counts = (SupplierOrder.objects.count(), OutboxMessage.objects.count(), SupplierOrderEvent.objects.count())
    assert [p.number for p in split_order(order)] == [f"{order.number}-S{n}" for n in (1, 2, 3)]
    assert (SupplierOrder.objects.count(), OutboxMessage.objects.count(), SupplierOrderEvent.objects.count()) == counts
