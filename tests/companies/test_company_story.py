"""Issue 9's "done when", as one story through the real pages and services: a new company
registers and is verified, its admin invites a buyer and an approver (they sign up from the
e-mailed links), the buyer's large order waits for approval and is placed — for the company, by
the buyer — and forwarded to its suppliers once approved; tier, credit and prices are the
company's."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from oscar.core.loading import get_model

from companies.approvals.models import ApprovalRequest, RequestStatus
from companies.models import CompanyStatus
from companies.services import verification
from core.outbox.models import OutboxMessage
from plugins.member_tiers.models import CreditAccount, Membership
from plugins.member_tiers.services import credit, members
from tests import factories
from tests.companies.approval_world import client_for, shop, submit

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def sign_up_from_link(email: str, username: str) -> Client:
    """The invited person opens the link from their e-mail (signed out) and signs up there."""
    message = OutboxMessage.objects.filter(channel="email", recipient=email).latest("id")
    path = re.search(r"/accounts/company/invitations/[\w-]+/", message.payload["body"]).group(0)
    visitor = Client()
    assert visitor.get(path).status_code == 200
    response = visitor.post(
        path,
        {
            "email": email,
            "password1": "Story-pass-2026",
            "password2": "Story-pass-2026",
            "mobile": "13800138123",
            "consent": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return visitor


def test_register_verify_invite_approve_place_and_forward():
    goods = shop()
    operator = factories.operator()
    # 1. a new company registers in the storefront and an operator verifies it
    admin = factories.person("founder")
    company = factories.company(admin, "广州新锐五金贸易有限公司", 71, verified=False)
    assert company.status == CompanyStatus.APPLIED
    verification.verify(company, actor=operator, reason="营业执照已核验")
    # 2. its admin invites a buyer and an approver by e-mail
    admin_client = client_for(admin)
    for email, role in (("caigou@example.cn", "buyer"), ("shenpi@example.cn", "approver")):
        response = admin_client.post(reverse("companies:invite"), {"email": email, "role": role})
        assert response.status_code == 302
    sign_up_from_link("caigou@example.cn", "caigou")
    sign_up_from_link("shenpi@example.cn", "shenpi")
    buyer = company.members.get(user__email="caigou@example.cn").user
    approver = company.members.get(user__email="shenpi@example.cn").user
    assert {m.user.email: m.role for m in company.members.all()} == {
        admin.email: "admin",
        "caigou@example.cn": "buyer",
        "shenpi@example.cn": "approver",
    }
    # tier and credit are the company's: granted once, shared by its people
    membership = members.membership_for(admin)
    assert members.membership_for(buyer) == membership == Membership.objects.get(company=company)
    credit.set_credit_line(membership, limit=Decimal("50000.00"), payment_terms_days=30, reason="开通授信")
    # 3. orders above ¥1,000 need the approver
    response = admin_client.post(
        reverse("companies:approval-rules"),
        {"kind": "order_total", "threshold": "1000", "approver_role": "approver", "step": "1", "is_active": "on"},
    )
    assert response.status_code == 302 and company.approval_rules.count() == 1
    # 4. the buyer's large order waits: nothing placed, its credit held
    response = submit(client_for(buyer), [(goods["bolt"], 40), (goods["wire"], 2)])  # 1,280 + 436 = ¥1,716.00
    assert response.status_code == 302, response.content.decode()[-3000:]
    approval = ApprovalRequest.objects.get(company=company)
    assert approval.status == RequestStatus.PENDING and not Order.objects.exists()
    account = CreditAccount.objects.get(membership__company=company)
    assert account.balance == Decimal("1716.00")
    # 5. the approver approves in 企业中心: one order, the company's, placed by the buyer, forwarded
    response = client_for(approver).post(
        reverse("companies:approval-detail", args=[approval.number]), {"action": "approve", "comment": "同意"}
    )
    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.company, order.user, order.total_incl_tax) == (company, buyer, Decimal("1716.00"))
    assert sorted(so.partner.code for so in order.supplier_orders.all()) == ["df", "jg"]
    account.refresh_from_db()
    assert account.balance == Decimal("1716.00")  # held once, now the order's
    # the admin and the approver see the company's order; another company sees nothing
    for person in (admin, approver):
        assert order.number in client_for(person).get(reverse("customer:order-list")).content.decode()
    stranger = factories.distributor("stranger")
    assert client_for(stranger).get(reverse("customer:order", args=[order.number])).status_code == 404
