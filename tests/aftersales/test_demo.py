"""The demo hook: a return awaiting the supplier and an approved exchange on delivered parts in
their window; a second run adds nothing."""

from dataclasses import dataclass, field

import pytest
from django.utils import timezone

from plugins.aftersales import demo
from plugins.aftersales.models import AfterSalesRequest, Kind, State
from tests.aftersales.conftest import deliver

pytestmark = pytest.mark.django_db


@dataclass
class Notes:
    notes: list = field(default_factory=list)


def test_the_demo_opens_a_return_and_an_approved_exchange_once(world):
    deliver(world.df_part)
    report = Notes()
    demo.seed(report, now=timezone.now(), seed=1)
    made = {r.kind: r for r in AfterSalesRequest.objects.all()}
    assert set(made) == {Kind.RETURN, Kind.EXCHANGE}
    assert made[Kind.RETURN].state == State.REQUESTED and made[Kind.RETURN].refund_amount > 0
    assert made[Kind.EXCHANGE].state == State.APPROVED
    assert report.notes == ["售后：2 个申请（一个退货待供应商审核，一个换货已同意）。"]
    demo.seed(Notes(), now=timezone.now(), seed=1)
    assert AfterSalesRequest.objects.count() == 2
