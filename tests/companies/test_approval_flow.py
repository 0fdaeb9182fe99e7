"""Purchase approval end to end through the storefront: an order the rules stop waits with its
credit held and its basket frozen; approving it places exactly one order as the buyer (split
and forwarded), rejecting or expiring it releases the credit to the fen and gives the goods
back; a changed price is never placed silently."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from companies.approvals import services
from companies.approvals.models import ApprovalRequest, Decision, RequestStatus
from core.models import TransitionLog
from core.orders import status as order_status
from core.outbox.models import OutboxMessage
from plugins.member_tiers.models import CreditAccount
from tests import factories
from tests.companies.approval_world import World, client_for, shop, submit

Order = get_model("order", "Order")
Basket = get_model("basket", "Basket")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    w = World()
    w.goods = shop()
    factories.credit_line(w.buyer, limit="10000.00")
    return w


def balance(user) -> Decimal:
    return CreditAccount.objects.get(membership__company__members__user=user).balance


def open_lines(user) -> list[tuple[str, int]]:
    baskets = Basket.objects.filter(owner=user, status=Basket.OPEN)
    return sorted((line.product.upc, line.quantity) for b in baskets for line in b.lines.all())


def test_an_order_the_rules_stop_waits_with_credit_held_and_the_approver_emailed(world):
    world.rule(threshold="1000.00")
    response = submit(client_for(world.buyer), [(world.goods["bolt"], 40)])  # 1280.00

    approval = ApprovalRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("companies:approval-submitted", args=[approval.number])
    assert Order.objects.count() == 0
    assert approval.status == RequestStatus.PENDING
    assert approval.total_incl_tax == Decimal("1280.00")
    assert approval.lines[0]["sku"] == "JG-HB-M8-30" and approval.lines[0]["unit_price_incl_tax"] == "32.00"
    assert approval.shipping_address["state"] == "四川省"
    assert approval.basket.status == Basket.FROZEN
    assert balance(world.buyer) == Decimal("1280.00")  # held under the order number
    assert open_lines(world.buyer) == []
    assert [(s.role, s.decision) for s in approval.steps.all()] == [("approver", Decision.WAITING)]
    emails = OutboxMessage.objects.filter(channel="email", topic="companies.approval.waiting")
    # the approver and the company's admin may decide the step; never the buyer
    assert sorted(m.recipient for m in emails) == sorted([world.approver.email, world.admin.email])
    body = emails[0].payload["body"]
    assert "/accounts/company/approvals/link/" in body and "待您审批" in emails[0].payload["subject"]
    assert timezone.localtime(approval.expires_at).strftime("%Y-%m-%d %H:%M") in body  # Asia/Shanghai
    assert "订单总额超过 ¥1000.00 → 审批人（第 1 级）" in body
    assert TransitionLog.objects.filter(machine="purchase_approval", object_id=str(approval.pk)).count() == 1

    page = client_for(world.buyer).get(response["Location"])
    assert page.status_code == 200 and "已提交审批" in page.content.decode()


def test_an_order_below_the_threshold_is_placed_at_once(world):
    world.rule(threshold="1280.00")  # "above": exactly the threshold needs no approval
    submit(client_for(world.buyer), [(world.goods["bolt"], 40)])
    assert ApprovalRequest.objects.count() == 0
    assert Order.objects.get().total_incl_tax == Decimal("1280.00")


def test_approving_places_one_order_as_the_buyer_split_and_forwarded(world, django_capture_on_commit_callbacks):
    world.rule(threshold="100.00")
    submit(client_for(world.buyer), [(world.goods["bolt"], 10), (world.goods["wire"], 1)])  # 320 + 218
    approval = ApprovalRequest.objects.get()
    approver = client_for(world.approver)

    with django_capture_on_commit_callbacks(execute=True):
        response = approver.post(
            reverse("companies:approval-detail", args=[approval.number]), {"action": "approve", "comment": "同意"}
        )
    assert response.status_code == 302
    approval.refresh_from_db()
    order = Order.objects.get()
    assert approval.status == RequestStatus.APPROVED and approval.order == order
    assert order.user == world.buyer and order.number == approval.order_number
    assert order.total_incl_tax == Decimal("538.00")
    assert order.status == order_status.CONFIRMED  # on account: secured at placement
    assert order.sources.get().source_type.code == "on-account"
    assert balance(world.buyer) == Decimal("538.00")  # the held credit is the order's; not twice
    assert {so.partner.code for so in order.supplier_orders.all()} == {"jg", "df"}
    assert approval.steps.get().decided_by == world.approver
    assert approval.basket.status == Basket.SUBMITTED
    # the approver cannot approve again; nothing more is placed
    again = approver.post(reverse("companies:approval-detail", args=[approval.number]), {"action": "approve"})
    assert again.status_code == 400
    assert Order.objects.count() == 1


def test_rejecting_releases_the_credit_and_gives_the_goods_back(world):
    world.rule(threshold="100.00")
    buyer = client_for(world.buyer)
    submit(buyer, [(world.goods["bolt"], 10)])
    approval = ApprovalRequest.objects.get()
    assert balance(world.buyer) == Decimal("320.00")

    no_comment = client_for(world.approver).post(
        reverse("companies:approval-detail", args=[approval.number]), {"action": "reject", "comment": ""}
    )
    assert no_comment.status_code == 400 and "请说明驳回原因" in no_comment.content.decode()
    services.reject(request=approval, actor=world.approver, comment="超预算")

    approval.refresh_from_db()
    assert approval.status == RequestStatus.REJECTED and approval.reason == "超预算"
    assert balance(world.buyer) == Decimal("0.00")
    assert open_lines(world.buyer) == [("JG-HB-M8-30", 10)]
    assert Order.objects.count() == 0
    # the buyer can submit again, and the new hold is released the same way
    submit(buyer, [])
    second = ApprovalRequest.objects.exclude(pk=approval.pk).get()
    assert second.order_number != approval.order_number
    assert balance(world.buyer) == Decimal("320.00")
    services.reject(request=second, actor=world.admin, comment="再议")
    assert balance(world.buyer) == Decimal("0.00")


def test_expiry_releases_the_held_credit_to_the_fen(world, settings):
    world.rule(threshold="0.00")
    submit(client_for(world.buyer), [(world.goods["nut"], 3)])  # 59.40
    approval = ApprovalRequest.objects.get()
    assert balance(world.buyer) == Decimal("59.40")
    assert services.expire_overdue(now=timezone.now()) == 0  # not yet due

    later = approval.expires_at + timedelta(seconds=1)
    assert services.expire_overdue(now=later) == 1
    assert services.expire_overdue(now=later) == 0  # idempotent
    approval.refresh_from_db()
    assert approval.status == RequestStatus.EXPIRED
    assert balance(world.buyer) == Decimal("0.00")
    assert open_lines(world.buyer) == [("JG-HN-M8", 3)]
    assert approval.expires_at - approval.submitted_at == timedelta(hours=settings.COMPANY_APPROVAL_HOLD_HOURS)


def test_a_request_past_its_time_cannot_be_approved(world):
    world.rule(threshold="0.00")
    submit(client_for(world.buyer), [(world.goods["nut"], 3)])
    approval = ApprovalRequest.objects.get()
    with pytest.raises(Exception) as caught:
        services.approve(request=approval, actor=world.approver, now=approval.expires_at + timedelta(minutes=1))
    assert "已过期" in str(caught.value)
    assert Order.objects.count() == 0


def test_a_changed_price_is_never_placed_silently(world):
    world.rule(threshold="100.00")
    submit(client_for(world.buyer), [(world.goods["bolt"], 10)])
    approval = ApprovalRequest.objects.get()
    StockRecord.objects.filter(partner_sku="JG-HB-M8-30").update(price=Decimal("33.50"))

    services.approve(request=approval, actor=world.approver, comment="ok")

    approval.refresh_from_db()
    assert approval.status == RequestStatus.REPRICED
    assert "¥32.00 → ¥33.50" in approval.reason and "提交后价格已变" in approval.reason
    assert Order.objects.count() == 0
    assert balance(world.buyer) == Decimal("0.00")
    assert open_lines(world.buyer) == [("JG-HB-M8-30", 10)]
    assert OutboxMessage.objects.filter(topic="companies.approval.outcome", recipient=world.buyer.email).exists()


def test_missing_stock_is_a_change_too(world):
    world.rule(threshold="100.00")
    submit(client_for(world.buyer), [(world.goods["wire"], 2)])
    approval = ApprovalRequest.objects.get()
    StockRecord.objects.filter(partner_sku="DF-BV-2.5").update(num_in_stock=1)
    services.approve(request=approval, actor=world.approver)
    approval.refresh_from_db()
    assert approval.status == RequestStatus.REPRICED and Order.objects.count() == 0
