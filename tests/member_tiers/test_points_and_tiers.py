"""Points (earn on payment, redeem at checkout within the cap, expire oldest first) and tier re-qualification."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from config.celery import app as celery_app
from core.orders import status as order_status
from core.orders.services import cancel_order, record_payment
from plugins.member_tiers import tasks
from plugins.member_tiers.models import Membership, PointsEntry, TierChange
from plugins.member_tiers.services import members, points
from tests import factories
from tests.storefront.test_checkout import add, checkout_to_preview

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db


def place_order(client, product, quantity, method="bank-transfer"):
    add(client, product, quantity)
    checkout_to_preview(client, method=method)
    client.post(reverse("checkout:preview"), {"action": "place_order"})
    return Order.objects.order_by("-id").first()


def test_points_are_earned_once_when_the_order_is_paid_at_the_tier_rate(gold_client, gold_buyer, catalogue):
    order = place_order(gold_client, catalogue["wire"], 1)  # 207.10 for gold
    membership = Membership.objects.get(company__members__user=gold_buyer)
    assert membership.points_balance == 0  # not paid yet
    record_payment(order, amount=order.total_incl_tax, reference="CMB-20261128-001", method="bank-transfer")
    membership.refresh_from_db()
    assert membership.points_balance == 310  # 207.10 × 1.5, rounded down
    entry = membership.points_entries.get()
    assert (entry.kind, entry.order_number) == ("earn", order.number)
    assert entry.expires_at.date() == (timezone.now() + timedelta(days=365)).date()
    points.earn_for_order(order)  # a second call (e.g. a retried task) earns nothing more
    membership.refresh_from_db()
    assert membership.points_balance == 310


def test_points_pay_part_of_an_order_within_the_cap(gold_client, gold_buyer, catalogue):
    membership = Membership.objects.get(company__members__user=gold_buyer)
    points.adjust(membership, 5000, reason="开业赠送")
    add(gold_client, catalogue["wire"], 1)  # 207.10; 20% cap = 41.42 = 4142 points
    checkout_to_preview(gold_client)
    too_many = gold_client.post(reverse("membership:redeem-points"), {"points": "4143"}, follow=True)
    assert "本单最多可用 4142 积分" in too_many.content.decode()
    preview = gold_client.post(reverse("membership:redeem-points"), {"points": "3000"}, follow=True)
    assert "3000 积分抵扣 ¥30.00；还需支付 ¥177.10。" in preview.content.decode()
    gold_client.post(reverse("checkout:preview"), {"action": "place_order"})
    order = Order.objects.get(user=gold_buyer)
    assert order.total_incl_tax == Decimal("207.10")
    sources = {s.source_type.code: s.amount_allocated for s in order.sources.all()}
    assert sources == {"member-points": Decimal("30.00"), "bank-transfer": Decimal("177.10")}
    membership.refresh_from_db()
    assert membership.points_balance == 2000
    assert membership.points_entries.filter(kind="redeem", order_number=order.number, points=-3000).exists()
    # cancelling the order returns the points
    cancel_order(order, reason="客户取消")
    membership.refresh_from_db()
    assert membership.points_balance == 5000


def test_redeeming_more_than_the_balance_or_negative_points_is_refused(gold_buyer):
    membership = Membership.objects.get(company__members__user=gold_buyer)
    points.adjust(membership, 100, reason="测试")
    with pytest.raises(ValidationError):
        points.redeem(membership, 200, Decimal("10000"), "X-1")
    with pytest.raises(ValidationError):
        points.check_redemption(membership, -1, Decimal("100"))
    with pytest.raises(ValidationError) as exc:
        points.adjust(membership, 5, reason="")
    assert exc.value.message_dict["reason"] == ["请填写调整原因。"]
    membership.refresh_from_db()
    assert membership.points_balance == 100 and membership.points_entries.count() == 1


def test_points_expire_oldest_first_and_only_what_was_not_used(gold_buyer):
    membership = Membership.objects.get(company__members__user=gold_buyer)
    now = timezone.now()
    for days_ago, amount, number in ((400, 300, "A"), (380, 200, "B"), (30, 500, "C")):
        at = now - timedelta(days=days_ago)
        PointsEntry.objects.create(
            membership=membership,
            kind="earn",
            points=amount,
            order_number=number,
            created_at=at,
            expires_at=at + timedelta(days=365),
        )
    Membership.objects.filter(pk=membership.pk).update(points_balance=1000)
    membership.refresh_from_db()
    points.redeem(membership, 350, Decimal("100000"), "R-1")  # consumes A (300) and 50 of B
    assert points.expire_points(now=now) == 150  # the rest of B; A was used, C is still valid
    assert points.expire_points(now=now) == 0  # idempotent
    membership.refresh_from_db()
    assert membership.points_balance == 500


def test_requalification_upgrades_and_downgrades_with_history(tiers, catalogue):
    climber, faller = factories.distributor("climber"), factories.distributor("faller")
    Membership.objects.create(company=factories.company_of(climber), tier=tiers["regular"])
    Membership.objects.create(company=factories.company_of(faller), tier=tiers["diamond"])
    now = timezone.now()

    def paid_order(user, total, days_ago):
        return factories.history_order(user, f"{user.username}-{days_ago}", total, now - timedelta(days=days_ago))

    paid_order(climber, "45000.00", 10)  # reaches gold (40000)
    paid_order(faller, "90000.00", 400)  # outside the 12-month window
    paid_order(faller, "25000.00", 20)  # only silver now
    result = tasks.requalify_tiers.delay().get()
    assert result == {"upgraded": 1, "downgraded": 1}
    assert Membership.objects.get(company__members__user=climber).tier.code == "gold"
    assert Membership.objects.get(company__members__user=faller).tier.code == "silver"
    change = TierChange.objects.get(membership__company__members__user=faller)
    assert (change.from_tier.code, change.to_tier.code, change.kind) == ("diamond", "silver", "automatic")
    assert "25000.00" in change.reason and "钻石" in change.reason
    assert tasks.requalify_tiers.delay().get() == {"upgraded": 0, "downgraded": 0}  # idempotent


def test_manual_tier_change_needs_a_reason(gold_buyer, tiers):
    membership = Membership.objects.get(company__members__user=gold_buyer)
    with pytest.raises(ValidationError):
        members.change_tier(membership, tiers["diamond"], reason="  ")
    members.change_tier(membership, tiers["diamond"], reason="战略客户")
    membership.refresh_from_db()
    assert membership.tier.code == "diamond"
    assert membership.tier_changes.get().kind == "manual"
    # the nightly job leaves a manual tier alone for the hold period (no spend would mean a downgrade)
    assert members.requalify() == {"upgraded": 0, "downgraded": 0}
    later = timezone.now() + timedelta(days=members.manual_hold_days() + 1)
    assert members.requalify(now=later) == {"upgraded": 0, "downgraded": 1}
    membership.refresh_from_db()
    assert membership.tier.code == "regular"


def test_nightly_jobs_are_on_the_beat_schedule():
    tasks_scheduled = {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    assert {
        "plugins.member_tiers.tasks.requalify_tiers",
        "plugins.member_tiers.tasks.recompute_member_facts",
        "plugins.member_tiers.tasks.expire_points",
    } <= tasks_scheduled


def test_nightly_fact_tags_and_rfm_value_grade(tiers):
    from plugins.member_tiers.services.tags import grade_for

    loyal, lapsed, new = (factories.distributor(k) for k in ("loyal", "lapsed", "new"))
    now = timezone.now()
    for i in range(16):  # frequent, recent, big: A
        factories.history_order(loyal, f"L-{i}", "4000.00", now - timedelta(days=2 + i * 5))
    factories.history_order(lapsed, "P-1", "300.00", now - timedelta(days=200))
    factories.history_order(new, "N-1", "900.00", now, paid=False)  # unpaid orders do not count
    # an order that went through every status but was never paid does not count either
    factories.history_order(new, "N-2", "700.00", now, status=order_status.COMPLETE, paid=False)
    assert tasks.recompute_member_facts.delay().get() == 3
    facts = {m.company.members.get().user.username: m for m in Membership.objects.select_related("company")}
    assert (facts["loyal"].total_spend, facts["loyal"].order_count, facts["loyal"].grade) == (
        Decimal("64000.00"),
        16,
        "A",
    )
    assert facts["loyal"].average_order_value == Decimal("4000.00")
    assert (facts["lapsed"].order_count, facts["lapsed"].grade) == (1, "C")
    assert (facts["new"].order_count, facts["new"].last_order_at, facts["new"].grade) == (0, None, "C")
    assert grade_for(20, 9, Decimal("25000")) == "B"  # 2 + 2 + 2


def test_without_any_tier_defined_a_member_gets_a_base_tier_without_discount(buyer):
    from plugins.member_tiers.models import Tier
    from plugins.member_tiers.services.members import membership_for

    assert not Tier.objects.exists()
    membership = membership_for(buyer)
    assert (membership.tier.code, membership.tier.name, membership.tier.default_discount_percent) == (
        "regular",
        "普通会员",
        0,
    )
    assert membership_for(buyer).pk == membership.pk and Tier.objects.count() == 1
