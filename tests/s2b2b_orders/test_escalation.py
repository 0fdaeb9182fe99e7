"""Late suppliers are escalated; with a backup (by policy or by an operator) the lines are
re-routed to it as a new supplier order, the original cancelled and linked."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.models import Escalation, State, SupplierOrder, SupplierProfile
from plugins.s2b2b_orders.services import escalation
from plugins.s2b2b_orders.tasks import escalate_overdue_supplier_orders
from tests.s2b2b_orders.conftest import client_for, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def late(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 10), (shop["wire"], 1)])
    jg = SupplierOrder.objects.get(order=order, partner=shop["jg"])
    SupplierOrder.objects.filter(order=order).update(deadline_at=timezone.now() - timedelta(minutes=1))
    return order, jg


def test_an_overdue_order_is_escalated_once_and_operators_are_alerted(shop, late):
    order, jg = late
    assert escalate_overdue_supplier_orders() == 2
    assert escalate_overdue_supplier_orders() == 0
    jg.refresh_from_db()
    assert jg.escalated_at is not None and jg.state == State.FORWARDED
    assert jg.escalation.resolution == Escalation.Resolution.OPEN
    assert OutboxMessage.objects.filter(
        supplier_order=jg, topic="supplier_order.escalated", recipient=str(shop["operator"].pk)
    ).exists()


def test_an_order_within_its_deadline_is_left_alone(shop):
    place_order(shop["buyer"], [(shop["bolt"], 1)])
    assert escalate_overdue_supplier_orders() == 0
    assert Escalation.objects.count() == 0


def test_policy_re_routes_to_the_backup_automatically(shop, late):
    order, jg = late
    SupplierProfile.objects.filter(partner=shop["jg"]).update(backup_partner=shop["df"], auto_reroute=True)
    escalation.escalate_overdue()
    jg.refresh_from_db()
    assert jg.state == State.CANCELLED
    new = jg.replaced_by
    assert new.partner == shop["df"] and new.state == State.FORWARDED
    assert new.number == f"{order.number}-S3"
    assert [(ln.sku, ln.quantity, ln.line_total) for ln in new.lines.all()] == [
        (ln.sku, ln.quantity, ln.line_total) for ln in jg.lines.all()
    ]
    assert jg.escalation.resolution == Escalation.Resolution.REROUTED
    assert OutboxMessage.objects.filter(supplier_order=new, topic="supplier_order.forwarded").exists()
    assert OutboxMessage.objects.filter(supplier_order=jg, topic="supplier_order.cancelled").exists()
    # the backup's own part of the order is untouched
    assert SupplierOrder.objects.filter(order=order, partner=shop["df"]).count() == 2


def test_without_the_policy_an_operator_re_routes_from_the_back_office(shop, late):
    order, jg = late
    SupplierProfile.objects.filter(partner=shop["jg"]).update(backup_partner=shop["df"])
    escalation.escalate_overdue()
    jg.refresh_from_db()
    assert jg.state == State.FORWARDED
    client = client_for(shop["operator"])
    page = client.get(reverse("s2b2b-ops-escalations"))
    assert jg.number in page.content.decode()
    response = client.post(reverse("s2b2b-ops-escalation", args=[jg.escalation.pk]), {"action": "reroute"})
    assert response.status_code == 302
    jg.refresh_from_db()
    assert jg.state == State.CANCELLED and jg.replaced_by.partner == shop["df"]
    assert jg.escalation.resolved_by == shop["operator"]
    # a second re-route is refused and changes nothing
    count = SupplierOrder.objects.count()
    with pytest.raises(ValidationError):
        escalation.reroute(jg, actor=shop["operator"])
    assert SupplierOrder.objects.count() == count


def test_re_routing_without_a_backup_is_a_clear_error(shop, late):
    _, jg = late
    with pytest.raises(ValidationError) as exc:
        escalation.reroute(jg, actor=shop["operator"])
    assert "backup" in exc.value.message_dict
    jg.refresh_from_db()
    assert jg.state == State.FORWARDED


def test_a_rejected_order_can_be_re_routed_and_the_parent_follows_the_new_part(shop):
    from plugins.s2b2b_orders.services import lifecycle

    order = place_order(shop["buyer"], [(shop["bolt"], 1)])
    jg = SupplierOrder.objects.get(order=order)
    SupplierProfile.objects.filter(partner=shop["jg"]).update(backup_partner=shop["df"])
    lifecycle.reject(jg, reason="停产", actor=shop["jg_staff"])
    order.refresh_from_db()
    assert order.status == order_status.CONFIRMED  # a rejected part waits for the operator
    new = escalation.reroute(jg, actor=shop["operator"])
    jg.refresh_from_db()
    assert jg.state == State.REJECTED and new.replaces == jg
    lifecycle.accept(new, actor=shop["df_staff"])
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING
    assert order.lines.get().status == order_status.PROCESSING
