"""One owner for the supplier's cost: what a supplier enters in its portal is the cost the
price-rule floor keeps a margin over (defect: the floor read a second table nobody wrote)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from plugins.member_tiers.models import Membership
from plugins.member_tiers.pricing import PriceBook
from tests import factories
from tests.member_tiers.conftest import rule

pytestmark = pytest.mark.django_db


def test_the_floor_keeps_its_margin_over_the_cost_the_supplier_entered(tiers, buyer):
    supplier = factories.supplier("hn", "广州华南工具有限公司")
    staff = factories.supplier_staff(supplier, "hnstaff")
    wrench = factories.product("HN-WR-24", "活动扳手 24寸", "100.00", 50, supplier)
    Membership.objects.create(company=factories.company_of(buyer), tier=tiers["gold"])
    rule(tier=tiers["gold"], product=wrench, kind="percent", value=Decimal("30"), floor_margin_percent=Decimal("5"))
    assert PriceBook(buyer).resolve(wrench, wrench.stockrecords.get()).unit_price == Decimal("70.00")  # no cost yet

    portal = Client()
    portal.force_login(staff)
    response = portal.post(
        reverse("s2b2b-portal-product", args=[wrench.pk]),
        {"title": wrench.title, "description": "", "price": "100.00", "stock": "50", "cost": "90.00"},
    )
    assert response.status_code == 302
    record = wrench.stockrecords.get()
    assert record.cost == Decimal("90.00")

    resolution = PriceBook(buyer).resolve(wrench, record)
    assert resolution.unit_price == Decimal("94.50")  # 90.00 × 1.05, not 70.00
    assert resolution.explanation.endswith("已按成本底价上调")
    page = Client()
    page.force_login(buyer)
    assert "¥94.50" in page.get(wrench.get_absolute_url()).content.decode()
