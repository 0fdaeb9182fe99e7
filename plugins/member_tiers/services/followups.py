"""Follow-ups (跟进记录): a salesperson's visits and calls to a customer company.

Who may record and see a company's follow-ups is who may see its membership
(``selectors.members_visible_to``): operators every company, a salesperson the companies they own.
A follow-up is recorded by the person who made the contact (its ``salesperson``); its next step is
due from ``next_step_on`` until someone marks it done.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.member_tiers import selectors
from plugins.member_tiers.models import FollowUp, Membership

KINDS = tuple(kind for kind, _label in FollowUp.KINDS)


def record(
    *,
    membership: Membership,
    by,
    kind: str,
    happened_at: datetime | None,
    note: str,
    outcome: str = "",
    next_step: str = "",
    next_step_on=None,
    now: datetime | None = None,
) -> FollowUp:
    """Record a contact with ``membership``'s company; ValidationError by field, nothing saved."""
    now = now or timezone.now()
    if not selectors.members_visible_to(by).filter(pk=membership.pk).exists():
        raise ValidationError(_("You may record follow-ups only for your own customers."), code="forbidden")
    errors: dict[str, list[ValidationError]] = {}
    note, outcome, next_step = (note or "").strip(), (outcome or "").strip(), (next_step or "").strip()
    if kind not in KINDS:
        errors.setdefault("kind", []).append(ValidationError(_("Choose a visit, a call or other."), code="invalid"))
    if not note:
        errors.setdefault("note", []).append(ValidationError(_("Write what was discussed."), code="required"))
    if happened_at is None:
        errors.setdefault("happened_at", []).append(ValidationError(_("Fill in this field."), code="required"))
    elif happened_at > now:
        errors.setdefault("happened_at", []).append(
            ValidationError(_("A follow-up cannot have happened in the future."), code="future")
        )
    if next_step_on is not None and next_step_on < timezone.localdate(now):
        errors.setdefault("next_step_on", []).append(
            ValidationError(_("The next step's date cannot be in the past."), code="past")
        )
    if next_step and next_step_on is None:
        errors.setdefault("next_step_on", []).append(
            ValidationError(_("Give the date of the next step."), code="required")
        )
    if errors:
        raise ValidationError(errors)
    return FollowUp.objects.create(
        company_id=membership.company_id,
        salesperson=by,
        kind=kind,
        happened_at=happened_at,
        note=note,
        outcome=outcome,
        next_step=next_step,
        next_step_on=next_step_on,
    )


@transaction.atomic
def mark_done(*, follow_up_id: int, by, now: datetime | None = None) -> FollowUp:
    """Mark a follow-up's next step done (once); a follow-up the asker may not see is a 404-like
    ValidationError (``not_found``)."""
    follow_up = selectors.follow_ups_visible_to(by).select_for_update(of=("self",)).filter(pk=follow_up_id).first()
    if follow_up is None:
        raise ValidationError(_("No such follow-up."), code="not_found")
    if follow_up.done_at is not None:
        raise ValidationError(_("This follow-up is already done."), code="done")
    follow_up.done_at = now or timezone.now()
    follow_up.save(update_fields=["done_at"])
    return follow_up
