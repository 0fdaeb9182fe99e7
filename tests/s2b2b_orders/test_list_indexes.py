"""The supplier-order lists are served by indexes in their order (newest first): a page is read
from an index range, never by sorting the table. PostgreSQL only (EXPLAIN's plan is checked).

With sorting priced out (``enable_sort = off``) the planner still sorts when no index gives the
order, so "no Sort node" proves an index does. On a table this small the planner may prefer the
plain newest-first index and filter by state; benchmarks/supplier_order_lists.py shows each
list's own index chosen on 50,000 rows."""

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from plugins.s2b2b_orders import selectors
from plugins.s2b2b_orders.models import State, SupplierOrder
from tests.s2b2b_orders.conftest import place_order

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="EXPLAIN plans are PostgreSQL's"),
]


def plan(queryset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("ANALYZE s2b2b_orders_supplierorder")
    return queryset.explain()


@pytest.fixture
def orders(shop):
    for n in range(4):
        place_order(shop["buyer"], [(shop["bolt"], 1 + n), (shop["wire"], 1)])
    SupplierOrder.objects.filter(partner=shop["df"]).update(state=State.ACCEPTED)
    SupplierOrder.objects.update(created_at=timezone.now() - timedelta(days=1))  # ties: id breaks them
    return SupplierOrder.objects.all()


LIST_INDEXES = ("s2b2b_so_partner_state_new", "s2b2b_so_partner_new", "s2b2b_so_state_new", "s2b2b_so_new")


@pytest.mark.parametrize(
    ("who", "state", "indexes"),
    [
        ("jg_staff", "", ("s2b2b_so_partner_new", "s2b2b_so_partner_state_new")),
        ("jg_staff", State.FORWARDED, ("s2b2b_so_partner_state_new", "s2b2b_so_partner_new")),
        ("operator", "", ("s2b2b_so_new",)),
        ("operator", State.ACCEPTED, ("s2b2b_so_state_new", "s2b2b_so_new")),
    ],
)
def test_each_list_reads_an_index_in_its_order(shop, orders, who, state, indexes):
    page = selectors.supplier_orders_for(shop[who], state=state)[:30]
    explained = plan(page)
    assert any(f"Index Scan using {name} on s2b2b_orders_supplierorder" in explained for name in indexes), explained
    assert "Sort" not in explained, explained
    # and the page is the newest first, ids breaking ties
    rows = [(so.created_at, so.id) for so in page]
    assert rows == sorted(rows, reverse=True) and rows
