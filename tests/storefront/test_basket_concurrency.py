"""Double clicks and parallel requests on one basket (PostgreSQL row locks, real threads, each on its
own database connection, through the test Client as a browser or an API client would come):
placing an order is idempotent per basket, adds are never lost, a buyer has one open basket."""

import json
import threading
from collections.abc import Callable

import pytest
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import translation
from oscar.core.loading import get_model

from tests import factories
from tests.storefront.test_checkout import add, checkout_to_preview

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Order = get_model("order", "Order")

ADD_LINE = """
mutation($sku: String!, $quantity: Int!) {
  basketAddLine(sku: $sku, quantity: $quantity) { basket { numItems } errors { field message code } }
}"""


def at_once(workers: int, work: Callable[[int], object]) -> list:
    """Run ``work(n)`` for n in range(workers) in threads released together; their results."""
    barrier = threading.Barrier(workers)
    results: list = []
    lock = threading.Lock()

    def run(n: int):
        close_old_connections()
        try:
            barrier.wait()
            with translation.override("en"):
                outcome = work(n)
        except Exception as error:  # noqa: BLE001  the test reports what went wrong in a thread
            outcome = f"error: {error!r}"
        finally:
            connection.close()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (select_for_update)")


def twin(client: Client) -> Client:
    """A second tab of the same browser: the same session cookie."""
    other = Client()
    other.cookies = client.cookies
    return other


@pytest.mark.parametrize("method", ["bank-transfer", "on-account"])
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_double_submitted_order_is_placed_once_and_the_next_checkout_works(method, buyer, catalogue):
    needs_postgresql()
    factories.credit_line(buyer, limit="10000.00")
    client = Client()
    client.force_login(buyer)
    add(client, catalogue["bolt"], 10)
    assert checkout_to_preview(client, method=method).status_code == 200
    basket = Basket.objects.get(owner=buyer, status=Basket.OPEN)
    clients = [client, twin(client)]

    def place(n: int):  # as the preview's form posts it
        response = clients[n].post(
            reverse("checkout:preview"), {"action": "place_order", "basket_id": basket.pk}, follow=True
        )
        return response.status_code, response.redirect_chain[-1][0] if response.redirect_chain else "", response

    results = at_once(2, place)

    order = Order.objects.get(user=buyer)  # exactly one order
    assert order.basket_id == basket.pk
    assert order.lines.get().quantity == 10
    # both clicks end on that order's confirmation, whichever won
    for result in results:
        assert not isinstance(result, str), result
        status, url, response = result
        assert (status, url) == (200, reverse("checkout:thank-you"))
        assert order.number in response.content.decode()
    basket.refresh_from_db()
    assert basket.status == Basket.SUBMITTED
    assert not Basket.objects.filter(owner=buyer, status=Basket.OPEN, lines__isnull=False).exists()

    # the next checkout places the next order
    add(client, catalogue["nut"], 3)
    checkout_to_preview(client, method=method)
    placed = client.post(reverse("checkout:preview"), {"action": "place_order"}, follow=True)
    assert placed.redirect_chain[-1][0] == reverse("checkout:thank-you")
    assert Order.objects.filter(user=buyer).count() == 2
    assert Order.objects.filter(user=buyer).exclude(pk=order.pk).get().lines.get().quantity == 3


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_late_second_click_shows_the_order_already_placed(buyer, catalogue):
    """The second click arrives after the first committed (the basket is already a new, empty one):
    it is shown the order placed, not an empty basket or a second order."""
    needs_postgresql()
    client = Client()
    client.force_login(buyer)
    add(client, catalogue["bolt"], 2)
    preview = checkout_to_preview(client).content.decode()
    basket = Basket.objects.get(owner=buyer, status=Basket.OPEN)
    assert f'name="basket_id" value="{basket.pk}"' in preview
    first = client.post(reverse("checkout:preview"), {"action": "place_order", "basket_id": basket.pk}, follow=True)
    order = Order.objects.get(user=buyer)
    assert order.number in first.content.decode()

    with translation.override("en"):
        again = client.post(reverse("checkout:preview"), {"action": "place_order", "basket_id": basket.pk}, follow=True)
    assert again.redirect_chain[-1][0] == reverse("checkout:thank-you")
    body = again.content.decode()
    assert order.number in body
    # in the page's language (Chinese by default)
    assert (
        f"订单 {order.number} 已下单，无需重复提交。" in body
        or f"Order {order.number} has already been placed." in body
    )
    assert Order.objects.filter(user=buyer).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_thirty_concurrent_graphql_adds_all_count_in_one_open_basket(buyer, catalogue):
    needs_postgresql()
    clients = []
    for _ in range(30):
        client = Client()
        client.force_login(buyer)  # 30 sessions and no basket yet: every request would create one
        clients.append(client)

    def add_one(n: int):
        response = clients[n].post(
            "/graphql/",
            json.dumps({"query": ADD_LINE, "variables": {"sku": "JG-HB-M8-30", "quantity": 1}}),
            content_type="application/json",
        )
        body = response.json()
        if response.status_code != 200 or body.get("errors") or body["data"]["basketAddLine"]["errors"]:
            return f"failed {response.status_code}: {body}"
        return "ok"

    results = at_once(30, add_one)

    assert results == ["ok"] * 30
    basket = Basket.objects.get(owner=buyer, status=Basket.OPEN)  # one open basket, never merged
    assert not Basket.objects.filter(owner=buyer).exclude(pk=basket.pk).exists()
    assert basket.lines.get().quantity == 30


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_adds_from_the_basket_form_and_quick_order_all_count(buyer, catalogue):
    needs_postgresql()
    client = Client()
    client.force_login(buyer)
    add(client, catalogue["nut"], 1)  # the basket exists; each tab adds to it
    tabs = [client] + [twin(client) for _ in range(9)]

    def add_from(n: int):
        if n % 2:
            response = tabs[n].post(reverse("basket:add", kwargs={"pk": catalogue["bolt"].pk}), {"quantity": 2})
        else:
            response = tabs[n].post(reverse("storefront:quick-order"), {"lines": "JG-HB-M8-30 2"})
        return "ok" if response.status_code == 302 else f"failed {response.status_code}"

    results = at_once(10, add_from)

    assert results == ["ok"] * 10
    basket = Basket.objects.get(owner=buyer, status=Basket.OPEN)
    assert basket.lines.get(product=catalogue["bolt"]).quantity == 20
    assert basket.lines.get(product=catalogue["nut"]).quantity == 1


@pytest.mark.django_db
def test_a_buyer_cannot_have_two_open_baskets(buyer):
    Basket.objects.create(owner=buyer)
    with pytest.raises(IntegrityError), transaction.atomic():
        Basket.objects.create(owner=buyer)
    # frozen, submitted or merged baskets beside the open one are fine, as are anonymous baskets
    Basket.objects.create(owner=buyer, status=Basket.FROZEN)
    Basket.objects.create(owner=buyer, status=Basket.SUBMITTED)
    Basket.objects.create()
    Basket.objects.create()
    assert Basket.objects.filter(owner=buyer).count() == 3


@pytest.mark.django_db
def test_the_migration_merges_a_buyers_duplicate_open_baskets_into_the_oldest(buyer, catalogue):
    """What databases held before the constraint: several open baskets of one buyer. The migration
    merges them (quantities of the same line add up, other lines move), then the constraint holds."""
    from importlib import import_module

    from django.apps import apps

    needs_postgresql()  # dropping and restoring the index inside the test's transaction
    constraint = next(c for c in Basket._meta.constraints if c.name == "basket_one_open_basket_per_owner")
    with connection.schema_editor() as editor:
        editor.remove_constraint(Basket, constraint)
    baskets = [Basket.objects.create(owner=buyer) for _ in range(3)]
    other = factories.distributor("other")
    theirs = Basket.objects.create(owner=other)
    for basket in baskets + [theirs]:
        basket.strategy = factories_strategy(basket.owner)
    baskets[0].add_product(catalogue["bolt"], 2)
    baskets[1].add_product(catalogue["bolt"], 3)
    baskets[1].add_product(catalogue["nut"], 4)
    baskets[2].add_product(catalogue["wire"], 1)
    theirs.add_product(catalogue["bolt"], 7)

    import_module("shop.basket.migrations.0013_merge_duplicate_open_baskets").merge_duplicate_open_baskets(apps, None)
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign key checks before DDL
    with connection.schema_editor() as editor:
        editor.add_constraint(Basket, constraint)

    kept = Basket.objects.get(owner=buyer, status=Basket.OPEN)
    assert kept.pk == baskets[0].pk
    assert {line.product_id: line.quantity for line in kept.lines.all()} == {
        catalogue["bolt"].pk: 5,
        catalogue["nut"].pk: 4,
        catalogue["wire"].pk: 1,
    }
    assert set(Basket.objects.filter(pk__in=[b.pk for b in baskets[1:]]).values_list("status", flat=True)) == {
        Basket.MERGED
    }
    assert not Line.objects.filter(basket__status=Basket.MERGED).exists()
    theirs.refresh_from_db()
    assert (theirs.status, theirs.lines.get().quantity) == (Basket.OPEN, 7)


def factories_strategy(user):
    from oscar.core.loading import get_class

    return get_class("partner.strategy", "Selector")().strategy(user=user)
