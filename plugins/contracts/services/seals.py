"""Who may sign for a company (签章授权) and the seal image stamped on its signatures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from companies.models import Company, CompanyMember, Role
from companies.selectors import membership_of
from core.files import HEAD_BYTES, image_or_pdf_type
from plugins.contracts.models import CompanySeal, SealGrant
from plugins.contracts.pdf.signing import generated_seal_png

MAX_SEAL_BYTES = 2 * 1024 * 1024


def _member(company: Company, user) -> CompanyMember | None:
    """``user``'s active membership when it is of ``company`` (a person belongs to one company)."""
    membership = membership_of(user)
    return membership if membership is not None and membership.company_id == company.pk else None


def grant(*, company: Company, user, amount_cap: Decimal | None, expires_on: date | None, by, now=None) -> SealGrant:
    """Authorise ``user`` (an active person of the company) to sign; replaces their live grant."""
    now = now or timezone.now()
    if _member(company, user) is None:
        raise ValidationError(
            {
                "user": ValidationError(
                    _("Only an active person of the company can be authorised to sign."), code="not_member"
                )
            }
        )
    if amount_cap is not None and amount_cap <= 0:
        raise ValidationError(
            {
                "amount_cap": ValidationError(
                    _("The amount cap must be above zero, or empty for no cap."), code="invalid"
                )
            }
        )
    if expires_on is not None and expires_on < timezone.localdate(now):
        raise ValidationError({"expires_on": ValidationError(_("The date has already passed."), code="invalid")})
    with transaction.atomic():
        SealGrant.objects.select_for_update().filter(company=company, user=user, revoked_at__isnull=True).update(
            revoked_at=now, revoked_by=by
        )
        return SealGrant.objects.create(
            company=company, user=user, amount_cap=amount_cap, expires_on=expires_on, granted_by=by
        )


def revoke(*, grant: SealGrant, by, now=None) -> SealGrant:
    if grant.revoked_at is None:
        grant.revoked_at = now or timezone.now()
        grant.revoked_by = by
        grant.save(update_fields=["revoked_at", "revoked_by"])
    return grant


def live_grant(company: Company, user, *, today: date | None = None) -> SealGrant | None:
    today = today or timezone.localdate()
    found = SealGrant.objects.filter(company=company, user=user, revoked_at__isnull=True).first()
    if found is None or (found.expires_on is not None and found.expires_on < today):
        return None
    return found


def signing_refusal(user, company: Company, amount: Decimal, *, seal_approved: bool) -> str | None:
    """Why ``user`` may not sign a contract of ``amount`` for ``company`` now, or None."""
    if _member(company, user) is None:
        return _("Only the company's authorised people can sign its contracts.")
    found = live_grant(company, user)
    if found is None:
        return _("You are not authorised to sign for %(company)s. Ask your company's administrator.") % {
            "company": company.legal_name
        }
    if found.amount_cap is not None and amount > found.amount_cap and not seal_approved:
        return _(
            "The contract amount ¥%(amount)s is above your signing limit of ¥%(cap)s: your company's approver "
            "must approve the use of the seal first."
        ) % {"amount": f"{amount:,.2f}", "cap": f"{found.amount_cap:,.2f}"}
    return None


def may_approve_seal(user, company: Company) -> bool:
    member = _member(company, user)
    return member is not None and member.role in (Role.APPROVER, Role.ADMIN)


def upload_seal(*, company: Company, upload, by) -> CompanySeal:
    """The company's own seal image (PNG with transparency works best)."""
    data = upload.read()
    if len(data) > MAX_SEAL_BYTES:
        raise ValidationError({"image": ValidationError(_("The seal image must be at most 2 MB."), code="too_big")})
    if image_or_pdf_type(data[:HEAD_BYTES]) != "image/png":
        raise ValidationError({"image": ValidationError(_("The seal image must be a PNG file."), code="not_png")})
    seal, _created = CompanySeal.objects.get_or_create(company=company)
    seal.image.save(f"seal-{company.pk}.png", ContentFile(data), save=False)
    seal.generated = False
    seal.save()
    return seal


def seal_png(company: Company) -> bytes:
    """The seal image to stamp: the uploaded one, else one generated from the legal name (kept)."""
    seal = CompanySeal.objects.filter(company=company).first()
    if seal is None or not seal.image:
        data = generated_seal_png(company.legal_name)
        seal = seal or CompanySeal(company=company)
        seal.image.save(f"seal-{company.pk}-generated.png", ContentFile(data), save=False)
        seal.generated = True
        seal.save()
        return data
    with seal.image.open("rb") as handle:
        return handle.read()
