"""The screens: the buyer's order page links to 申请售后 per delivered part, the request form
(bad input shown, nothing saved), the buyer's list and detail with the timeline in Chinese, the
supplier portal's decisions, the operators' view, and who may see what (another company's or
supplier's request, and its photos, are a 404)."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from plugins.aftersales.models import AfterSalesRequest, Kind, Reason, State
from plugins.aftersales.services import requests as services
from tests.aftersales.conftest import PNG, client_of

pytestmark = pytest.mark.django_db


def zh(client):
    client.cookies["django_language"] = "zh-hans"
    return client


def make(w, **extra):
    return services.create_request(
        supplier_order=w.jg_part,
        kind=extra.pop("kind", Kind.RETURN),
        reason=Reason.DAMAGED,
        lines=[(w.bolt_line, 2)],
        photos=[SimpleUploadedFile("破损.png", PNG)],
        by=w.buyer,
        **extra,
    )


def test_the_order_page_offers_after_sales_for_the_delivered_part_only(world):
    page = zh(client_of(world.buyer)).get(reverse("customer:order", kwargs={"order_number": world.order.number}))
    html = page.content.decode()
    assert page.status_code == 200
    assert reverse("aftersales:create", args=[world.jg_part.number]) in html
    assert reverse("aftersales:create", args=[world.df_part.number]) not in html
    assert "申请售后" in html and "签收后才能申请售后" in html


def test_the_buyer_opens_a_request_with_a_photo_and_sees_it_with_its_timeline(world):
    client = zh(client_of(world.buyer))
    url = reverse("aftersales:create", args=[world.jg_part.number])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "return",
            "reason": "damaged",
            "description": "外箱破损",
            f"quantity_{world.bolt_line.pk}": "3",
            f"quantity_{world.nut_line.pk}": "0",
            "photos": [SimpleUploadedFile("破损.png", PNG)],
        },
    )
    req = AfterSalesRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("aftersales:detail", args=[req.number])
    assert req.refund_amount == Decimal("96.00")
    detail = client.get(response["Location"]).content.decode()
    assert "退货退款" in detail and "运输破损" in detail and "¥96.00" in detail
    assert "待供应商审核" in detail and "处理进度" in detail
    photo = client.get(req.photos.get().get_absolute_url())
    assert photo.status_code == 200 and photo["Content-Type"] == "image/png"
    listing = client.get(reverse("aftersales:list")).content.decode()
    assert req.number in listing


def test_bad_input_on_the_form_is_shown_and_nothing_is_saved(world):
    client = zh(client_of(world.buyer))
    url = reverse("aftersales:create", args=[world.jg_part.number])
    response = client.post(url, {"kind": "return", "reason": "damaged", f"quantity_{world.bolt_line.pk}": "11"})
    assert response.status_code == 400
    assert "最多还可申请 10 件（签收 10 件）" in response.content.decode()
    response = client.post(
        url,
        {
            "kind": "return",
            "reason": "damaged",
            f"quantity_{world.bolt_line.pk}": "1",
            "photos": [SimpleUploadedFile("x.png", b"<script>alert(1)</script>")],
        },
    )
    assert response.status_code == 400 and "不是图片或 PDF 文件" in response.content.decode()
    response = client.post(
        url, {"kind": "return", "reason": "damaged", f"quantity_{world.bolt_line.pk}": "1", "refund_amount": "99.00"}
    )
    assert response.status_code == 400 and "最多可退 ¥32.00" in response.content.decode()
    assert AfterSalesRequest.objects.count() == 0


def test_the_buyer_cancels_while_the_supplier_has_not_decided(world):
    req = make(world)
    client = client_of(world.buyer)
    response = client.post(reverse("aftersales:detail", args=[req.number]), {"action": "cancel"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.state == State.CANCELLED


def test_the_supplier_approves_rejects_and_confirms_the_return_in_the_portal(world):
    first, second = make(world), make(world)
    portal = zh(client_of(world.jg_staff))
    listing = portal.get(reverse("aftersales-dashboard:list"), {"state": "requested"}).content.decode()
    assert first.number in listing and second.number in listing
    detail_url = reverse("aftersales-dashboard:detail", args=[first.number])
    page = portal.get(detail_url).content.decode()
    assert "审核" in page or "通过" in page
    # rejecting without a reason is refused, nothing changes
    response = portal.post(
        reverse("aftersales-dashboard:detail", args=[second.number]), {"action": "reject", "reason": ""}
    )
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.state == State.REQUESTED
    portal.post(
        reverse("aftersales-dashboard:detail", args=[second.number]), {"action": "reject", "reason": "已超出质保"}
    )
    second.refresh_from_db()
    assert (second.state, second.rejection_reason) == (State.REJECTED, "已超出质保")
    assert portal.post(detail_url, {"action": "approve"}).status_code == 302
    buyer = client_of(world.buyer)
    buyer.post(
        reverse("aftersales:detail", args=[first.number]),
        {"action": "ship_return", "carrier": "sf", "tracking_number": "SF1234567890123"},
    )
    first.refresh_from_db()
    assert first.state == State.RETURN_SHIPPED
    assert portal.post(detail_url, {"action": "receive"}).status_code == 302
    first.refresh_from_db()
    assert first.state == State.REFUNDING and first.refund_number.startswith("TK-")
    timeline = zh(client_of(world.buyer)).get(reverse("aftersales:detail", args=[first.number])).content.decode()
    for label in ("待供应商审核 → 已同意", "已同意 → 买家已退货", "买家已退货 → 供应商已收到退货", "退款处理中"):
        assert label in timeline


def test_operators_see_every_request_but_the_decisions_are_the_suppliers(world):
    req = make(world)
    ops = client_of(world.operator)
    assert req.number in ops.get(reverse("aftersales-dashboard:list")).content.decode()
    url = reverse("aftersales-dashboard:detail", args=[req.number])
    assert ops.get(url).status_code == 200
    assert ops.post(url, {"action": "approve"}).status_code == 403
    req.refresh_from_db()
    assert req.state == State.REQUESTED


def test_another_company_or_supplier_finds_nothing(world):
    req = make(world)
    photo_url = req.photos.get().get_absolute_url()
    other = client_of(world.other_buyer)
    assert req.number not in other.get(reverse("aftersales:list")).content.decode()
    assert other.get(reverse("aftersales:detail", args=[req.number])).status_code == 404
    assert other.post(reverse("aftersales:detail", args=[req.number]), {"action": "cancel"}).status_code == 404
    assert other.get(reverse("aftersales:create", args=[world.jg_part.number])).status_code == 404
    assert other.get(photo_url).status_code == 404
    df = client_of(world.df_staff)
    assert req.number not in df.get(reverse("aftersales-dashboard:list")).content.decode()
    assert df.get(reverse("aftersales-dashboard:detail", args=[req.number])).status_code == 404
    assert df.post(reverse("aftersales-dashboard:detail", args=[req.number]), {"action": "approve"}).status_code == 404
    assert df.get(photo_url).status_code == 404
    assert client_of(world.jg_staff).get(photo_url).status_code == 200
    assert client_of(world.operator).get(photo_url).status_code == 200
    # the buyer's pages are not the supplier's, the portal is not the buyer's
    assert client_of(world.jg_staff).get(reverse("aftersales:list")).status_code == 403
    assert client_of(world.buyer).get(reverse("aftersales-dashboard:list")).status_code == 403
    req.refresh_from_db()
    assert req.state == State.REQUESTED
