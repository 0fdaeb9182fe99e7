"""Order pages read a fixed number of queries, however many orders and lines they show: the
storefront order history and order page, and the back office order page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def queries(client: Client, url: str) -> int:
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.fixture
def shelf(catalogue):
    partner = catalogue["suppliers"]["jg"]
    more = [factories.product(f"JG-Y-{n}", price="3.00", partner=partner) for n in range(4)]
    return [catalogue["bolt"], catalogue["nut"], catalogue["wire"], *more]


def test_order_history_and_order_pages_are_flat_in_orders_and_lines(shelf):
    one, many = factories.distributor("one"), factories.distributor("many")
    small = factories.place_order(one, [(shelf[0], 1)])
    for n in range(5):
        large = factories.place_order(many, [(p, 1 + n) for p in shelf[n % 2 :]])
    assert large.lines.count() == 7
    operator = Client()
    operator.force_login(factories.operator())
    counts = {}
    for who, user, order in (("small", one, small), ("large", many, large)):
        client = Client()
        client.force_login(user)
        counts[who] = (
            queries(client, reverse("customer:order-list")),
            queries(client, reverse("customer:order", kwargs={"order_number": order.number})),
            queries(operator, reverse("dashboard:order-detail", kwargs={"number": order.number})),
        )
    assert counts["large"] == counts["small"], counts
    # the pages still show every line
    client = Client()
    client.force_login(many)
    page = client.get(reverse("customer:order", kwargs={"order_number": large.number})).content.decode()
    assert all(p.title in page for p in shelf[1:])
    history = client.get(reverse("customer:order-list")).content.decode()
    assert history.count(reverse("customer:order", kwargs={"order_number": large.number})) >= 1
