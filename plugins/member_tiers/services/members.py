"""Memberships, tiers (manual changes and re-qualification) and salesperson ownership."""

import uuid
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, DecimalField, F, IntegerField, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies.models import Company
from companies.selectors import company_of
from core.money import fen
from core.orders.payments import paid_orders
from plugins.member_tiers.models import Membership, PriceRule, SalespersonChange, Tier, TierChange

Order = get_model("order", "Order")

#: members handled per statement batch by the nightly jobs (memory holds one batch)
CHUNK = 2000


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


def membership_of_company(company: Company) -> Membership:
    """The company's membership, created in the lowest tier the first time it is needed."""
    membership = Membership.objects.select_related("tier", "company").filter(company=company).first()
    if membership:
        return membership
    tier = base_tier()
    membership, created = Membership.objects.get_or_create(company=company, defaults={"tier": tier})
    if created:
        TierChange.objects.create(membership=membership, to_tier=tier, kind=TierChange.AUTOMATIC, reason=_("Joined"))
    return membership


def membership_for(user) -> Membership | None:
    """The membership of the company ``user`` buys for (created on first need); None for a person
    without a company: member data belongs to companies, not to people."""
    company = company_of(user)
    return membership_of_company(company) if company is not None else None


def ensure_memberships() -> int:
    """Give every company without a membership one in the lowest tier; returns how many.

    Set-based (the nightly jobs start here): a few statements per 2,000 new members."""
    count = 0
    tier = None
    while True:
        companies = list(
            Company.objects.filter(membership__isnull=True).order_by("pk").values_list("pk", flat=True)[:CHUNK]
        )
        if not companies:
            return count
        tier = tier or base_tier()
        with transaction.atomic():
            with_rules = set(PriceRule.objects.filter(company_id__in=companies).values_list("company_id", flat=True))
            Membership.objects.bulk_create(
                [
                    # a company with its own rules gets a rules version (member_tiers.rule_index)
                    Membership(company_id=pk, tier=tier, rules_version=uuid.uuid4() if pk in with_rules else None)
                    for pk in companies
                ],
                ignore_conflicts=True,
            )
            joined = Membership.objects.filter(company_id__in=companies, tier_changes__isnull=True)
            TierChange.objects.bulk_create(
                TierChange(membership_id=pk, to_tier_id=tier_id, kind=TierChange.AUTOMATIC, reason=_("Joined"))
                for pk, tier_id in joined.values_list("pk", "tier_id")
            )
        count += len(companies)


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


def rolling_spend(company: Company, window_days: int, now: datetime) -> Decimal:
    """The company's paid spend over the last ``window_days`` (orders of all its people)."""
    since = now - timedelta(days=window_days)
    orders = Order.objects.filter(company=company, date_placed__gte=since)
    total = paid_orders(orders).aggregate(s=Sum("total_incl_tax"))["s"]
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


def spend_since(since: datetime) -> Coalesce:
    """A member company's paid spend since ``since``, as an expression on Membership (a correlated
    subquery over the kernel's paid orders: orders with a ``paid`` payment event, not cancelled)."""
    orders = paid_orders(Order.objects.filter(company=OuterRef("company_id"), date_placed__gte=since))
    total = orders.order_by().values("company").annotate(s=Sum("total_incl_tax")).values("s")[:1]
    money = DecimalField(max_digits=14, decimal_places=2)
    return Coalesce(Subquery(total, output_field=money), Value(Decimal("0.00")), output_field=money)


def requalify(now: datetime | None = None) -> dict[str, int]:
    """Move every member to the tier their rolling spend earns: up or **down**. Idempotent.

    Members whose tier an operator set by hand in the last MEMBER_TIER_MANUAL_HOLD_DAYS are left alone.

    Set-based: the database computes every member's spend per rolling window and the tier it
    earns (``qualifying_tier`` as a CASE over the tiers) and returns only the members who move,
    2,000 at a time; each batch is locked, audited (TierChange rows) and moved in a few
    statements. The queries of a run do not grow with the members, only with the batches of
    members who change tier; memory holds one batch.
    """
    now = now or timezone.now()
    ensure_memberships()
    tiers = list(Tier.objects.order_by("rank"))
    if not tiers:
        return {"upgraded": 0, "downgraded": 0}
    by_pk = {t.pk: t for t in tiers}
    windows = sorted({t.window_days for t in tiers})
    held = TierChange.objects.filter(kind=TierChange.MANUAL, created_at__gte=now - timedelta(days=manual_hold_days()))
    earns = Case(
        # the best tier whose threshold its window's spend reaches; the lowest tier always
        *(When(**{f"spend_{t.window_days}__gte": t.upgrade_threshold}, then=Value(t.pk)) for t in reversed(tiers)),
        default=Value(tiers[0].pk),
        output_field=IntegerField(),
    )
    moving = (
        Membership.objects.exclude(pk__in=held.values("membership_id"))
        .annotate(**{f"spend_{w}": spend_since(now - timedelta(days=w)) for w in windows})
        .annotate(target=earns)
        .exclude(target=F("tier_id"))
        .order_by("pk")
    )
    fields = ("pk", "tier_id", "target", *(f"spend_{w}" for w in windows))
    counts = {"upgraded": 0, "downgraded": 0}
    last = 0
    while True:
        batch = list(moving.filter(pk__gt=last).values_list(*fields)[:CHUNK])
        if not batch:
            return counts
        last = batch[-1][0]
        with transaction.atomic():
            # a member an operator moved meanwhile is left to the next run
            current = dict(
                Membership.objects.select_for_update()
                .filter(pk__in=[row[0] for row in batch])
                .values_list("pk", "tier_id")
            )
            changes, moves = [], {}
            for pk, tier_id, target_id, *spends in batch:
                if current.get(pk) != tier_id:
                    continue
                spend = dict(zip(windows, spends, strict=True))
                old, target = by_pk[tier_id], by_pk[target_id]
                up = target.rank > old.rank
                window = target.window_days if up else old.window_days
                reason = (
                    _("Rolling %(days)s-day spend ¥%(spend)s reaches %(tier)s")
                    if up
                    else _("Rolling %(days)s-day spend ¥%(spend)s is below %(tier)s")
                ) % {"days": window, "spend": fen(spend[window]), "tier": (target if up else old).name}
                changes.append(
                    TierChange(
                        membership_id=pk,
                        from_tier_id=old.pk,
                        to_tier_id=target.pk,
                        kind=TierChange.AUTOMATIC,
                        reason=reason,
                    )
                )
                moves.setdefault(target.pk, []).append(pk)
                counts["upgraded" if up else "downgraded"] += 1
            TierChange.objects.bulk_create(changes)
            for target_id, pks in moves.items():
                Membership.objects.filter(pk__in=pks).update(tier_id=target_id)


def next_tier_progress(membership: Membership, now: datetime | None = None) -> dict | None:
    now = now or timezone.now()
    nxt = Tier.objects.filter(rank__gt=membership.tier.rank).order_by("rank").first()
    if nxt is None:
        return None
    spend = rolling_spend(membership.company, nxt.window_days, now)
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


GRADES = tuple(code for code, _label in Membership.GRADES)


def set_grade(membership: Membership, grade: str, *, by=None) -> Membership:
    """Set the value grade (A/B/C, or empty) by hand, e.g. from a customer import. The nightly
    RFM job recomputes every grade from paid orders, so a hand-set grade holds until then."""
    grade = (grade or "").strip().upper()
    if grade and grade not in GRADES:
        raise ValidationError({"grade": _("Choose one of: %(choices)s.") % {"choices": " / ".join(GRADES)}})
    membership.grade = grade
    membership.save(update_fields=["grade"])
    return membership
