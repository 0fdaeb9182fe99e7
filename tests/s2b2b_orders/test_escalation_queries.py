"""The nightly escalation sweep is set-based: its queries do not grow with the overdue orders."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.models import Escalation, State, SupplierOrder, SupplierProfile
from plugins.s2b2b_orders.services import escalation
from tests import factories
from tests.s2b2b_orders.conftest import place_order

pytestmark = pytest.mark.django_db


def overdue(shop, count: int) -> None:
    for _n in range(count):
        place_order(shop["buyer"], [(shop["bolt"], 1), (shop["wire"], 1)])
    SupplierOrder.objects.filter(escalated_at__isnull=True).update(deadline_at=timezone.now() - timedelta(minutes=1))


def sweep() -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        escalated = escalation.escalate_overdue()
    return escalated, len(captured)


def test_the_sweep_costs_the_same_queries_for_two_or_ten_overdue_orders(shop):
    factories.operator("op2")  # two operators to alert
    overdue(shop, 1)
    small = sweep()
    overdue(shop, 5)
    large = sweep()
    assert (small[0], large[0]) == (2, 10)
    assert large[1] == small[1]
    assert sweep()[0] == 0
    assert Escalation.objects.filter(resolution=Escalation.Resolution.OPEN).count() == 12
    assert not SupplierOrder.objects.filter(escalated_at__isnull=True).exists()
    alerts = OutboxMessage.objects.filter(topic="supplier_order.escalated")
    assert alerts.count() == 12 * 2 and alerts.values("supplier_order").distinct().count() == 12


def test_the_sweep_keeps_the_limit_and_the_policy_re_routes(shop):
    overdue(shop, 2)
    SupplierProfile.objects.filter(partner=shop["jg"]).update(backup_partner=shop["df"], auto_reroute=True)
    assert escalation.escalate_overdue(limit=3) == 3  # the most overdue first; the rest next run
    assert escalation.escalate_overdue(limit=3) == 1
    rerouted = SupplierOrder.objects.filter(partner=shop["jg"], state=State.CANCELLED)
    assert rerouted.count() == 2
    assert all(so.replaced_by.partner == shop["df"] for so in rerouted)
    assert set(Escalation.objects.filter(supplier_order__in=rerouted).values_list("resolution", flat=True)) == {
        Escalation.Resolution.REROUTED
    }
