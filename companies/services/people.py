"""A company's people: add an existing user with a role, change the role, deactivate and
reactivate. A company always keeps at least one active admin. Each change is audited in
core.TransitionLog (machine ``company_member``: from → to is the role, or active/inactive).

Who may call these (the company's admins, operators) is checked by the views and mutations with
``selectors.can(user, "manage_people", company)``; the services keep the invariants.
"""

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from companies import selectors
from companies.models import Company, CompanyMember, Role
from companies.signals import member_deactivated
from core.access import DISTRIBUTOR, party_of
from core.models import TransitionLog

MACHINE = "company_member"
ACTIVE, INACTIVE = "active", "inactive"


def _log(member: CompanyMember, from_state: str, to_state: str, actor, reason: str = "", now=None) -> None:
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(CompanyMember),
        object_id=str(member.pk),
        machine=MACHINE,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        via="web",
        reason=reason,
        created_at=now or timezone.now(),
    )


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": ValidationError(_("Choose a role from the list."), code="invalid")})


def _locked_company(company: Company) -> Company:
    """Lock the company row: changes to its people queue here, so two admins cannot demote each
    other at once and leave it without one."""
    return Company.objects.select_for_update().get(pk=company.pk)


def _other_active_admins(member: CompanyMember) -> bool:
    return (
        CompanyMember.objects.filter(company_id=member.company_id, role=Role.ADMIN, is_active=True)
        .exclude(pk=member.pk)
        .exists()
    )


def _last_admin_error(field: str) -> ValidationError:
    return ValidationError(
        {
            field: ValidationError(
                _("A company needs at least one active administrator: make someone else an administrator first."),
                code="last_admin",
            )
        }
    )


def find_user(email: str):
    """The user an admin names by e-mail (case-insensitive), or ValidationError on ``email``."""
    email = (email or "").strip()
    if not email:
        raise ValidationError({"email": ValidationError(_("Enter the person's e-mail address."), code="required")})
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).order_by("pk").first()
    if user is None or party_of(user) != DISTRIBUTOR:
        raise ValidationError(
            {
                "email": ValidationError(
                    _("No buyer account uses this e-mail address; ask them to sign up first."), code="not_found"
                )
            }
        )
    return user


def add_member(*, company: Company, user, role: str, by, now=None, reason: str = "") -> CompanyMember:
    now = now or timezone.now()
    _check_role(role)
    with transaction.atomic():
        _locked_company(company)
        if CompanyMember.objects.filter(user=user).exists():
            raise ValidationError(
                {"email": ValidationError(_("This person already belongs to a company."), code="has_company")}
            )
        try:
            with transaction.atomic():
                member = CompanyMember.objects.create(company=company, user=user, role=role, added_by=by, added_at=now)
        except IntegrityError as exc:
            raise ValidationError(
                {"email": ValidationError(_("This person already belongs to a company."), code="has_company")}
            ) from exc
        _log(member, "", role, by, reason or _("Added"), now)
    selectors.forget(user)
    return member


def change_role(*, member: CompanyMember, role: str, by, now=None) -> CompanyMember:
    _check_role(role)
    with transaction.atomic():
        _locked_company(member.company)
        member = CompanyMember.objects.select_for_update().get(pk=member.pk)
        if member.role == role:
            return member
        if member.role == Role.ADMIN and member.is_active and not _other_active_admins(member):
            raise _last_admin_error("role")
        previous = member.role
        member.role = role
        member.save(update_fields=["role", "updated_at"])
        _log(member, previous, role, by, now=now)
    selectors.forget(member.user)
    return member


def deactivate(*, member: CompanyMember, by, reason: str = "", now=None) -> CompanyMember:
    """Deactivate a person. ``member_deactivated`` is sent inside the transaction; what its
    receivers did for the person's work (a sentence each, e.g. "3 lines of 张三's basket moved to
    your basket") comes back on the member as ``handed_over`` for the page to show."""
    with transaction.atomic():
        _locked_company(member.company)
        member = CompanyMember.objects.select_for_update().get(pk=member.pk)
        if not member.is_active:
            raise ValidationError(_("This person is already deactivated."), code="invalid_transition")
        if member.role == Role.ADMIN and not _other_active_admins(member):
            raise _last_admin_error("member")
        member.is_active = False
        member.save(update_fields=["is_active", "updated_at"])
        _log(member, ACTIVE, INACTIVE, by, reason, now)
        answers = member_deactivated.send(sender=CompanyMember, member=member, by=by)
    selectors.forget(member.user)
    member.handed_over = [str(answer) for _receiver, answer in answers if answer]
    return member


def reactivate(*, member: CompanyMember, by, now=None) -> CompanyMember:
    with transaction.atomic():
        _locked_company(member.company)
        member = CompanyMember.objects.select_for_update().get(pk=member.pk)
        if member.is_active:
            raise ValidationError(_("This person is already active."), code="invalid_transition")
        member.is_active = True
        member.save(update_fields=["is_active", "updated_at"])
        _log(member, INACTIVE, ACTIVE, by, now=now)
    selectors.forget(member.user)
    return member


def member_history(members) -> list[TransitionLog]:
    """The people changes of ``members`` (CompanyMember rows, with their users), oldest first,
    each with ``person`` (the member) and ``from_label``/``to_label`` (a role's name, or active /
    deactivated) for display."""
    by_id = {str(m.pk): m for m in members}
    labels = {**dict(Role.choices), ACTIVE: _("Active"), INACTIVE: _("Deactivated")}
    rows = list(
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(CompanyMember),
            object_id__in=list(by_id),
            machine=MACHINE,
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    for row in rows:
        row.person = by_id.get(row.object_id)
        row.from_label = labels.get(row.from_state, row.from_state)
        row.to_label = labels.get(row.to_state, row.to_state)
    return rows


def adopt_orders(company: Company, user) -> int:
    """The orders ``user`` placed while they belonged to no company become ``company``'s: a
    distributor who bought alone and then registers their company keeps the history (and the
    tier it earns) with it. Orders placed for another company are never moved."""
    Order = get_model("order", "Order")
    return Order.objects.filter(user=user, company__isnull=True).update(company=company)
