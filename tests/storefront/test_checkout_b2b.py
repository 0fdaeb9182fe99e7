"""Checkout as a B2B buyer (issue 13, item 3): the purchase-order number (采购单号) and a remark to
each supplier go with 下订单 onto the order and its supplier orders; the payment step shows the
credit available and disables 账期支付 with the reason when the order exceeds it; the delivery
notes (配送备注) reach the supplier on every channel: portal, packing slip, webhook, GraphQL."""

import json
import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from core.models import OutboxMessage
from plugins.member_tiers.models import CreditAccount
from plugins.s2b2b_orders.models import SupplierOrder, SupplierProfile
from tests import factories
from tests.storefront.test_checkout import ADDRESS, add

Order = get_model("order", "Order")
Line = get_model("basket", "Line")

pytestmark = pytest.mark.django_db

NOTES = "工作日 9:00-17:00 收货，到了打电话"
PO = "PO-2026-0815"


def to_payment_step(client, notes=NOTES):
    client.get(reverse("checkout:index"), follow=True)
    client.post(reverse("checkout:shipping-address"), {**ADDRESS, "notes": notes}, follow=True)
    return client.get(reverse("checkout:shipping-method"), follow=True)


def to_preview(client, method="on-account"):
    to_payment_step(client)
    return client.post(reverse("checkout:preview"), {"method": method})


def place(client, **fields):
    return client.post(reverse("checkout:preview"), {"action": "place_order", **fields}, follow=True)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def webhook_jg(catalogue):
    """jg takes its orders by signed webhook, df by e-mail."""
    SupplierProfile.objects.create(
        partner=catalogue["suppliers"]["jg"],
        legal_name="苏州精工五金制品有限公司",
        channel="webhook",
        webhook_url="http://127.0.0.1:9/hook",
        webhook_secret="s3cret",
    )
    SupplierProfile.objects.create(
        partner=catalogue["suppliers"]["df"],
        legal_name="宁波东方电气设备有限公司",
        channel="email",
        contact_email="orders@df.example.cn",
    )


def remarks(catalogue, jg="请随货附质检报告", df="电线请整卷发货"):
    return {
        f"remark_{catalogue['suppliers']['jg'].pk}": jg,
        f"remark_{catalogue['suppliers']['df'].pk}": df,
    }


def test_the_po_number_and_the_remarks_go_onto_the_order_and_reach_each_supplier(
    buyer_client, buyer, catalogue, webhook_jg, django_capture_on_commit_callbacks
):
    factories.credit_line(buyer, limit="5000.00")
    add(buyer_client, catalogue["bolt"], 10)
    add(buyer_client, catalogue["wire"], 2)
    preview = text(to_preview(buyer_client))
    # the preview: lines by supplier with SKU and unit price, a remark field per supplier, the PO field
    assert "苏州精工五金制品有限公司" in preview and "宁波东方电气设备有限公司" in preview
    assert re.search(r'line-sku">JG-HB-M8-30<.*?line-unit-price">¥32\.00<.*?line-quantity">10<', preview)
    assert re.search(r'line-sku">DF-BV-2\.5<.*?line-unit-price">¥218\.00<', preview)
    assert f'name="remark_{catalogue["suppliers"]["jg"].pk}"' in preview
    assert 'name="purchase_order_number"' in preview and "采购单号" in preview

    with django_capture_on_commit_callbacks(execute=True):
        placed = place(buyer_client, purchase_order_number=f"  {PO} ", **remarks(catalogue))
    order = Order.objects.get(user=buyer)
    assert order.purchase_order_number == PO
    jg, df = (str(catalogue["suppliers"][code].pk) for code in ("jg", "df"))
    assert order.supplier_remarks == {jg: "请随货附质检报告", df: "电线请整卷发货"}
    assert order.shipping_address.notes == NOTES
    assert f"采购单号: {PO}" in text(placed)  # the confirmation page

    # the confirmation e-mail: PO number, unit prices, delivery notes
    [email] = [message for message in mail.outbox if message.to == [buyer.email]]
    assert PO in email.body and "¥32.00" in email.body and "¥218.00" in email.body and NOTES in email.body
    html = email.alternatives[0][0] if email.alternatives else ""
    assert PO in html and re.search(r'unit-price">¥32\.00<', html)

    # the buyer's order page
    page = text(buyer_client.get(reverse("customer:order", kwargs={"order_number": order.number})))
    assert f"采购单号: {PO}" in page
    assert re.search(r'line-unit-price">¥32\.00<', page) and re.search(r'line-unit-price">¥218\.00<', page)
    assert "请随货附质检报告" in page and "电线请整卷发货" in page

    # on account: forwarded at once; each supplier order carries its own remark and the delivery notes
    parts = {so.partner.code: so for so in SupplierOrder.objects.filter(order=order)}
    assert (parts["jg"].buyer_remark, parts["jg"].buyer_note) == ("请随货附质检报告", NOTES)
    assert (parts["df"].buyer_remark, parts["df"].buyer_note) == ("电线请整卷发货", NOTES)

    # the webhook payload
    hook = OutboxMessage.objects.get(channel="webhook", topic="supplier_order.forwarded")
    body = hook.payload["supplier_order"]
    assert (body["purchase_order_number"], body["buyer_remark"], body["delivery_notes"]) == (
        PO,
        "请随货附质检报告",
        NOTES,
    )
    # the supplier's e-mail / notification text
    note = OutboxMessage.objects.get(channel="email", topic="supplier_order.forwarded")
    assert NOTES in note.payload["body"] and "电线请整卷发货" in note.payload["body"]
    assert f"买家采购单号：{PO}" in note.payload["body"]

    # the supplier portal, its packing slip and its GraphQL API
    staff = factories.supplier_staff(catalogue["suppliers"]["jg"], "jgstaff")
    portal = Client()
    portal.force_login(staff)
    page = text(portal.get(reverse("s2b2b-portal-order", args=[parts["jg"].number])))
    assert f'id="so-delivery-notes">{NOTES}<' in page
    assert 'id="so-buyer-remark">请随货附质检报告<' in page
    assert f'id="so-po-number">{PO}<' in page
    assert "电线请整卷发货" not in page  # another supplier's remark stays with that supplier
    slip = portal.get(reverse("s2b2b-packing-slip", args=[parts["jg"].number]))
    if shutil.which("pdftotext"):
        words = subprocess.run(
            ["pdftotext", "-", "-"], input=slip.content, capture_output=True, check=True
        ).stdout.decode()
        flat = re.sub(r"\s+", "", words)
        assert re.sub(r"\s+", "", NOTES) in flat and PO in flat and "请随货附质检报告" in flat
    query = "{ supplierOrders(first: 5) { items { number deliveryNotes buyerRemark purchaseOrderNumber } } }"
    data = portal.post("/graphql/", json.dumps({"query": query}), content_type="application/json").json()
    assert data["data"]["supplierOrders"]["items"] == [
        {
            "number": parts["jg"].number,
            "deliveryNotes": NOTES,
            "buyerRemark": "请随货附质检报告",
            "purchaseOrderNumber": PO,
        }
    ]
    # and the buyer's own API
    query = '{ order(number: "%s") { purchaseOrderNumber deliveryNotes lines { sku unitPriceInclTax } } }'
    data = buyer_client.post(
        "/graphql/", json.dumps({"query": query % order.number}), content_type="application/json"
    ).json()
    assert data["data"]["order"]["purchaseOrderNumber"] == PO
    assert data["data"]["order"]["deliveryNotes"] == NOTES
    assert {(line["sku"], line["unitPriceInclTax"]) for line in data["data"]["order"]["lines"]} == {
        ("JG-HB-M8-30", "32.00"),
        ("DF-BV-2.5", "218.00"),
    }


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"purchase_order_number": "P" * 51}, "最多 50 个字符（当前 51 个）。"),
        ({"purchase_order_number": "PO\x00-1"}, None),  # NUL: Django's own message
        ({"purchase_order_number": "PO\x07-1"}, "不能包含控制字符。"),
        ({"remark": "长" * 201}, "最多 200 个字符（当前 201 个）。"),
        ({"remark": "请\x00尽快"}, None),
    ],
)
def test_a_bad_po_number_or_remark_is_refused_and_nothing_is_placed(buyer_client, buyer, catalogue, fields, message):
    factories.credit_line(buyer, limit="5000.00")
    add(buyer_client, catalogue["bolt"], 10)
    to_preview(buyer_client)
    if "remark" in fields:
        fields = {f"remark_{catalogue['suppliers']['jg'].pk}": fields["remark"]}
    response = place(buyer_client, **fields)
    body = text(response)
    assert response.status_code == 200 and 'id="place_order_form"' in body  # the preview again
    if message:
        assert message in body
    else:
        assert "空字符" in body or "Null characters" in body
    assert not Order.objects.filter(user=buyer).exists()
    assert CreditAccount.objects.get(membership__company__members__user=buyer).balance == Decimal("0.00")
    assert Line.objects.filter(basket__owner=buyer, basket__status="Open").count() == 1  # the basket is as it was


def test_the_payment_step_shows_the_credit_available_with_thousands_separators(buyer_client, buyer, catalogue):
    factories.credit_line(buyer, limit="12345.60")
    add(buyer_client, catalogue["bolt"], 10)  # ¥320.00
    body = text(to_payment_step(buyer_client))
    assert "可用额度 ¥12,345.60，本单应付 ¥320.00。" in body
    radio = re.search(r'<input[^>]*value="on-account"[^>]*>', body).group(0)
    assert "disabled" not in radio


def test_on_account_is_disabled_with_the_reason_when_the_order_exceeds_the_credit(buyer_client, buyer, catalogue):
    factories.credit_line(buyer, limit="1000.00")
    add(buyer_client, catalogue["bolt"], 40)  # ¥1,280.00
    body = text(to_payment_step(buyer_client))
    radio = re.search(r'<input[^>]*value="on-account"[^>]*>', body).group(0)
    assert "disabled" in radio
    reason = "可用额度不足：可用 ¥1,000.00，本单 ¥1,280.00。"
    assert body.count(reason) == 1
    assert "disabled" not in re.search(r'<input[^>]*value="bank-transfer"[^>]*>', body).group(0)
    # choosing it anyway (a crafted POST) is refused with the reason; nothing is chosen
    refused = text(buyer_client.post(reverse("checkout:preview"), {"method": "on-account"}))
    assert refused.count(reason) == 1 and 'id="place_order_form"' not in refused
    assert not Order.objects.filter(user=buyer).exists()


def test_a_refusal_at_place_order_is_shown_once_with_thousands_separators(buyer_client, buyer, catalogue):
    """The credit was used up between the payment step and 下订单 (e.g. a colleague ordered)."""
    account = factories.credit_line(buyer, limit="20000.00")
    add(buyer_client, catalogue["bolt"], 40)  # ¥1,280.00
    to_preview(buyer_client)
    CreditAccount.objects.filter(pk=account.pk).update(balance=Decimal("19000.00"))
    body = text(place(buyer_client, purchase_order_number=PO))
    assert body.count("可用额度不足：可用 ¥1,000.00，本单 ¥1,280.00。") == 1
    assert not Order.objects.filter(user=buyer).exists()


def test_an_order_placed_by_approval_keeps_the_po_number_and_the_remarks(django_capture_on_commit_callbacks):
    from companies.approvals.models import ApprovalRequest
    from tests.companies.approval_world import World, client_for, shop

    world = World()
    goods = shop()
    factories.credit_line(world.buyer, limit="10000.00")
    world.rule(threshold="100.00")
    buyer = client_for(world.buyer)
    add(buyer, goods["bolt"], 10)
    to_preview(buyer)
    jg = goods["bolt"].stockrecords.get().partner
    place(buyer, purchase_order_number=PO, **{f"remark_{jg.pk}": "请随货附质检报告"})
    approval = ApprovalRequest.objects.get()
    assert not Order.objects.exists()  # waits for the approver
    with django_capture_on_commit_callbacks(execute=True):
        client_for(world.approver).post(
            reverse("companies:approval-detail", args=[approval.number]), {"action": "approve", "comment": "同意"}
        )
    order = Order.objects.get()
    assert order.purchase_order_number == PO
    assert order.supplier_remarks == {str(jg.pk): "请随货附质检报告"}
    assert order.supplier_orders.get().buyer_remark == "请随货附质检报告"
    assert order.shipping_address.notes == NOTES
