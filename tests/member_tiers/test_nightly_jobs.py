"""The nightly jobs are set-based: the queries of a run do not grow with the members (or their
orders), and they give the same results as the per-member rules they replace."""

import itertools
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.orders import status as order_status
from plugins.member_tiers.models import Membership, PointsEntry, PriceRule, TierChange
from plugins.member_tiers.services import members, points, tags
from tests import factories

pytestmark = pytest.mark.django_db


def queries(job) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = job()
    return len(captured), result


def population(tiers, start: int, count: int, now) -> list:
    """``count`` distributors with paid orders: every third climbs to gold, every third falls
    from diamond to silver, the rest stay; each has points, half of them expiring."""
    users = []
    for n in range(start, start + count):
        user = factories.distributor(f"m{n:03d}", with_address=False)
        kind = n % 3
        tier = {0: tiers["regular"], 1: tiers["diamond"], 2: tiers["silver"]}[kind]
        membership = Membership.objects.create(company=factories.company_of(user), tier=tier, points_balance=300)
        spend = {0: "45000.00", 1: "25000.00", 2: "21000.00"}[kind]
        factories.history_order(user, f"H-{n:03d}-1", spend, now - timedelta(days=10))
        factories.history_order(
            user, f"H-{n:03d}-2", "99999.00", now - timedelta(days=3), status=order_status.CANCELLED
        )
        factories.history_order(user, f"H-{n:03d}-3", "5000.00", now - timedelta(days=2), paid=False)
        for days_ago, amount in ((400, 100), (30, 200)):
            at = now - timedelta(days=days_ago)
            PointsEntry.objects.create(
                membership=membership,
                kind="earn",
                points=amount,
                order_number=f"P-{n}-{days_ago}",
                created_at=at,
                expires_at=at + timedelta(days=365),
            )
        users.append(user)
    return users


def test_requalification_is_set_based_and_counts_only_paid_orders(tiers):
    now = timezone.now()
    population(tiers, 0, 3, now)
    small, result = queries(lambda: members.requalify(now=now))
    assert result == {"upgraded": 1, "downgraded": 1}
    population(tiers, 3, 12, now)
    large, result = queries(lambda: members.requalify(now=now))
    assert result == {"upgraded": 4, "downgraded": 4}
    assert large == small  # five times the members, the same statements
    assert queries(lambda: members.requalify(now=now))[1] == {"upgraded": 0, "downgraded": 0}
    by_tier = dict(Membership.objects.values_list("company__members__user__username", "tier__code"))
    # paid spend only: the cancelled ¥99,999 and the unpaid ¥5,000 never count
    assert by_tier["m000"] == by_tier["m003"] == "gold"
    assert by_tier["m001"] == by_tier["m004"] == "silver"
    assert by_tier["m002"] == "silver"
    change = TierChange.objects.get(membership__company__members__user__username="m001")
    assert (change.from_tier.code, change.to_tier.code, change.kind) == ("diamond", "silver", "automatic")
    assert "25000.00" in change.reason and "钻石" in change.reason


def test_points_expiry_is_set_based(tiers):
    now = timezone.now()
    population(tiers, 0, 3, now)
    small, expired = queries(lambda: points.expire_points(now=now))
    assert expired == 3 * 100
    population(tiers, 3, 12, now)
    large, expired = queries(lambda: points.expire_points(now=now))
    assert expired == 12 * 100
    assert large == small
    assert points.expire_points(now=now) == 0  # idempotent
    assert set(Membership.objects.values_list("points_balance", flat=True)) == {200}
    assert PointsEntry.objects.filter(kind="expire", points=-100).count() == 15


def test_member_facts_and_grades_are_set_based(tiers):
    now = timezone.now()
    population(tiers, 0, 3, now)
    small, count = queries(lambda: tags.recompute_facts(now=now))
    assert count == 3
    population(tiers, 3, 12, now)
    large, count = queries(lambda: tags.recompute_facts(now=now))
    assert (count, large) == (15, small)
    m = Membership.objects.get(company__members__user__username="m000")
    assert (m.total_spend, m.order_count, m.average_order_value) == (Decimal("45000.00"), 1, Decimal("45000.00"))
    assert m.facts_updated_at == now and m.last_order_at is not None
    assert m.grade == tags.grade_for((now - m.last_order_at).days, 1, Decimal("45000.00")) == "B"


def test_companies_join_in_bulk_with_their_own_rules(tiers, catalogue):
    users = [factories.distributor(f"new{n}", with_address=False) for n in range(4)]
    companies = [factories.company_of(u) for u in users]
    PriceRule.objects.create(company=companies[0], product=catalogue["bolt"], kind="fixed", value=Decimal("1.00"))
    assert members.ensure_memberships() == 4
    assert members.ensure_memberships() == 0
    joined = {m.company_id: m for m in Membership.objects.filter(company__in=companies)}
    assert {m.tier.code for m in joined.values()} == {"regular"}
    assert joined[companies[0].pk].rules_version is not None and joined[companies[1].pk].rules_version is None
    assert (
        TierChange.objects.filter(
            membership__company__members__user__in=users, kind="automatic", from_tier=None
        ).count()
        == 4
    )


def test_the_grade_in_sql_is_grade_for(tiers):
    """Every combination around the thresholds: the UPDATE gives what grade_for says."""
    now = timezone.now()
    recencies = (None, 0, 14, 15, 45, 46, 400)
    frequencies = (0, 1, 8, 15)
    spends = (Decimal("0.00"), Decimal("19999.99"), Decimal("20000.00"), Decimal("59999.99"), Decimal("60000.00"))
    expected = {}
    for n, (recency, frequency, spend) in enumerate(itertools.product(recencies, frequencies, spends)):
        user = factories.distributor(f"g{n:03d}", with_address=False)
        last = None if recency is None else now - timedelta(days=recency, hours=1)
        m = Membership.objects.create(
            company=factories.company_of(user),
            tier=tiers["regular"],
            last_order_at=last,
            order_count=frequency,
            total_spend=spend,
        )
        expected[m.pk] = tags.grade_for(recency, frequency, spend)
    Membership.objects.update(grade=tags.grade_expression(now))
    assert dict(Membership.objects.values_list("pk", "grade")) == expected
