"""The receipts demo: matched, overpaid, claimed and unclaimed transfers; the books hold; loading
it again adds nothing."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import timezone

from core.orders import payments
from plugins.finance.models import Receipt
from plugins.finance.receipts import demo
from plugins.finance.selectors.receipts import unapplied_of
from tests import factories
from tests.finance.conftest import assert_books_hold

pytestmark = pytest.mark.django_db


def test_the_demo_receipts_cover_each_case_and_load_once(buyer, catalogue):
    factories.operator("demoop")
    orders = [factories.place_order(buyer, [(catalogue["bolt"], n)], secure=False) for n in (1, 2, 3, 4)]
    report = SimpleNamespace(notes=[])
    demo.seed(report, now=timezone.now(), rng=None)
    states = dict(Receipt.objects.values_list("bank_reference", "state"))
    assert states == {
        "DEMO-SK-001": "approved",
        "DEMO-SK-002": "approved",
        "DEMO-SK-003": "approved",
        "DEMO-SK-004": "unclaimed",
    }
    assert Receipt.objects.get(bank_reference="DEMO-SK-003").matched_by == Receipt.MatchedBy.CLAIM
    for order in orders:
        order.refresh_from_db()
    assert [payments.is_paid(o) for o in orders] == [True, True, True, False]  # one keeps waiting
    assert unapplied_of(orders[0].company) == Decimal("200.00")
    assert len(report.notes) == 1
    assert_books_hold(warnings_ok=False)
    demo.seed(report, now=timezone.now(), rng=None)
    assert Receipt.objects.count() == 4 and len(report.notes) == 1
