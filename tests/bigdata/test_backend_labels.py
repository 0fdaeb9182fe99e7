"""ABC rows carry the labels ``names.products`` gives (the first offer's SKU, the product's title):
the PostgreSQL backend reads them in the ranking's own statement (benchmarks/bigdata_reports.py:
a lookup by thousands of ids cost more than the ranking)."""

import pytest

from plugins.bigdata.backends import names
from plugins.bigdata.backends.base import Filters
from plugins.bigdata.backends.postgres import PostgresBackend
from tests import factories

pytestmark = pytest.mark.django_db


def test_abc_rows_carry_the_products_sku_and_title(buyer, catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        factories.place_order(
            buyer, [(catalogue["bolt"], 10), (catalogue["wire"], 2), (catalogue["nut"], 1)], paid=True
        )
    rows = PostgresBackend().abc(Filters())
    labels = names.products([r.product_id for r in rows])
    assert [(r.product_id, r.sku, r.title) for r in rows] == [(r.product_id, *labels[r.product_id]) for r in rows]
    assert [r.sku for r in rows] == ["DF-BV-2.5", "JG-HB-M8-30", "JG-HN-M8"]
