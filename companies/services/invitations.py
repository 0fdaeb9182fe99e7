"""E-mail invitations (邀请成员): a company's admin invites a person by e-mail with a role; the
person opens the link (``/accounts/company/invitations/<token>/``), signs in or signs up, and joins
the company with that role (through ``people.add_member``: audited).

- The token is shown only in the e-mail; the row keeps its SHA-256. Resending gives a new token
  and a new expiry, so the old link matches nothing any more.
- The e-mail goes through the kernel's outbox (channel ``email``), written in the same
  transaction as the invitation: it leaves only if the invitation is saved.
- At most one pending invitation per company and address: inviting the address again replaces
  the pending one (revoked, its link dead). At most ``COMPANY_INVITATION_MAX_PENDING`` pending
  (unexpired) invitations per company.
- **The invited address must be the account's.** Whoever holds the link could otherwise join the
  company with the role the admin meant for one person: an e-mail is forwarded, pasted into a
  chat, read on a shared screen. The e-mail address is what the admin vouched for, so a signed-in
  user whose account has another address is told to sign in with the invited one (or ask for an
  invitation to their own address); a visitor signs up with the invited address, fixed on the form.
- An invitation speaks for the admin who sent it: if they are no longer an active admin of the
  company when it is accepted, it is refused (another admin resends it, which makes it theirs).
  When an admin is deactivated, the invitations they sent are revoked with them.
- Every step is a ``core.TransitionLog`` row (machine ``company_invitation``).
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import selectors
from companies.models import (
    Company,
    CompanyInvitation,
    CompanyMember,
    CompanyStatus,
    Consent,
    InvitationStatus,
    Role,
)
from companies.services import people
from core import outbox
from core.access import DISTRIBUTOR, party_of
from core.models import TransitionLog

MACHINE = "company_invitation"
S = InvitationStatus
#: companies whose admins may not invite, and whose invitations cannot be accepted
CLOSED = (CompanyStatus.SUSPENDED, CompanyStatus.REJECTED)


def hash_token(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def link_path(token: str) -> str:
    return reverse("companies:invitation", args=[token])


def normalise_email(raw: str) -> str:
    return (raw or "").strip().lower()


def _log(invitation: CompanyInvitation, from_state: str, to_state: str, actor, reason: str, now) -> None:
    TransitionLog.objects.create(
        content_type=ContentType.objects.get_for_model(CompanyInvitation),
        object_id=str(invitation.pk),
        machine=MACHINE,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        via="web",
        reason=reason,
        created_at=now,
    )


def _closed_error(company: Company) -> ValidationError:
    return ValidationError(
        _("%(company)s is %(status)s: it cannot take on people now.")
        % {"company": company.legal_name, "status": company.get_status_display()},
        code="company_closed",
    )


def _check_email(email: str) -> str:
    email = normalise_email(email)
    if not email:
        raise ValidationError({"email": ValidationError(_("Enter the person's e-mail address."), code="required")})
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": ValidationError(_("Enter a valid e-mail address."), code="invalid")}) from None
    return email


def _pending_count(company: Company, now) -> int:
    return CompanyInvitation.objects.filter(company=company, status=S.PENDING, expires_at__gt=now).count()


def _enqueue_email(invitation: CompanyInvitation, token: str, base_url: str) -> None:
    link = f"{base_url.rstrip('/')}{link_path(token)}"
    inviter = invitation.invited_by
    who = (inviter.get_full_name() or inviter.email) if inviter else invitation.company.legal_name
    context = {
        "who": who,
        "company": invitation.company.legal_name,
        "role": invitation.get_role_display(),
        "link": link,
        "expires": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d %H:%M"),
    }
    outbox.enqueue(
        dedup_key=f"company-invitation:{invitation.pk}:{invitation.token_hash[:16]}",
        topic="company.invitation",
        channel="email",
        recipient=invitation.email,
        payload={
            "subject": _("%(who)s invites you to join %(company)s") % context,
            "body": _(
                "%(who)s invites you to join %(company)s on the platform as %(role)s.\n\n"
                "Open this link to accept (valid until %(expires)s):\n%(link)s\n\n"
                "Sign in or sign up with this e-mail address. If you did not expect this invitation, ignore it."
            )
            % context,
        },
        reference=invitation.email,
        subject=invitation,
    )


@dataclass(frozen=True)
class Sent:
    invitation: CompanyInvitation
    #: the token of the link (only in the e-mail; returned for tests and the demo)
    token: str
    replaced: bool = False


def invite(*, company: Company, email: str, role: str, by, base_url: str, now=None) -> Sent:
    """Invite ``email`` to ``company`` as ``role`` (the caller checked ``by`` may manage people).
    Replaces a pending invitation of the same address. ValidationError by field; nothing saved."""
    now = now or timezone.now()
    email = _check_email(email)
    people._check_role(role)
    with transaction.atomic():
        company = people._locked_company(company)
        if company.status in CLOSED:
            raise _closed_error(company)
        if CompanyMember.objects.filter(company=company, user__email__iexact=email).exists():
            raise ValidationError(
                {"email": ValidationError(_("This person already belongs to your company."), code="member")}
            )
        previous = (
            CompanyInvitation.objects.select_for_update().filter(company=company, email=email, status=S.PENDING).first()
        )
        if previous is None and _pending_count(company, now) >= settings.COMPANY_INVITATION_MAX_PENDING:
            raise ValidationError(
                {
                    "email": ValidationError(
                        _(
                            "Your company has %(n)d invitations waiting, the most allowed: revoke some or wait "
                            "until they are accepted or expire."
                        )
                        % {"n": settings.COMPANY_INVITATION_MAX_PENDING},
                        code="too_many",
                    )
                }
            )
        if previous is not None:
            previous.status = S.REVOKED
            previous.revoked_at = now
            previous.save(update_fields=["status", "revoked_at"])
            _log(previous, S.PENDING, S.REVOKED, by, _("Replaced by a new invitation"), now)
        token = new_token()
        try:
            with transaction.atomic():
                invitation = CompanyInvitation.objects.create(
                    company=company,
                    email=email,
                    role=role,
                    token_hash=hash_token(token),
                    invited_by=by,
                    created_at=now,
                    expires_at=now + timedelta(days=settings.COMPANY_INVITATION_DAYS),
                )
        except IntegrityError as exc:  # a concurrent invitation of the same address
            raise ValidationError(
                {"email": ValidationError(_("This address was invited a moment ago; reload and check."), code="taken")}
            ) from exc
        _log(invitation, "", S.PENDING, by, _("Invited as %(role)s") % {"role": invitation.get_role_display()}, now)
        _enqueue_email(invitation, token, base_url)
    return Sent(invitation, token, replaced=previous is not None)


def _locked_pending(invitation: CompanyInvitation, now) -> CompanyInvitation:
    invitation = (
        CompanyInvitation.objects.select_for_update(of=("self",)).select_related("company").get(pk=invitation.pk)
    )
    if invitation.status != S.PENDING:
        raise ValidationError(
            _("This invitation is %(status)s already.") % {"status": invitation.get_effective_status_display()},
            code="invalid_transition",
        )
    return invitation


def resend(*, invitation: CompanyInvitation, by, base_url: str, now=None) -> Sent:
    """A new token and a new expiry (the old link is dead), sent again; the invitation is now
    ``by``'s. An expired pending invitation may be resent too."""
    now = now or timezone.now()
    with transaction.atomic():
        company = people._locked_company(invitation.company)
        if company.status in CLOSED:
            raise _closed_error(company)
        invitation = _locked_pending(invitation, now)
        token = new_token()
        invitation.token_hash = hash_token(token)
        invitation.created_at = now
        invitation.expires_at = now + timedelta(days=settings.COMPANY_INVITATION_DAYS)
        invitation.invited_by = by
        invitation.save(update_fields=["token_hash", "created_at", "expires_at", "invited_by"])
        _log(invitation, S.PENDING, S.PENDING, by, _("Sent again with a new link"), now)
        _enqueue_email(invitation, token, base_url)
    return Sent(invitation, token)


def revoke(*, invitation: CompanyInvitation, by, reason: str = "", now=None) -> CompanyInvitation:
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked_pending(invitation, now)
        invitation.status = S.REVOKED
        invitation.revoked_at = now
        invitation.save(update_fields=["status", "revoked_at"])
        _log(invitation, S.PENDING, S.REVOKED, by, reason or _("Withdrawn"), now)
    return invitation


def revoke_sent_by(*, user, company: Company, by, now=None) -> int:
    """Revoke the pending invitations ``user`` sent for ``company`` (they were deactivated)."""
    now = now or timezone.now()
    count = 0
    for invitation in CompanyInvitation.objects.select_for_update().filter(
        company=company, invited_by=user, status=S.PENDING
    ):
        invitation.status = S.REVOKED
        invitation.revoked_at = now
        invitation.save(update_fields=["status", "revoked_at"])
        _log(invitation, S.PENDING, S.REVOKED, by, _("The administrator who sent it was deactivated"), now)
        count += 1
    return count


# --- the invitee's side -------------------------------------------------------------------------


def find(token: str) -> CompanyInvitation | None:
    """The invitation of a link's token (any state), or None."""
    if not token:
        return None
    return (
        CompanyInvitation.objects.select_related("company", "invited_by").filter(token_hash=hash_token(token)).first()
    )


def unknown_error() -> ValidationError:
    return ValidationError(
        _(
            "This invitation link is not valid: it may have been replaced by a newer one. "
            "Ask the company for a new one."
        ),
        code="not_found",
    )


def problem(invitation: CompanyInvitation, user=None, now=None) -> ValidationError | None:
    """Why ``invitation`` cannot be accepted (by ``user``, if signed in), or None."""
    now = now or timezone.now()
    state = invitation.effective_status(now)
    if state == S.ACCEPTED:
        return ValidationError(_("This invitation has already been used."), code="used")
    if state == S.REVOKED:
        return ValidationError(_("This invitation was withdrawn by the company."), code="revoked")
    if state == S.EXPIRED:
        return ValidationError(
            _("This invitation expired on %(date)s. Ask the company to send it again.")
            % {"date": timezone.localtime(invitation.expires_at).strftime("%Y-%m-%d")},
            code="expired",
        )
    company = invitation.company
    if company.status in CLOSED:
        return _closed_error(company)
    inviter = invitation.invited_by
    if (
        inviter is None
        or not CompanyMember.objects.filter(company=company, user=inviter, role=Role.ADMIN, is_active=True).exists()
    ):
        return ValidationError(
            _("The administrator who invited you no longer manages %(company)s: ask the company for a new invitation.")
            % {"company": company.legal_name},
            code="inviter_not_admin",
        )
    if user is not None and getattr(user, "is_authenticated", False):
        if party_of(user) != DISTRIBUTOR:
            return ValidationError(_("Only a buyer's account can join a company."), code="not_a_buyer")
        if normalise_email(user.email) != invitation.email:
            return ValidationError(
                _(
                    "This invitation is for %(email)s, and you are signed in as %(you)s. Sign out and sign in "
                    "(or sign up) with %(email)s, or ask for an invitation to your own address."
                )
                % {"email": invitation.email, "you": user.email},
                code="wrong_account",
            )
        membership = CompanyMember.objects.filter(user=user).select_related("company").first()
        if membership is not None:
            if membership.company_id == company.pk:
                message = (
                    _("You already belong to %(company)s.")
                    if membership.is_active
                    else _("Your account in %(company)s was deactivated; ask its administrator to reactivate it.")
                )
                return ValidationError(message % {"company": company.legal_name}, code="has_company")
            return ValidationError(
                _("You already belong to another company; an account belongs to one company only."),
                code="has_company",
            )
    return None


def accept(*, token: str, user, mobile: str = "", now=None) -> CompanyMember:
    """``user`` joins the invitation's company with its role. ValidationError (one message, its
    code saying which: not_found, used, revoked, expired, company_closed, inviter_not_admin,
    not_a_buyer, wrong_account, has_company) and nothing saved otherwise."""
    now = now or timezone.now()
    invitation = find(token)
    if invitation is None:
        raise unknown_error()
    with transaction.atomic():
        people._locked_company(invitation.company)
        invitation = (
            CompanyInvitation.objects.select_for_update(of=("self",))
            .select_related("company", "invited_by")
            .get(pk=invitation.pk)
        )
        if invitation.token_hash != hash_token(token):  # resent meanwhile
            raise unknown_error()
        error = problem(invitation, user, now)
        if error is not None:
            raise error
        member = people.add_member(
            company=invitation.company,
            user=user,
            role=invitation.role,
            by=invitation.invited_by,
            now=now,
            reason=_("Joined by invitation"),
        )
        if mobile:
            member.mobile = mobile
            member.save(update_fields=["mobile", "updated_at"])
        invitation.status = S.ACCEPTED
        invitation.accepted_by = user
        invitation.accepted_at = now
        invitation.save(update_fields=["status", "accepted_by", "accepted_at"])
        _log(invitation, S.PENDING, S.ACCEPTED, user, "", now)
    selectors.forget(user)
    return member


def sign_up_and_accept(*, token: str, account_form, mobile: str, consented: bool, now=None):
    """A visitor's account (Oscar's sign-up form, its e-mail the invited one), their mobile number
    and consent (versions recorded) and their joining, in one transaction: the account exists only
    if they joined. ValidationError by field (``email``, ``mobile``, ``consent``) or as a whole."""
    from companies.services.registration import MOBILE, normalise_mobile

    now = now or timezone.now()
    invitation = find(token)
    if invitation is None:
        raise unknown_error()
    error = problem(invitation, None, now)
    if error is not None:
        raise error
    errors: dict = {}
    if normalise_email(account_form.cleaned_data.get("email", "")) != invitation.email:
        errors["email"] = [
            ValidationError(
                _("Sign up with the invited address, %(email)s.") % {"email": invitation.email}, code="wrong_account"
            )
        ]
    mobile = normalise_mobile(mobile)
    if not mobile:
        errors["mobile"] = [ValidationError(_("Fill in this field."), code="required")]
    elif not MOBILE.match(mobile):
        errors["mobile"] = [ValidationError(_("Enter a mainland mobile number of 11 digits."), code="invalid")]
    if not consented:
        errors["consent"] = [
            ValidationError(_("Agree to the user agreement and the privacy policy to sign up."), code="required")
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user = account_form.save()
        Consent.objects.create(
            user=user,
            terms_version=settings.USER_AGREEMENT_VERSION,
            privacy_version=settings.PRIVACY_POLICY_VERSION,
            consented_at=now,
            context="company_invitation",
        )
        member = accept(token=token, user=user, mobile=mobile, now=now)
    return user, member
