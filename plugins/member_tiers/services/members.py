"""Memberships, tiers (manual changes and re-qualification) and salesperson ownership."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.orders.payments import paid_orders
from plugins.member_tiers.models import Membership, SalespersonChange, Tier, TierChange

User = get_user_model()
Order = get_model("order", "Order")


def distributors():
    """Users who buy: not staff, not supplier staff."""
    return User.objects.filter(is_staff=False, partners__isnull=True, is_active=True)


BASE_TIER = {"code": "regular", "name": "普通会员", "rank": 1}


def base_tier() -> Tier:
    """The lowest tier. A platform whose operators have defined none yet still gives every
    distributor exactly one tier: a base tier without discount is created on first need."""
    tier = Tier.objects.order_by("rank").first()
    if tier is None:
        tier, _created = Tier.objects.get_or_create(
            code=BASE_TIER["code"], defaults={"name": BASE_TIER["name"], "rank": BASE_TIER["rank"]}
        )
    return tier


def membership_for(user) -> Membership:
    """The user's membership, created in the lowest tier the first time it is needed."""
    membership = Membership.objects.select_related("tier").filter(user=user).first()
    if membership:
        return membership
    tier = base_tier()
    membership, created = Membership.objects.get_or_create(user=user, defaults={"tier": tier})
    if created:
        TierChange.objects.create(membership=membership, to_tier=tier, kind=TierChange.AUTOMATIC, reason=_("Joined"))
    return membership


def ensure_memberships() -> int:
    """Give every distributor without a membership one in the lowest tier; returns how many."""
    missing = distributors().filter(membership__isnull=True)
    count = 0
    for user in missing:
        membership_for(user)
        count += 1
    return count


@transaction.atomic
def change_tier(membership: Membership, tier: Tier, *, reason: str, by=None, automatic: bool = False) -> TierChange:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the tier change.")})
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.tier_id == tier.pk:
        raise ValidationError({"tier": _("The member is already in this tier.")})
    change = TierChange.objects.create(
        membership=membership,
        from_tier_id=membership.tier_id,
        to_tier=tier,
        kind=TierChange.AUTOMATIC if automatic else TierChange.MANUAL,
        reason=reason,
        changed_by=by,
    )
    membership.tier = tier
    membership.save(update_fields=["tier"])
    return change


def rolling_spend(user, window_days: int, now: datetime) -> Decimal:
    since = now - timedelta(days=window_days)
    total = paid_orders(Order.objects.filter(user=user, date_placed__gte=since)).aggregate(s=Sum("total_incl_tax"))["s"]
    return total or Decimal("0.00")


def qualifying_tier(spend_by_window: dict[int, Decimal], tiers: list[Tier]) -> Tier:
    """The best tier whose threshold the member's rolling spend reaches (the lowest tier always)."""
    best = tiers[0]
    for tier in tiers:
        if spend_by_window[tier.window_days] >= tier.upgrade_threshold:
            best = tier
    return best


def manual_hold_days() -> int:
    """A manual tier change holds this long before the nightly job may move the member again."""
    return getattr(settings, "MEMBER_TIER_MANUAL_HOLD_DAYS", 90)


def requalify(now: datetime | None = None) -> dict[str, int]:
    """Move every member to the tier their rolling spend earns: up or **down**. Idempotent.

    Members whose tier an operator set by hand in the last MEMBER_TIER_MANUAL_HOLD_DAYS are left alone.
    """
    now = now or timezone.now()
    ensure_memberships()
    held = set(
        TierChange.objects.filter(
            kind=TierChange.MANUAL, created_at__gte=now - timedelta(days=manual_hold_days())
        ).values_list("membership_id", flat=True)
    )
    tiers = list(Tier.objects.order_by("rank"))
    if not tiers:
        return {"upgraded": 0, "downgraded": 0}
    rank = {t.pk: t.rank for t in tiers}
    windows = {t.window_days for t in tiers}
    counts = {"upgraded": 0, "downgraded": 0}
    for membership in Membership.objects.select_related("user", "tier").exclude(pk__in=held):
        spend = {w: rolling_spend(membership.user, w, now) for w in windows}
        target = qualifying_tier(spend, tiers)
        if target.pk == membership.tier_id:
            continue
        up = rank[target.pk] > rank[membership.tier_id]
        window = target.window_days if up else membership.tier.window_days
        reason = (
            _("Rolling %(days)s-day spend ¥%(spend)s reaches %(tier)s")
            if up
            else _("Rolling %(days)s-day spend ¥%(spend)s is below %(tier)s")
        ) % {"days": window, "spend": spend[window], "tier": (target if up else membership.tier).name}
        change_tier(membership, target, reason=reason, automatic=True)
        counts["upgraded" if up else "downgraded"] += 1
    return counts


def next_tier_progress(membership: Membership, now: datetime | None = None) -> dict | None:
    now = now or timezone.now()
    nxt = Tier.objects.filter(rank__gt=membership.tier.rank).order_by("rank").first()
    if nxt is None:
        return None
    spend = rolling_spend(membership.user, nxt.window_days, now)
    missing = max(nxt.upgrade_threshold - spend, Decimal("0.00"))
    percent = int(min(spend / nxt.upgrade_threshold * 100, 100)) if nxt.upgrade_threshold else 100
    return {"tier": nxt, "spend": spend, "missing": missing, "percent": percent}


@transaction.atomic
def assign_salesperson(memberships, salesperson, *, reason: str, by=None) -> int:
    """(Re)assign one or many members to a salesperson (a staff user); history kept. Returns how many moved."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the reassignment.")})
    if salesperson is None or not salesperson.is_staff or not salesperson.is_active:
        raise ValidationError({"salesperson": _("A salesperson must be an active staff user.")})
    moved = 0
    for membership in Membership.objects.select_for_update().filter(pk__in=[m.pk for m in memberships]):
        if membership.salesperson_id == salesperson.pk:
            continue
        SalespersonChange.objects.create(
            membership=membership,
            from_user_id=membership.salesperson_id,
            to_user=salesperson,
            reason=reason,
            changed_by=by,
        )
        membership.salesperson = salesperson
        membership.save(update_fields=["salesperson"])
        moved += 1
    return moved
