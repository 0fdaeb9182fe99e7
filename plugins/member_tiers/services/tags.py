"""Fact tags (spend, orders, last order, average) and the RFM value grade, recomputed nightly; manual tags."""

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Avg, Count, Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.orders.payments import paid_orders
from plugins.member_tiers.models import Membership, Tag
from plugins.member_tiers.services.members import ensure_memberships

Order = get_model("order", "Order")


def _score(value, thresholds: tuple, higher_is_better: bool = True) -> int:
    """1–3 by thresholds (low, high)."""
    low, high = thresholds
    if higher_is_better:
        return 3 if value >= high else 2 if value >= low else 1
    return 3 if value <= low else 2 if value <= high else 1


def grade_for(recency_days: int | None, frequency: int, monetary: Decimal) -> str:
    """A: best customers (RFM score ≥ 8 of 9), B: 5–7, C: the rest or no paid order.

    Recency: ≤ 14 days → 3, ≤ 45 → 2, else 1. Frequency: ≥ 15 orders → 3, ≥ 8 → 2.
    Monetary: ≥ ¥60,000 → 3, ≥ ¥20,000 → 2.
    """
    if recency_days is None or frequency == 0:
        return "C"
    score = (
        _score(recency_days, (14, 45), higher_is_better=False)
        + _score(frequency, (8, 15))
        + _score(monetary, (Decimal("20000"), Decimal("60000")))
    )
    return "A" if score >= 8 else "B" if score >= 5 else "C"


@transaction.atomic
def recompute_facts(now: datetime | None = None) -> int:
    """Recompute every member's fact tags and value grade from paid orders (one aggregate query)."""
    now = now or timezone.now()
    ensure_memberships()
    stats = {
        row["user"]: row
        for row in paid_orders(Order.objects.filter(user__isnull=False))
        .values("user")
        .annotate(spend=Sum("total_incl_tax"), n=Count("id"), last=Max("date_placed"), avg=Avg("total_incl_tax"))
    }
    members = list(Membership.objects.all())
    for m in members:
        row = stats.get(m.user_id)
        m.total_spend = row["spend"] if row else Decimal("0.00")
        m.order_count = row["n"] if row else 0
        m.last_order_at = row["last"] if row else None
        m.average_order_value = Decimal(row["avg"]).quantize(Decimal("0.01")) if row else Decimal("0.00")
        recency = (now - m.last_order_at).days if m.last_order_at else None
        m.grade = grade_for(recency, m.order_count, m.total_spend)
        m.facts_updated_at = now
    Membership.objects.bulk_update(
        members,
        ["total_spend", "order_count", "last_order_at", "average_order_value", "grade", "facts_updated_at"],
        batch_size=500,
    )
    return len(members)


@transaction.atomic
def set_tags(membership: Membership, names: list[str]) -> list[Tag]:
    clean = []
    for name in names:
        name = name.strip()
        if not name:
            continue
        if len(name) > 32:
            raise ValidationError({"tags": _("A tag has at most 32 characters: “%(name)s”.") % {"name": name}})
        clean.append(name)
    tags = [Tag.objects.get_or_create(name=name)[0] for name in dict.fromkeys(clean)]
    membership.tags.set(tags)
    return tags
