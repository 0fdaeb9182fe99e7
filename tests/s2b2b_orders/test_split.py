"""Splitting a placed order into supplier orders: numbering, snapshots, idempotence."""

from datetime import timedelta
from decimal import Decimal

import pytest
from oscar.apps.order.signals import order_placed

from core.outbox.models import OutboxMessage
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierOrderEvent
from plugins.s2b2b_orders.services.split import split_order
from tests import factories
from tests.s2b2b_orders.conftest import make_supplier, place_order

pytestmark = pytest.mark.django_db


def test_a_mixed_order_becomes_one_supplier_order_per_supplier(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 10), (shop["wire"], 2), (shop["nut"], 3)])

    parts = list(SupplierOrder.objects.filter(order=order).order_by("sequence"))
    assert [p.number for p in parts] == [f"{order.number}-S1", f"{order.number}-S2"]
    jg, df = parts
    assert (jg.partner, df.partner) == (shop["jg"], shop["df"])
    assert jg.state == df.state == State.FORWARDED
    assert jg.subtotal == Decimal("379.40")  # 10 × 32.00 + 3 × 19.80
    assert df.subtotal == Decimal("436.00")
    lines = [(ln.sku, ln.name, ln.quantity, ln.unit_price, ln.line_total, ln.unit_cost) for ln in jg.lines.all()]
    assert lines == [
        ("JG-HB-M8-30", "外六角螺栓 M8×30", 10, Decimal("32.00"), Decimal("320.00"), Decimal("25.50")),
        ("JG-HN-M8", "六角螺母 M8", 3, Decimal("19.80"), Decimal("59.40"), None),
    ]
    assert (jg.consignee, jg.province, jg.city, jg.street) == ("张三", "广东省", "深圳市", "科技园路1号")
    # the supplier's 24 hours count from forwarding (when the payment was secured)
    assert abs(jg.deadline_at - jg.created_at - timedelta(hours=24)) < timedelta(seconds=5)
    assert SupplierOrderEvent.objects.filter(supplier_order=jg, to_state="forwarded").count() == 1


def test_the_snapshot_does_not_follow_later_changes(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 1)])
    shop["bolt"].title = "改名后的螺栓"
    shop["bolt"].save()
    shop["buyer"].addresses.update(state="四川省")
    so = SupplierOrder.objects.get(order=order)
    assert so.lines.get().name == "外六角螺栓 M8×30"
    assert so.province == "广东省"


def test_forwarding_writes_one_outbox_message_per_channel_and_recipient(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 1), (shop["wire"], 1)])
    jg_msgs = OutboxMessage.objects.filter(supplier_order__order=order, partner=shop["jg"])
    df_msgs = OutboxMessage.objects.filter(supplier_order__order=order, partner=shop["df"])
    # jg: portal only -> a notification to its staff user
    assert sorted(jg_msgs.values_list("channel", "recipient")) == [("notification", str(shop["jg_staff"].pk))]
    # df: e-mail channel -> notification to its staff and an e-mail to its contact address
    assert sorted(df_msgs.values_list("channel", "recipient")) == [
        ("email", "df@supplier.example.cn"),
        ("notification", str(shop["df_staff"].pk)),
    ]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"pending"}


def test_a_retried_split_or_signal_creates_nothing_twice(shop):
    order = place_order(shop["buyer"], [(shop["bolt"], 1), (shop["wire"], 1)])
    before = (SupplierOrder.objects.count(), OutboxMessage.objects.count(), SupplierOrderEvent.objects.count())
    split_order(order)
    order_placed.send(sender=None, order=order, user=shop["buyer"])
    after = (SupplierOrder.objects.count(), OutboxMessage.objects.count(), SupplierOrderEvent.objects.count())
    assert after == before == (2, 3, 2)


def test_five_suppliers_give_exactly_five_supplier_orders(shop):
    products = []
    for i in range(5):
        partner = make_supplier(f"s{i}")
        products.append((factories.product(f"S{i}-SKU", f"商品{i}", "10.00", 50, partner), i + 1))
    order = place_order(shop["buyer"], products)
    parts = SupplierOrder.objects.filter(order=order)
    assert parts.count() == 5
    assert sorted(p.number for p in parts) == [f"{order.number}-S{i}" for i in range(1, 6)]
    assert [p.subtotal for p in parts.order_by("sequence")] == [Decimal(f"{10 * (i + 1)}.00") for i in range(5)]
