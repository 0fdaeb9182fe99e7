"""Writers racing on PostgreSQL: the same order's facts written by two workers at once (a
re-delivered event picked up twice) are stored once and counted once in the rollup; orders
sharing rollup rows (same month, product, province …) written at once add up exactly."""

import threading

import pytest
from django.db import connection

from plugins.bigdata.models import MonthlySales, SalesFact
from plugins.bigdata.services import rebuild
from plugins.bigdata.services.facts import record_orders
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def race(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def run(i, call):
        try:
            barrier.wait()
            results[i] = call()
        except Exception as exc:  # noqa: BLE001  reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    return results


def sums(model) -> tuple:
    rows = model.objects.values_list("quantity", "revenue", "cost")
    return tuple(sum(r[i] for r in rows) for i in range(3))


def test_two_workers_writing_the_same_order_store_it_once(buyer, catalogue):
    order = factories.place_order(buyer, [(catalogue["bolt"], 10), (catalogue["nut"], 5)], paid=True)
    rebuild.truncate()
    results = race([lambda: record_orders([order.pk])] * 4)
    assert sorted(results) == [0, 0, 0, 2]  # whichever wins writes both rows, the others nothing
    assert SalesFact.objects.count() == 2
    assert sums(MonthlySales) == sums(SalesFact) == (15, 32000 + 9900, 0)


def test_orders_sharing_rollup_rows_add_up_when_written_at_once(buyer, catalogue):
    orders = [factories.place_order(buyer, [(catalogue["bolt"], n)], paid=True) for n in (1, 2, 3, 4)]
    rebuild.truncate()
    results = race([lambda o=o: record_orders([o.pk]) for o in orders])
    assert results == [1, 1, 1, 1]
    assert MonthlySales.objects.count() == 1
    assert sums(MonthlySales) == sums(SalesFact) == (10, 32000, 0)
