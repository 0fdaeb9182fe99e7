"""Demo data of the plugin: a profile per forwarding channel, supplier orders in every state."""

import pytest
from django.db.models import Count

from core.demo.seed import seed_demo
from plugins.s2b2b_orders.models import (
    Escalation,
    ProductChange,
    State,
    SupplierLegalProfile,
    SupplierOrder,
    SupplierProfile,
)
from storefront.selectors import browsable_products

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(SupplierOrder.objects.values_list("number", "state", "deadline_at")),
        sorted(Escalation.objects.values_list("supplier_order_id", "resolution")),
        sorted(ProductChange.objects.values_list("product_id", "status")),
        sorted(SupplierProfile.objects.values_list("partner__code", "channel", "backup_partner__code")),
        sorted(SupplierLegalProfile.objects.values_list("partner__code", "status", "uscc", "address")),
    )


def test_demo_supplier_orders_cover_every_state_and_a_second_load_changes_nothing():
    report = seed_demo(months=1)
    assert any(note.startswith(("Supplier orders:", "供应商订单：")) for note in report.notes)
    channels = set(SupplierProfile.objects.values_list("channel", flat=True))
    assert channels == {"portal", "webhook", "email"}
    states = set(SupplierOrder.objects.values_list("state", flat=True))
    assert set(State.values) - {State.DELIVERED} <= states
    assert Escalation.objects.exists()
    # every order whose payment was secured reached its suppliers, one supplier order per supplier;
    # an order still waiting for its transfer (or cancelled before it) reached none
    from oscar.core.loading import get_model

    from core.orders import payments

    Order = get_model("order", "Order")
    orders = Order.objects.annotate(n=Count("lines__partner", distinct=True))
    secured = payments.with_event(orders, payments.SECURED).filter(has_secured=True)
    assert secured.exists() and orders.exclude(pk__in=secured).exists()
    for order in secured[:50]:
        assert order.supplier_orders.filter(replaces__isnull=True).count() == order.n
    assert not SupplierOrder.objects.exclude(order__in=secured).exists()
    # demo products are approved: the storefront shows all but the one new product under review
    pending_new = ProductChange.objects.filter(kind="new", status="pending").count()
    assert pending_new == 1
    from oscar.core.loading import get_model as gm

    assert browsable_products().count() == gm("catalogue", "Product").objects.filter(is_public=True).count() - 1
    first = snapshot()
    seed_demo(months=1)
    assert snapshot() == first


def test_demo_suppliers_have_approved_legal_details_and_one_change_waits():
    from oscar.core.loading import get_model

    from companies.uscc import check
    from core.regions import get_province
    from plugins.s2b2b_orders.selectors import approved_legal_profile

    seed_demo(months=1)
    Partner = get_model("partner", "Partner")
    for partner in Partner.objects.filter(code__in=["jg", "df", "hn", "bf"]):
        snapshot = approved_legal_profile(partner)
        assert snapshot is not None and check(snapshot.uscc).warnings == []
        assert snapshot.uscc[2:4] == get_province(snapshot.province).code[:2]
    pending = SupplierLegalProfile.objects.get(status="pending")
    assert pending.partner.code == "hn" and pending.licence
    first = snapshot_legal = sorted(SupplierLegalProfile.objects.values_list("partner__code", "status", "uscc"))
    seed_demo(months=1)
    assert (
        sorted(SupplierLegalProfile.objects.values_list("partner__code", "status", "uscc")) == snapshot_legal == first
    )
