"""Supplier portal and operator screens, as a user clicks through them."""

import contextlib
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from plugins.logistics.models import Shipment
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierProfile
from tests.s2b2b_orders.conftest import client_for, place_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_orders(shop):
    first = place_order(shop["buyer"], [(shop["bolt"], 10), (shop["wire"], 2)])
    second = place_order(shop["buyer"], [(shop["nut"], 5)])
    return first, second


def test_the_portal_lists_only_the_suppliers_orders_with_filters(shop, two_orders):
    first, second = two_orders
    jg = client_for(shop["jg_staff"])
    page = jg.get(reverse("s2b2b-portal-orders")).content.decode()
    assert f"{first.number}-S1" in page and f"{second.number}-S1" in page
    assert f"{first.number}-S2" not in page  # df's part
    SupplierOrder.objects.filter(number=f"{second.number}-S1").update(state=State.ACCEPTED)
    page = jg.get(reverse("s2b2b-portal-orders") + "?state=accepted").content.decode()
    assert f"{second.number}-S1" in page and f"{first.number}-S1" not in page
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    page = jg.get(reverse("s2b2b-portal-orders") + f"?date_from={tomorrow}").content.decode()
    assert f"{first.number}-S1" not in page
    today = timezone.localdate().isoformat()
    page = jg.get(reverse("s2b2b-portal-orders") + f"?date_from={today}&date_to={today}").content.decode()
    assert f"{first.number}-S1" in page


def test_accept_then_ship_with_a_voucher_in_the_portal(shop, two_orders):
    first, _ = two_orders
    number = f"{first.number}-S1"
    jg = client_for(shop["jg_staff"])
    url = reverse("s2b2b-portal-order", args=[number])
    detail = jg.get(url).content.decode()
    assert "外六角螺栓 M8×30" in detail and "广东省" in detail
    assert jg.post(url, {"action": "accept"}).status_code == 302
    voucher = SimpleUploadedFile("waybill.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, content_type="image/png")
    response = jg.post(
        url,
        {
            "action": "ship",
            "carrier": "sf",
            "tracking_numbers": "SF1234567890123\n",
            "complete": "on",
            "vouchers": voucher,
        },
    )
    assert response.status_code == 302
    so = SupplierOrder.objects.get(number=number)
    assert so.state == State.SHIPPED
    shipment = Shipment.objects.get(reference=number)
    assert shipment.vouchers.count() == 1
    assert "SF1234567890123" in jg.get(url).content.decode()


def test_bad_ship_input_shows_the_error_on_the_field(shop, two_orders):
    first, _ = two_orders
    number = f"{first.number}-S1"
    jg = client_for(shop["jg_staff"])
    url = reverse("s2b2b-portal-order", args=[number])
    jg.post(url, {"action": "accept"})
    response = jg.post(url, {"action": "ship", "carrier": "sf", "tracking_numbers": "", "complete": "on"})
    assert response.status_code == 400
    assert response.context["ship_form"].errors["tracking_numbers"]
    assert SupplierOrder.objects.get(number=number).state == State.ACCEPTED
    assert Shipment.objects.count() == 0


def test_reject_needs_a_reason_in_the_portal(shop, two_orders):
    first, _ = two_orders
    number = f"{first.number}-S1"
    jg = client_for(shop["jg_staff"])
    url = reverse("s2b2b-portal-order", args=[number])
    response = jg.post(url, {"action": "reject", "reason": ""})
    assert response.status_code == 400
    assert SupplierOrder.objects.get(number=number).state == State.FORWARDED
    jg.post(url, {"action": "reject", "reason": "库存不足"})
    so = SupplierOrder.objects.get(number=number)
    assert (so.state, so.rejection_reason) == (State.REJECTED, "库存不足")


def test_the_packing_slip_is_a_pdf(shop, two_orders):
    first, _ = two_orders
    response = client_for(shop["jg_staff"]).get(reverse("s2b2b-packing-slip", args=[f"{first.number}-S1"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert b"CJK" in _pdf_objects(response.content)  # a CJK font is embedded for the Chinese text


def _pdf_objects(pdf: bytes) -> bytes:
    """The PDF with its compressed streams inflated (font names live in object streams)."""
    import re
    import zlib

    chunks = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            chunks.append(zlib.decompress(match.group(1)))
    return b"".join(chunks)


def test_operator_screens(shop, two_orders):
    first, _ = two_orders
    op = client_for(shop["operator"])
    for name in (
        "s2b2b-ops-orders",
        "core-outbox",
        "s2b2b-ops-escalations",
        "s2b2b-ops-profiles",
        "s2b2b-ops-scorecard",
        "s2b2b-ops-review",
        "s2b2b-ops-profile-create",
    ):
        assert op.get(reverse(name)).status_code == 200, name
    page = op.get(reverse("s2b2b-ops-orders")).content.decode()
    assert f"{first.number}-S1" in page and f"{first.number}-S2" in page
    assert op.get(reverse("s2b2b-ops-order", args=[f"{first.number}-S2"])).status_code == 200
    url = reverse("s2b2b-ops-order", args=[f"{first.number}-S2"])
    op.post(url, {"action": "cancel", "reason": "客户取消"})
    assert SupplierOrder.objects.get(number=f"{first.number}-S2").state == State.CANCELLED


def test_operator_edits_a_supplier_profile_and_bad_input_is_refused(shop):
    op = client_for(shop["operator"])
    profile = SupplierProfile.objects.get(partner=shop["jg"])
    base = {
        "partner": shop["jg"].pk,
        "legal_name": "苏州精工五金制品有限公司",
        "contact_name": "王工",
        "contact_phone": "0512-66668888",
        "contact_email": "",
        "channel": "webhook",
        "webhook_url": "",
        "webhook_secret": "",
        "acceptance_hours": "12",
        "backup_partner": shop["jg"].pk,
        "commission_rate": "1.5",
    }
    response = op.post(reverse("s2b2b-ops-profile", args=[profile.pk]), base)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert {"webhook_url", "webhook_secret", "backup_partner", "commission_rate"} <= set(errors)
    profile.refresh_from_db()
    assert profile.channel == "portal" and profile.acceptance_hours == 24
    good = {
        **base,
        "webhook_url": "https://erp.jg.example.cn/hook",
        "webhook_secret": "s3cret",
        "backup_partner": shop["df"].pk,
        "commission_rate": "0.0600",
    }
    assert op.post(reverse("s2b2b-ops-profile", args=[profile.pk]), good).status_code == 302
    profile.refresh_from_db()
    assert (profile.channel, profile.acceptance_hours, profile.backup_partner) == ("webhook", 12, shop["df"])


def test_the_scorecard_shows_acceptance_time_on_time_and_rejection_rates(shop):
    from plugins.s2b2b_orders.services import lifecycle

    orders = [place_order(shop["buyer"], [(shop["bolt"], 1)]) for _ in range(4)]
    parts = [SupplierOrder.objects.get(order=o) for o in orders]
    for so in parts[:3]:
        lifecycle.accept(so)
    SupplierOrder.objects.filter(pk__in=[p.pk for p in parts[:3]]).update(
        accepted_at=parts[0].order.date_placed + timedelta(hours=2)
    )
    lifecycle.ship(parts[0], carrier_code="sf", tracking_numbers=["SF1234567890001"])
    lifecycle.ship(parts[1], carrier_code="sf", tracking_numbers=["SF1234567890002"])
    SupplierOrder.objects.filter(pk=parts[1].pk).update(shipped_at=parts[1].order.date_placed + timedelta(days=5))
    lifecycle.reject(parts[3], reason="缺货")
    page = client_for(shop["operator"]).get(reverse("s2b2b-ops-scorecard"))
    row = next(r for r in page.context["rows"] if r["partner_id"] == shop["jg"].pk)
    assert row["received"] == 4
    assert str(row["avg_accept_hours"]) == "2.0"
    assert str(row["on_time_rate"]) == "50.0"
    assert str(row["rejection_rate"]) == "25.0"


def test_the_distributor_sees_each_suppliers_part_with_tracking(shop, two_orders):
    from plugins.s2b2b_orders.services import lifecycle

    first, _ = two_orders
    jg = SupplierOrder.objects.get(number=f"{first.number}-S1")
    lifecycle.accept(jg)
    lifecycle.ship(jg, carrier_code="sf", tracking_numbers=["SF1234567890123"])
    page = client_for(shop["buyer"]).get(reverse("customer:order", args=[first.number])).content.decode()
    assert "苏州精工五金制品有限公司" in page and "宁波东方电气设备有限公司" in page
    assert "顺丰速运" in page and "SF1234567890123" in page
    assert "已发货" in page and "已转发" in page
