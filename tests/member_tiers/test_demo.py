"""Member tiers in the demo data: tiers, rules, credit lines, points history, salespeople; idempotent."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from oscar.core.loading import get_class, get_model

from companies.demo import APPLICANTS
from core.demo.data import DISTRIBUTORS
from core.demo.seed import SeedReport, seed_demo
from plugins.member_tiers.demo import seed as member_seed
from plugins.member_tiers.models import CreditAccount, CreditEntry, Membership, PointsEntry, PriceRule, Tier
from plugins.member_tiers.services.credit import overdue

Selector = get_class("partner.strategy", "Selector")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Tier, PriceRule, Membership, CreditAccount, CreditEntry, PointsEntry)
    }


def test_demo_members_tiers_prices_credit_and_points():
    report = seed_demo()
    assert list(Tier.objects.order_by("rank").values_list("name", flat=True)) == ["普通会员", "银牌", "金牌", "钻石"]
    members = (
        Membership.objects.select_related("tier", "salesperson")
        .filter(company__members__user__email__endswith="@demo.s2b2b.cn")
        .distinct()
    )
    # the demo distributors and the two applicants whose companies wait for verification (companies.demo)
    assert members.count() == len(DISTRIBUTORS) + len(APPLICANTS) == 16
    assert all(m.salesperson and m.salesperson.is_staff and not m.salesperson.is_superuser for m in members)
    assert {"sales.wang@demo.s2b2b.cn", "sales.li@demo.s2b2b.cn"} <= {email for _, email, _ in report.logins}
    assert len({m.tier.code for m in members}) >= 2
    # credit lines for the verified companies; none for the applications
    assert CreditAccount.objects.filter(membership__in=members).count() == len(DISTRIBUTORS) == 14
    assert not CreditAccount.objects.filter(membership__company__status="applied").exists()
    assert sum(1 for a in CreditAccount.objects.all() if overdue(a)) == 1  # one member shows the block
    assert PointsEntry.objects.filter(kind="earn").exists()
    assert any(note.startswith(("Member tiers", "会员等级")) for note in report.notes)
    # follow-ups: each salesperson's, one next step due today (on their home)
    from plugins.member_tiers import selectors
    from plugins.member_tiers.models import FollowUp

    for login in ("sales.wang@demo.s2b2b.cn", "sales.li@demo.s2b2b.cn"):
        person = get_user_model().objects.get(email=login)
        assert FollowUp.objects.filter(salesperson=person).count() == 3
        assert selectors.due_follow_ups(person).count() == 1
    # the customer import waiting for the second operator (companies.demo)
    from companies.models import ImportBatch

    batch = ImportBatch.objects.get()
    assert batch.status == "pending" and len(batch.rows) == 3
    assert batch.uploaded_by.email == "operator@demo.s2b2b.cn"
    assert "reviewer@demo.s2b2b.cn" in {email for _, email, _ in report.logins}
    # a gold member pays the gold price for the demo bolt
    gold = members.filter(tier__code="gold").first()
    bolt = Product.objects.get(upc="JG-HB-M8-30")
    strategy = Selector().strategy(user=gold.company.members.get(role="admin").user)
    assert strategy.fetch_for_product(bolt).price.incl_tax == Decimal("29.80")
    before = counts()
    member_seed(SeedReport(), now=timezone.now(), seed=2026)
    assert counts() == before
    # the demo batch is approvable by the second operator (grades set through member_tiers)
    from companies.services import imports

    imports.approve(batch, by=get_user_model().objects.get(email="reviewer@demo.s2b2b.cn"))
    assert sorted(c.membership.grade for c in batch.companies.all()) == ["A", "B", "C"]
