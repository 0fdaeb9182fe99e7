"""Fact tags (spend, orders, last order, average) and the RFM value grade, recomputed nightly; manual tags."""

from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import (
    Avg,
    Case,
    CharField,
    Count,
    DateTimeField,
    DecimalField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.orders.payments import paid_orders
from plugins.member_tiers.models import Membership, Tag
from plugins.member_tiers.services.members import ensure_memberships

Order = get_model("order", "Order")


#: the RFM thresholds (low, high): recency in days (lower is better), orders, paid spend
RECENCY_DAYS = (14, 45)
FREQUENCY = (8, 15)
MONETARY = (Decimal("20000"), Decimal("60000"))
HALF_FEN = Decimal("0.005")


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
        _score(recency_days, RECENCY_DAYS, higher_is_better=False)
        + _score(frequency, FREQUENCY)
        + _score(monetary, MONETARY)
    )
    return "A" if score >= 8 else "B" if score >= 5 else "C"


def _points(*whens: When) -> Case:
    return Case(*whens, default=Value(1), output_field=IntegerField())


def grade_expression(now: datetime) -> Case:
    """``grade_for`` as SQL over a membership's fact columns (the same thresholds)."""
    # whole days since the last order ≤ n  ⇔  the last order is less than n + 1 days ago
    recency = _points(
        When(last_order_at__gt=now - timedelta(days=RECENCY_DAYS[0] + 1), then=Value(3)),
        When(last_order_at__gt=now - timedelta(days=RECENCY_DAYS[1] + 1), then=Value(2)),
    )
    frequency = _points(
        When(order_count__gte=FREQUENCY[1], then=Value(3)), When(order_count__gte=FREQUENCY[0], then=Value(2))
    )
    # spend to the fen: a sum stored with float noise (SQLite) still meets its threshold
    monetary = _points(
        When(total_spend__gte=MONETARY[1] - HALF_FEN, then=Value(3)),
        When(total_spend__gte=MONETARY[0] - HALF_FEN, then=Value(2)),
    )
    score = recency + frequency + monetary
    return Case(
        When(Q(last_order_at__isnull=True) | Q(order_count=0), then=Value("C")),
        When(GreaterThanOrEqual(score, 8), then=Value("A")),
        When(GreaterThanOrEqual(score, 5), then=Value("B")),
        default=Value("C"),
        output_field=CharField(),
    )


def _paid_per_member(aggregate, field):
    """An aggregate over a member company's paid orders (kernel definition), as a correlated subquery."""
    orders = paid_orders(Order.objects.filter(company=OuterRef("company_id"))).order_by().values("company")
    return Subquery(orders.annotate(v=aggregate).values("v")[:1], output_field=field)


@transaction.atomic
def recompute_facts(now: datetime | None = None) -> int:
    """Recompute every member's fact tags and value grade from paid orders. Returns how many.

    Set-based: two UPDATE statements for all members (the facts from correlated aggregates over
    their paid orders, then the grade from the facts), whatever the number of members or
    orders; nothing is loaded into Python."""
    now = now or timezone.now()
    ensure_memberships()
    money = DecimalField(max_digits=14, decimal_places=2)
    zero = Value(Decimal("0.00"))
    count = Membership.objects.update(
        total_spend=Coalesce(_paid_per_member(Sum("total_incl_tax"), money), zero, output_field=money),
        order_count=Coalesce(_paid_per_member(Count("id"), IntegerField()), Value(0)),
        last_order_at=_paid_per_member(Max("date_placed"), DateTimeField()),
        average_order_value=Coalesce(_paid_per_member(Avg("total_incl_tax"), money), zero, output_field=money),
        facts_updated_at=Value(now, output_field=DateTimeField()),
    )
    Membership.objects.update(grade=grade_expression(now))
    return count


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
