"""The price floor: no member price below the supplier's cost plus a margin, unless a rule
carries an override with a reason.

The margin is the rule's own (``PriceRule.floor_margin_percent``) or, when it names none, the
platform's default: ``PricingPolicy`` as an operator last saved it, else the setting
``MEMBER_DEFAULT_FLOOR_MARGIN_PERCENT`` (member_tiers.conf, 0 %: never below cost). Changing the
default is audited (FloorAudit: who, when, from, to) and replaces every compiled rule index, so
every process prices with the new default on its next request (rule_index keeps the default
with the tier's compiled rules: no query per request).
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.member_tiers import conf
from plugins.member_tiers.models import FloorAudit, PriceRule, PricingPolicy

MAX_MARGIN = Decimal("1000")


def default_floor_margin() -> Decimal:
    """The margin over cost that holds for a rule naming none (one query)."""
    value = PricingPolicy.objects.filter(pk=1).values_list("default_floor_margin_percent", flat=True).first()
    return conf.default_floor_margin_percent() if value is None else value


def policy() -> PricingPolicy:
    """The policy as it stands (unsaved with the setting's default until an operator saves it)."""
    return PricingPolicy.objects.filter(pk=1).select_related("updated_by").first() or PricingPolicy(
        pk=1, default_floor_margin_percent=conf.default_floor_margin_percent()
    )


@transaction.atomic
def set_default_floor_margin(*, margin: Decimal, by, reason: str = "") -> PricingPolicy:
    """Set the platform's default floor margin; audited, and every price uses it from now on."""
    from plugins.member_tiers import rule_index

    if margin is None or not margin.is_finite() or not (0 <= margin <= MAX_MARGIN):
        raise ValidationError(
            {"default_floor_margin_percent": _("The margin must be between 0 and %(max)s %%.") % {"max": MAX_MARGIN}}
        )
    margin = margin.quantize(Decimal("0.01"))
    current = PricingPolicy.objects.select_for_update().filter(pk=1).first()
    before = current.default_floor_margin_percent if current else conf.default_floor_margin_percent()
    now = timezone.now()
    row, _created = PricingPolicy.objects.update_or_create(
        pk=1, defaults={"default_floor_margin_percent": margin, "updated_by": by, "updated_at": now}
    )
    if before != margin:
        FloorAudit.objects.create(
            kind=FloorAudit.DEFAULT_CHANGED,
            from_value=f"{before}%",
            to_value=f"{margin}%",
            reason=(reason or "").strip()[:255],
            by=by,
            at=now,
        )
        rule_index.all_rules_changed()
    return row


def stamp_override(rule: PriceRule, *, by, previous_reason: str = "", now=None) -> FloorAudit | None:
    """Stamp who gave (or withdrew) a rule's floor override and when, before it is saved; the
    audit row is returned unsaved (the rule needs its id first: ``record_override``)."""
    reason = (rule.floor_override_reason or "").strip()
    rule.floor_override_reason = reason
    if reason == (previous_reason or ""):
        return None
    now = now or timezone.now()
    if reason:
        rule.floor_override_by, rule.floor_override_at = by, now
        return FloorAudit(kind=FloorAudit.OVERRIDE_GIVEN, from_value=previous_reason, reason=reason, by=by, at=now)
    rule.floor_override_by, rule.floor_override_at = None, None
    return FloorAudit(kind=FloorAudit.OVERRIDE_WITHDRAWN, from_value=previous_reason, by=by, at=now)


def record_overrides(pairs) -> None:
    """Save the audit rows of saved rules: ``pairs`` of (rule, FloorAudit or None)."""
    rows = []
    for rule, audit in pairs:
        if audit is not None:
            audit.rule, audit.rule_label = rule, str(rule)[:255]
            rows.append(audit)
    FloorAudit.objects.bulk_create(rows)


def overrides():
    """Rules that may price below their floor, newest override first (operators' page)."""
    return (
        PriceRule.objects.exclude(floor_override_reason="")
        .select_related("tier", "company", "product", "category", "floor_override_by")
        .order_by("-floor_override_at", "-id")
    )


def audit_trail(limit: int = 100):
    return FloorAudit.objects.select_related("by").order_by("-at", "-id")[:limit]
