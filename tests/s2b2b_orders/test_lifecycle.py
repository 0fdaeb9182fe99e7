"""The supplier order state machine, its audit trail, shipping through logistics, and the parent
order following its supplier orders."""

import pytest
from django.core.exceptions import ValidationError

from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.logistics.models import Parcel, Shipment
from plugins.s2b2b_orders.models import State, SupplierOrder
from plugins.s2b2b_orders.services import lifecycle
from tests.s2b2b_orders.conftest import place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 10), (shop["wire"], 2)])
    jg = SupplierOrder.objects.get(order=order, partner=shop["jg"])
    df = SupplierOrder.objects.get(order=order, partner=shop["df"])
    return order, jg, df


def _snapshot(so):
    so.refresh_from_db()
    return (so.state, so.events.count(), Shipment.objects.count(), OutboxMessage.objects.count())


def test_accept_ship_deliver_complete_leaves_an_audit_row_per_step(shop, parts):
    order, jg, df = parts
    staff = shop["jg_staff"]
    lifecycle.accept(jg, actor=staff)
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890123"], actor=staff)
    lifecycle.transition(jg, State.DELIVERED, actor=staff, via=lifecycle.VIA_PORTAL)
    lifecycle.transition(jg, State.COMPLETED, actor=shop["operator"], via=lifecycle.VIA_BACK_OFFICE)
    jg.refresh_from_db()
    trail = list(jg.events.values_list("from_state", "to_state", "actor__username", "via"))
    assert trail == [
        ("", "forwarded", None, "system"),
        ("forwarded", "accepted", "jgstaff", "portal"),
        ("accepted", "shipped", "jgstaff", "portal"),
        ("shipped", "delivered", "jgstaff", "portal"),
        ("delivered", "completed", "op", "back office"),
    ]
    assert (
        jg.events.get(to_state="shipped").reason == "顺丰速运: SF1234567890123 — JG-HB-M8-30 × 10"
    )  # what the parcel carried
    shipment = Shipment.objects.get(reference=jg.number)
    assert (shipment.partner, shipment.order) == (shop["jg"], order)
    assert list(shipment.parcels.values_list("tracking_number", flat=True)) == ["SF1234567890123"]
    assert jg.accepted_at and jg.shipped_at and jg.delivered_at and jg.completed_at


def test_the_distributor_is_notified_of_progress(shop, parts):
    order, jg, df = parts
    lifecycle.accept(jg, actor=shop["jg_staff"])
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890123"], actor=shop["jg_staff"])
    topics = set(
        OutboxMessage.objects.filter(channel="notification", recipient=str(shop["buyer"].pk)).values_list(
            "topic", flat=True
        )
    )
    assert topics == {"supplier_order.accepted", "supplier_order.shipped"}


@pytest.mark.parametrize(
    "steps, target",
    [
        ([], State.SHIPPED),  # not accepted yet
        ([], State.DELIVERED),
        ([State.ACCEPTED], State.ACCEPTED),
        ([State.ACCEPTED], State.COMPLETED),
        ([State.CANCELLED], State.ACCEPTED),
    ],
)
def test_a_wrong_transition_is_a_clear_error_and_changes_nothing(shop, parts, steps, target):
    _, jg, _ = parts
    for step in steps:
        lifecycle.transition(jg, step, reason="测试")
    before = _snapshot(jg)
    with pytest.raises(ValidationError) as exc:
        lifecycle.transition(jg, target)
    assert "cannot become" in str(exc.value) or "不能" in str(exc.value)
    assert _snapshot(jg) == before


def test_rejecting_needs_a_reason(shop, parts):
    _, jg, _ = parts
    before = _snapshot(jg)
    with pytest.raises(ValidationError) as exc:
        lifecycle.reject(jg, reason="  ", actor=shop["jg_staff"])
    assert exc.value.message_dict["reason"]
    assert _snapshot(jg) == before


def test_reject_records_the_reason_and_alerts_operators(shop, parts):
    _, jg, _ = parts
    lifecycle.reject(jg, reason="缺货，两周后到货", actor=shop["jg_staff"])
    jg.refresh_from_db()
    assert jg.state == State.REJECTED and jg.rejection_reason == "缺货，两周后到货"
    assert jg.escalation.reason == "rejected"
    assert OutboxMessage.objects.filter(
        topic="supplier_order.rejected", channel="notification", recipient=str(shop["operator"].pk)
    ).exists()


@pytest.mark.parametrize(
    "carrier, numbers, field",
    [
        ("nope", ["SF1234567890123"], "carrier"),
        ("sf", [], "tracking_numbers"),
        ("sf", ["   "], "tracking_numbers"),
        ("sf", ["12345"], "tracking_numbers"),
    ],
)
def test_bad_shipping_input_is_rejected_field_by_field_and_changes_nothing(shop, parts, carrier, numbers, field):
    _, jg, _ = parts
    lifecycle.accept(jg, actor=shop["jg_staff"])
    before = _snapshot(jg)
    with pytest.raises(ValidationError) as exc:
        lifecycle.ship(jg, carrier_code=carrier, tracking_numbers=numbers, actor=shop["jg_staff"])
    assert field in exc.value.message_dict
    assert _snapshot(jg) == before
    assert jg.state == State.ACCEPTED


def test_a_duplicate_ship_call_is_refused(shop, parts):
    _, jg, _ = parts
    lifecycle.accept(jg, actor=shop["jg_staff"])
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890123"], actor=shop["jg_staff"])
    before = _snapshot(jg)
    with pytest.raises(ValidationError) as exc:
        lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890124"], actor=shop["jg_staff"])
    assert "state" in exc.value.message_dict
    assert _snapshot(jg) == before
    assert Parcel.objects.count() == 1


def test_partial_shipments_then_the_last_one(shop, parts):
    _, jg, _ = parts
    lifecycle.accept(jg, actor=shop["jg_staff"])
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], complete=False)
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890002"], complete=False)
    assert jg.state == State.PARTIALLY_SHIPPED
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890003"], complete=True)
    assert jg.state == State.SHIPPED
    assert Shipment.objects.filter(reference=jg.number).count() == 3
    assert OutboxMessage.objects.filter(topic="supplier_order.partially_shipped", channel="notification").count() == 2


def test_the_parent_order_and_its_lines_follow_the_supplier_orders(shop, parts):
    order, jg, df = parts
    assert order.status == order_status.CONFIRMED  # secured, forwarded, not yet accepted
    lifecycle.accept(jg)
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING
    assert dict(order.lines.values_list("partner_sku", "status")) == {
        "JG-HB-M8-30": order_status.PROCESSING,
        "DF-BV-2.5": order_status.CONFIRMED,
    }
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890123"])
    order.refresh_from_db()
    assert order.status == order_status.PROCESSING  # df's part has not shipped yet
    lifecycle.accept(df)
    lifecycle.ship(df, carrier_code="ems", tracking_numbers=["EA123456789CN"])
    order.refresh_from_db()
    assert order.status == order_status.SHIPPED
    assert set(order.lines.values_list("status", flat=True)) == {order_status.SHIPPED}
    for so in (jg, df):
        lifecycle.transition(so, State.DELIVERED)
        lifecycle.transition(so, State.COMPLETED)
    order.refresh_from_db()
    assert order.status == order_status.COMPLETE
    assert list(order.status_changes.values_list("old_status", "new_status").order_by("id")) == [
        (order_status.PENDING_PAYMENT, order_status.CONFIRMED),
        (order_status.CONFIRMED, order_status.PROCESSING),
        (order_status.PROCESSING, order_status.SHIPPED),
        (order_status.SHIPPED, order_status.COMPLETE),
    ]


def _carrier_delivers(tracking_number):
    from django.utils import timezone

    from plugins.logistics.services.shipments import apply_events

    parcel = Parcel.objects.get(tracking_number=tracking_number)
    event = {
        "occurred_at": timezone.now(),
        "description": "已签收，签收人：前台",
        "location": "深圳市",
        "status": "delivered",
    }
    apply_events(parcel, [event], "kuaidi100")


def test_the_carrier_delivering_every_parcel_delivers_the_supplier_order(shop, parts):
    order, jg, _ = parts
    lifecycle.accept(jg, actor=shop["jg_staff"])
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001", "SF1234567890002"])

    _carrier_delivers("SF1234567890001")
    jg.refresh_from_db()
    assert jg.state == State.SHIPPED  # one parcel is still on its way

    _carrier_delivers("SF1234567890002")
    jg.refresh_from_db()
    assert jg.state == State.DELIVERED and jg.delivered_at
    event = jg.events.get(to_state="delivered")
    assert (event.via, event.actor, event.reason) == ("system", None, "承运商显示所有包裹均已签收。")


def test_a_partly_shipped_supplier_order_is_not_delivered_by_its_first_parcel(shop, parts):
    _, jg, _ = parts
    lifecycle.accept(jg, actor=shop["jg_staff"])
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890001"], complete=False)
    _carrier_delivers("SF1234567890001")
    jg.refresh_from_db()
    assert jg.state == State.PARTIALLY_SHIPPED
    assert not jg.events.filter(to_state="delivered").exists()
