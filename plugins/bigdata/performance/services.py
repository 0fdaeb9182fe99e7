"""Writing targets and the score's weights (operators only). All or nothing: every row is checked
first (``check_targets``: the one place for the rules, which the editor's forms also call to put
each message on its field) and nothing is written when one is wrong."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.access import is_operator
from core.regions import PROVINCES
from plugins.bigdata.performance import selectors
from plugins.bigdata.performance.models import SalesTarget, ScoreWeights, TargetOwner
from plugins.bigdata.performance.periods import TargetPeriod

_PROVINCE_CODES = {province.code for province in PROVINCES}


@dataclass(frozen=True)
class TargetInput:
    #: the target to change (None: a new one)
    id: int | None
    owner_kind: str
    salesperson_id: int | None
    province_code: str
    period: TargetPeriod
    revenue: Decimal | None
    new_customers: int | None
    collections: Decimal | None

    def key(self) -> tuple:
        owner = self.salesperson_id if self.owner_kind == TargetOwner.SALESPERSON else self.province_code
        return (self.owner_kind, owner, self.period.level.value, self.period.start)


def _refuse_amount(value) -> str | None:
    if value is None:
        return None
    if value < 0:
        return _("A target cannot be negative.")
    if value == 0:
        return _("A target must be above zero; leave it blank for no target.")
    return None


def check_targets(rows: Sequence[TargetInput], delete_ids: Sequence[int] = ()) -> dict[int, dict[str, list[str]]]:
    """row index → field → messages (``__all__`` for the row as a whole); empty when all is well.
    Fields: owner, period, revenue, new_customers, collections."""
    errors: dict[int, dict[str, list[str]]] = {}

    def refuse(i: int, field: str, message: str) -> None:
        errors.setdefault(i, {}).setdefault(field, []).append(message)

    salespeople = {r.salesperson_id for r in rows if r.salesperson_id}
    known = set(selectors.salesperson_candidates().filter(pk__in=salespeople).values_list("pk", flat=True))
    seen: dict[tuple, int] = {}
    for i, row in enumerate(rows):
        if row.owner_kind == TargetOwner.SALESPERSON:
            if row.salesperson_id not in known:
                refuse(i, "owner", _("Unknown salesperson."))
        elif row.owner_kind == TargetOwner.REGION:
            if row.province_code not in _PROVINCE_CODES:
                refuse(i, "owner", _("Unknown province."))
        else:
            refuse(i, "owner", _("Choose whom the target is for."))
        for field in ("revenue", "new_customers", "collections"):
            message = _refuse_amount(getattr(row, field))
            if message:
                refuse(i, field, message)
        if row.revenue is None and row.new_customers is None and row.collections is None:
            refuse(i, "__all__", _("Set at least one target (revenue, new companies or collections)."))
        if row.key() in seen:
            refuse(
                i,
                "period",
                _("Row %(row)d already sets the targets for this period.") % {"row": seen[row.key()] + 1},
            )
        else:
            seen[row.key()] = i
    # clashes with targets this save leaves as they are
    touched = {r.id for r in rows if r.id} | set(delete_ids)
    for i, row in enumerate(rows):
        if i in errors:
            continue
        clash = SalesTarget.objects.filter(
            owner_kind=row.owner_kind, level=row.period.level.value, period_start=row.period.start
        ).exclude(pk__in=touched)
        if row.owner_kind == TargetOwner.SALESPERSON:
            clash = clash.filter(salesperson_id=row.salesperson_id)
        else:
            clash = clash.filter(province_code=row.province_code)
        if clash.exists():
            refuse(i, "period", _("Targets for this period are already set (%(period)s).") % {"period": row.period})
    return errors


@transaction.atomic
def save_targets(*, rows: Sequence[TargetInput], delete_ids: Sequence[int] = (), by) -> int:
    """Create, change and delete targets in one go; ``ValidationError`` (and nothing written) when
    a row breaks a rule or the asker is no operator. Returns the number of rows written."""
    if not is_operator(by):
        raise ValidationError(_("Only operators set targets."), code="forbidden")
    errors = check_targets(rows, delete_ids)
    if errors:
        i, fields = next(iter(sorted(errors.items())))
        field, messages = next(iter(fields.items()))
        raise ValidationError(_("Row %(row)d: %(message)s") % {"row": i + 1, "message": messages[0]}, code="invalid")
    existing = {t.pk: t for t in SalesTarget.objects.select_for_update().filter(pk__in={r.id for r in rows if r.id})}
    if len(existing) != len({r.id for r in rows if r.id}):
        raise ValidationError(_("A target was deleted meanwhile; reload the page."), code="not_found")
    SalesTarget.objects.filter(pk__in=delete_ids).delete()
    written = 0
    try:
        with transaction.atomic():
            for row in rows:
                target = existing.get(row.id) if row.id else SalesTarget()
                target.owner_kind = row.owner_kind
                target.salesperson_id = row.salesperson_id if row.owner_kind == TargetOwner.SALESPERSON else None
                target.province_code = row.province_code if row.owner_kind == TargetOwner.REGION else ""
                target.level = row.period.level.value
                target.period_start = row.period.start
                target.revenue = row.revenue
                target.new_customers = row.new_customers
                target.collections = row.collections
                target.updated_by = by
                target.save()
                written += 1
    except IntegrityError:
        # two rows swapping periods, or a concurrent save of the same period
        raise ValidationError(
            _("Targets for one of these periods were set meanwhile; reload the page."), code="conflict"
        ) from None
    return written


@transaction.atomic
def save_weights(*, revenue: int, new_customers: int, collections: int, cap: int | None, by) -> ScoreWeights:
    """Store the score's weights (percent, summing to 100) and the cap (≥ 100 %, or None: no cap)."""
    if not is_operator(by):
        raise ValidationError(_("Only operators set the weights."), code="forbidden")
    errors: dict[str, list[str]] = {}
    for name, value in (("revenue", revenue), ("new_customers", new_customers), ("collections", collections)):
        if value is None or not 0 <= value <= 100:
            errors[name] = [_("A weight is a whole percent from 0 to 100.")]
    if not errors and revenue + new_customers + collections != 100:
        errors["__all__"] = [
            _("The weights must add up to 100 %% (now %(sum)d %%).") % {"sum": revenue + new_customers + collections}
        ]
    if cap is not None and not 100 <= cap <= 1000:
        errors["cap"] = [_("The cap is from 100 % to 1000 %; leave it blank for no cap.")]
    if errors:
        raise ValidationError(errors)
    row = ScoreWeights.objects.select_for_update().order_by("pk").first() or ScoreWeights()
    row.revenue, row.new_customers, row.collections, row.cap = revenue, new_customers, collections, cap
    row.updated_by = by
    row.save()
    return row
