"""Points: earned on paid orders at the tier's rate, redeemed at checkout within a cap, expired oldest first."""

from datetime import datetime, timedelta
from decimal import ROUND_DOWN, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Least
from django.utils import timezone
from django.utils.translation import gettext as _

from core.money import fen
from plugins.member_tiers import conf
from plugins.member_tiers.models import Membership, PointsEntry
from plugins.member_tiers.services.members import membership_of_company

#: members whose points expire, handled per batch of statements (memory holds one batch)
EXPIRY_BATCH = 2000


def _append(membership: Membership, kind: str, points: int, *, now=None, **fields) -> PointsEntry:
    """Write a ledger entry and move the balance, under a row lock on the membership."""
    locked = Membership.objects.select_for_update().get(pk=membership.pk)
    if locked.points_balance + points < 0:
        raise ValidationError({"points": _("Only %(n)s points are available.") % {"n": locked.points_balance}})
    entry = PointsEntry.objects.create(
        membership=locked, kind=kind, points=points, created_at=now or timezone.now(), **fields
    )
    locked.points_balance += points
    locked.save(update_fields=["points_balance"])
    membership.points_balance = locked.points_balance
    return entry


def points_for_amount(amount: Decimal, rate: Decimal) -> int:
    return int((amount * rate).to_integral_value(rounding=ROUND_DOWN))


@transaction.atomic
def earn_for_order(order, now: datetime | None = None) -> PointsEntry | None:
    """Points for a paid order, once per order (a second call does nothing)."""
    if order.company_id is None:  # an order from before companies, of a person who had none
        return None
    membership = membership_of_company(order.company)
    if PointsEntry.objects.filter(membership=membership, kind=PointsEntry.EARN, order_number=order.number).exists():
        return None
    points = points_for_amount(order.total_incl_tax, membership.tier.points_per_yuan)
    if points <= 0:
        return None
    now = now or timezone.now()
    return _append(
        membership,
        PointsEntry.EARN,
        points,
        now=now,
        order_number=order.number,
        reason=_("Order %(number)s paid") % {"number": order.number},
        expires_at=now + timedelta(days=conf.points_expiry_days()),
    )


@transaction.atomic
def adjust(membership: Membership, points: int, *, reason: str, by=None) -> PointsEntry:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the adjustment.")})
    if points == 0:
        raise ValidationError({"points": _("The adjustment cannot be zero.")})
    return _append(membership, PointsEntry.ADJUST, points, reason=reason, created_by=by)


def redeemable(membership: Membership, order_total: Decimal) -> int:
    """The most points this order may use: the balance, within the cap on the order total."""
    cap_value = order_total * conf.points_redeem_cap_percent() / Decimal("100")
    cap_points = int((cap_value * conf.points_per_yuan_redeemed()).to_integral_value(rounding=ROUND_DOWN))
    return max(min(membership.points_balance, cap_points), 0)


def value_of(points: int) -> Decimal:
    return fen(Decimal(points) / Decimal(conf.points_per_yuan_redeemed()))


def check_redemption(membership: Membership, points: int, order_total: Decimal) -> None:
    if points < 0:
        raise ValidationError({"points": _("Points to redeem cannot be negative.")})
    allowed = redeemable(membership, order_total)
    if points > allowed:
        raise ValidationError(
            {
                "points": _("You can redeem at most %(n)s points on this order (%(cap)s%% of its total).")
                % {"n": allowed, "cap": conf.points_redeem_cap_percent().normalize()}
            }
        )


@transaction.atomic
def redeem(membership: Membership, points: int, order_total: Decimal, order_number: str) -> PointsEntry:
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    check_redemption(membership, points, order_total)
    return _append(
        membership,
        PointsEntry.REDEEM,
        -points,
        order_number=order_number,
        reason=_("Redeemed on order %(number)s") % {"number": order_number},
    )


def restore_redemption(order) -> PointsEntry | None:
    """Give back points redeemed on an order that was cancelled (once)."""
    return restore_redemption_number(order.number)


@transaction.atomic
def restore_redemption_number(order_number: str) -> PointsEntry | None:
    redeemed = PointsEntry.objects.filter(kind=PointsEntry.REDEEM, order_number=order_number).first()
    if redeemed is None:
        return None
    if PointsEntry.objects.filter(
        membership=redeemed.membership, kind=PointsEntry.ADJUST, order_number=order_number
    ).exists():
        return None
    reason = _("Order %(number)s not placed or cancelled: points returned") % {"number": order_number}
    return _append(redeemed.membership, PointsEntry.ADJUST, -redeemed.points, reason=reason, order_number=order_number)


@transaction.atomic
def withdraw_earned(order) -> PointsEntry | None:
    """A paid order was cancelled: the points it earned are withdrawn, once, as far as the balance
    still holds them (points already spent are not clawed back)."""
    earned = PointsEntry.objects.filter(kind=PointsEntry.EARN, order_number=order.number).first()
    if earned is None:
        return None
    membership = Membership.objects.select_for_update().get(pk=earned.membership_id)
    if PointsEntry.objects.filter(membership=membership, kind=PointsEntry.WITHDRAW, order_number=order.number).exists():
        return None
    points = min(earned.points, membership.points_balance)
    if points <= 0:
        return None
    reason = _("Order %(number)s cancelled: the points it earned are withdrawn") % {"number": order.number}
    return _append(membership, PointsEntry.WITHDRAW, -points, order_number=order.number, reason=reason)


@transaction.atomic
def expire_points(now: datetime | None = None) -> int:
    """Expire earned points past their date that were not used, oldest first. Idempotent.

    Points are consumed oldest first, so what expires is the expired earnings minus everything
    already consumed (redeemed, expired, negative adjustments), at most the balance.

    Set-based: the database computes what is due per member and returns only members with
    points to expire, 2,000 at a time; each batch is locked and written in two statements
    (the ledger entries, the balances). Queries grow only with the batches of members who have
    points expiring, never with all members; memory holds one batch.
    """
    now = now or timezone.now()
    entries = PointsEntry.objects.filter(membership=OuterRef("pk")).order_by().values("membership")

    def total(rows):
        return Coalesce(Subquery(rows.annotate(s=Sum("points")).values("s")[:1]), Value(0))

    expired_earned = total(entries.filter(kind=PointsEntry.EARN, expires_at__lte=now))
    consumed = total(entries.filter(points__lt=0))  # negative
    due = Membership.objects.annotate(due=Least(expired_earned + consumed, F("points_balance"))).filter(due__gt=0)
    expired = 0
    last = 0
    while True:
        batch = list(due.filter(pk__gt=last).order_by("pk").values_list("pk", "due")[:EXPIRY_BATCH])
        if not batch:
            return expired
        last = batch[-1][0]
        with transaction.atomic():
            locked = {m.pk: m for m in Membership.objects.select_for_update().filter(pk__in=[pk for pk, _due in batch])}
            rows = []
            for pk, points in batch:
                membership = locked[pk]
                points = min(points, membership.points_balance)
                if points <= 0:
                    continue
                rows.append(
                    PointsEntry(
                        membership=membership,
                        kind=PointsEntry.EXPIRE,
                        points=-points,
                        created_at=now,
                        reason=_("Points expired"),
                    )
                )
                membership.points_balance -= points
                expired += points
            PointsEntry.objects.bulk_create(rows)
            Membership.objects.bulk_update([row.membership for row in rows], ["points_balance"])
