"""The demo's settlement: a closed (paid) period and an open (draft) one per supplier with
delivered orders past their after-sales window; the books reconcile; a second load adds none."""

import pytest

from core.demo.seed import seed_demo
from plugins.finance.models import JournalEntry, SettlementBatch
from tests.finance.conftest import assert_books_hold

pytestmark = pytest.mark.django_db


def test_demo_settles_a_closed_period_and_leaves_an_open_one():
    seed_demo(months=2)
    states = list(SettlementBatch.objects.values_list("supplier_id", "state"))
    assert {"paid", "draft"} <= {state for _s, state in states}
    for batch in SettlementBatch.objects.filter(state="paid"):
        assert JournalEntry.objects.filter(key=f"settlement:{batch.number}").exists()
        assert SettlementBatch.objects.filter(supplier=batch.supplier, state="draft").exists()
    assert_books_hold(skip_areas=("refunds",))
    before = SettlementBatch.objects.count()
    seed_demo(months=2)
    assert SettlementBatch.objects.count() == before
    assert_books_hold(skip_areas=("refunds",))
