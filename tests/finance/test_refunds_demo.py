"""The refunds demo: a return paid back, an allowance waiting for approval, and (with a paid
settlement batch) an allowance after payout clawed back from the supplier; idempotent."""

import random
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from oscar.core.loading import get_model

from core.demo import data
from plugins.finance import chart
from plugins.finance.models import JournalEntry, Refund
from plugins.finance.refunds import demo
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_refunds import settle, transfer_order

pytestmark = pytest.mark.django_db
SupplierOrder = get_model("s2b2b_orders", "SupplierOrder")


@dataclass
class Notes:
    notes: list = field(default_factory=list)


def test_the_demo_refunds_before_and_after_payout(buyer, catalogue):
    factories.User.objects.create_user(
        username="demo-op",
        email=f"{data.OPERATOR[0]}@{data.EMAIL_DOMAIN}",
        password="x",
        is_staff=True,
        is_superuser=True,
    )
    transfer_order(buyer, [(catalogue["bolt"], 10)])
    transfer_order(buyer, [(catalogue["wire"], 2)])
    settled = transfer_order(buyer, [(catalogue["nut"], 10)])
    settle(SupplierOrder.objects.get(order=settled), state="paid")
    report = Notes()
    demo.seed(report, now=datetime.now(), rng=random.Random(1))
    refunds = list(Refund.objects.order_by("id"))
    assert [(r.reason, r.state) for r in refunds] == [
        ("return", "refunded"),
        ("allowance", "requested"),
        ("allowance", "refunded"),
    ]
    assert refunds[0].order_id != settled.pk and refunds[1].order_id != settled.pk
    assert refunds[2].order_id == settled.pk
    clawback = JournalEntry.objects.get(kind=chart.CLAWBACK)
    assert clawback.key == f"clawback:{refunds[2].allocations.get().pk}"
    assert report.notes == ["Refunds: 3 refunds (before and after supplier payout)."]
    demo.seed(Notes(), now=datetime.now(), rng=random.Random(1))
    assert Refund.objects.count() == 3
    assert_books_hold(warnings_ok=False, skip_areas=("settlement",))
