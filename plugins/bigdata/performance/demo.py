"""Demo targets: every salesperson (owners of member_tiers customers and anyone sales are credited
to on the facts) gets monthly targets from eleven months back to the end of this year, quarterly
targets and a yearly target for this year; the five provinces with the most sales get the same.
Amounts follow each one's own sales (a month's target is its average month × 0.8 … 1.3, drawn
from the owner and month, so the demo shows targets met and missed). Idempotent: a target that
exists is left as it is (an operator's edit stays). Run after the demo's orders and facts."""

from __future__ import annotations

import hashlib
from datetime import datetime
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.money import from_fen
from plugins.bigdata.backends import backend
from plugins.bigdata.backends.base import Dimension, Filters, Period
from plugins.bigdata.models import MonthlySales
from plugins.bigdata.performance import periods
from plugins.bigdata.performance.models import SalesTarget, TargetOwner
from plugins.bigdata.performance.periods import Level, TargetPeriod

#: a month's target for an owner without sales yet, yuan
DEFAULT_MONTH = 50_000_00
FACTORS = (80, 90, 100, 105, 110, 120, 130)


def _factor(*parts) -> int:
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return FACTORS[digest[0] % len(FACTORS)]


def salespeople() -> list[int]:
    """Owners of member_tiers customers and everyone sales are credited to."""
    ids = set(MonthlySales.objects.exclude(salesperson_id=0).values_list("salesperson_id", flat=True))
    if apps.is_installed("plugins.member_tiers"):
        ids |= set(get_user_model().objects.filter(owned_members__isnull=False).values_list("pk", flat=True).distinct())
    return sorted(ids)


def _targets_for(owner: dict, month_fen: int, months: list, year_start) -> int:
    made = 0
    key = owner.get("salesperson_id") or owner.get("province_code")

    def put(tp: TargetPeriod, fen: int, new: int) -> None:
        nonlocal made
        revenue = from_fen(max(fen, 100_00) // 100 * 100)  # whole yuan
        _target, created = SalesTarget.objects.get_or_create(
            level=tp.level.value,
            period_start=tp.start,
            **owner,
            defaults={
                "revenue": revenue,
                "new_customers": new,
                "collections": (revenue * Decimal("0.85")).quantize(Decimal("1")),
            },
        )
        made += created

    for month in months:
        put(TargetPeriod(Level.MONTH, month), month_fen * _factor(key, month) // 100, 1 + _factor(key, month) % 3)
    for q in range(4):
        start = periods.add_months(year_start, 3 * q)
        put(TargetPeriod(Level.QUARTER, start), month_fen * 3 * _factor(key, start, "q") // 100, 2 + q % 2)
    put(TargetPeriod(Level.YEAR, year_start), month_fen * 12, 8)
    return made


def seed(report=None, *, now: datetime | None = None, seed=None) -> int:
    """Create the missing demo targets; returns how many were made."""
    today = timezone.localdate(now) if now else timezone.localdate()
    this_month = today.replace(day=1)
    year_start = today.replace(month=1, day=1)
    months = [periods.add_months(this_month, -i) for i in range(11, 0, -1)]
    months += [m for m in (periods.add_months(year_start, i) for i in range(12)) if m >= this_month]
    # the last twelve months up to today: what each owner's monthly average is taken from
    past = Filters(period=Period(periods.add_months(this_month, -11), today))

    made = 0
    by_salesperson = {r.key: r.revenue for r in backend().performance(past, Dimension.SALESPERSON)}
    for person in salespeople():
        average_month = by_salesperson.get(str(person), 0) // 12
        made += _targets_for(
            {"owner_kind": TargetOwner.SALESPERSON, "salesperson_id": person, "province_code": ""},
            average_month if average_month > 0 else DEFAULT_MONTH,
            months,
            year_start,
        )
    provinces = sorted(
        (r for r in backend().performance(past, Dimension.PROVINCE) if r.key and r.revenue > 0),
        key=lambda r: (-r.revenue, r.key),
    )[:5]
    for row in provinces:
        made += _targets_for(
            {"owner_kind": TargetOwner.REGION, "salesperson_id": None, "province_code": row.key},
            row.revenue // 12,
            months,
            year_start,
        )
    if report is not None:
        report.notes.append(f"analytics: {made} sales targets")
    return made
