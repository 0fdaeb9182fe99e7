"""Shared drivers of the purchase approval tests: a verified company with an admin, a buyer, an
approver and finance; a catalogue whose suppliers take forwarded orders; the storefront checkout
driven as the buyer."""

from decimal import Decimal

from django.test import Client
from django.urls import reverse

from companies.approvals import services
from companies.models import CompanyMember
from companies.services.people import add_member
from tests import factories
from tests.s2b2b_orders.conftest import make_supplier
from tests.storefront.test_checkout import add, checkout_to_preview


class World:
    def __init__(self, serial: int = 21, prefix: str = ""):
        p = prefix
        self.admin = factories.distributor(f"{p}admin")
        self.company = factories.company(self.admin, f"{p or '华南'}采购测试有限公司", serial)
        self.buyer = factories.person(f"{p}buyer")
        self.approver = factories.person(f"{p}approver")
        self.finance = factories.person(f"{p}finance")
        self.buyer.first_name, self.approver.first_name = "王采购", "李审批"
        self.buyer.save(update_fields=["first_name"])
        self.approver.save(update_fields=["first_name"])
        add_member(company=self.company, user=self.buyer, role="buyer", by=self.admin)
        add_member(company=self.company, user=self.approver, role="approver", by=self.admin)
        add_member(company=self.company, user=self.finance, role="finance", by=self.admin)
        self.admin_member = CompanyMember.objects.get(user=self.admin)
        self.buyer_member = CompanyMember.objects.get(user=self.buyer)

    def rule(self, kind="order_total", threshold="1000.00", approver_role="approver", step=1, **extra):
        return services.create_rule(
            company=self.company,
            by=self.admin,
            kind=kind,
            threshold=None if threshold is None else Decimal(threshold),
            approver_role=approver_role,
            step=step,
            buyer_role=extra.pop("buyer_role", ""),
            buyer=extra.pop("buyer", None),
            is_active=extra.pop("is_active", True),
        )


def shop():
    jg = make_supplier("jg", "苏州精工五金制品有限公司")
    df = make_supplier("df", "宁波东方电气设备有限公司", channel="email")
    return {
        "bolt": factories.product("JG-HB-M8-30", "外六角螺栓 M8×30", "32.00", 500, jg),
        "nut": factories.product("JG-HN-M8", "六角螺母 M8", "19.80", 300, jg),
        "wire": factories.product("DF-BV-2.5", "BV铜芯电线 2.5mm²", "218.00", 40, df),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def submit(client, items, method="on-account"):
    """Put ``items`` [(product, quantity)] in the basket, go through checkout and press 下订单."""
    for product, quantity in items:
        add(client, product, quantity)
    checkout_to_preview(client, method=method)
    return client.post(reverse("checkout:preview"), {"action": "place_order"})
