"""Suppliers' legal details (企业资料): the supplier's staff submit, an operator reviews.

A submission is a new *pending* version; the approved version (what contracts and settlements
read, ``selectors.approved_legal_profile``) stays as it is until an operator approves the
pending one, which then supersedes it. A rejected version keeps its reason; the supplier submits
again. Each move is a transition on the kernel's state machine with a core.TransitionLog row
(who, when, from, to, why); the submission itself is recorded as a move from "" to pending.

    pending  → approved | rejected
    approved → superseded          (when a newer version is approved)

Bad input (a field missing, an invalid or another supplier's 统一社会信用代码, a licence that
is not an image or a PDF or is too big) raises a ValidationError keyed by field and writes
nothing. The USCC is normalised (full-width, case, spaces) before it is checked; the embedded
organisation-code mismatch is a warning for the reviewer (``uscc_check``), never a refusal.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from companies import uscc as uscc_codes
from core import outbox, regions
from core.files import NOT_IMAGE_OR_PDF, TOO_BIG, document_problem, image_or_pdf_type
from core.statemachine import StateMachine, Step, record_transition
from plugins.s2b2b_orders.models import LegalStatus, SupplierLegalProfile, SupplierProfile, TaxpayerType

Partner = get_model("partner", "Partner")

LEGAL = StateMachine(
    name="supplier_legal",
    transitions={
        LegalStatus.PENDING: frozenset({LegalStatus.APPROVED, LegalStatus.REJECTED}),
        LegalStatus.APPROVED: frozenset({LegalStatus.SUPERSEDED}),
        LegalStatus.REJECTED: frozenset(),
        LegalStatus.SUPERSEDED: frozenset(),
    },
    labels=dict(LegalStatus.choices),
    subject=gettext_lazy("The legal details of %(subject)s"),
    state_field="status",
    timestamps={LegalStatus.APPROVED: "reviewed_at", LegalStatus.REJECTED: "reviewed_at"},
)

VIA_PORTAL = "portal"
VIA_API = "api"
VIA_BACK_OFFICE = "back office"

#: the fields a supplier submits, in the order the pages show them
FIELDS = (
    "legal_name",
    "uscc",
    "province",
    "city",
    "address",
    "representative",
    "bank_name",
    "bank_account",
    "taxpayer_type",
)

MAX_LICENCE_BYTES = 10 * 1024 * 1024


licence_content_type = image_or_pdf_type  # the content type a licence download is served with


def licence_error(upload) -> str | None:
    """Why an uploaded licence is refused, or None."""
    problem = document_problem(upload, max_bytes=MAX_LICENCE_BYTES)
    if problem == TOO_BIG:
        return _("The business licence file is larger than 10 MB.")
    if problem == NOT_IMAGE_OR_PDF:
        return _("The business licence must be an image (JPEG, PNG, GIF, WebP) or a PDF.")
    return None


@dataclass(frozen=True)
class UsccCheck:
    code: str
    valid: bool
    error: str = ""
    warnings: tuple[str, ...] = ()


def uscc_check(raw: str) -> UsccCheck:
    """What the reviewer sees about a code: valid or why not, and any warning."""
    try:
        checked = uscc_codes.check(raw)
    except ValidationError as exc:
        return UsccCheck(uscc_codes.normalise(raw), False, " ".join(exc.messages))
    return UsccCheck(checked.code, True, "", tuple(str(w) for w in checked.warnings))


REQUIRED_MESSAGES = {
    "legal_name": gettext_lazy("Enter the legal name."),
    "uscc": gettext_lazy("Enter the unified social credit code."),
    "province": gettext_lazy("Choose the province."),
    "city": gettext_lazy("Enter the city."),
    "address": gettext_lazy("Enter the registered address."),
    "representative": gettext_lazy("Enter the legal representative."),
    "bank_name": gettext_lazy("Enter the bank."),
    "bank_account": gettext_lazy("Enter the bank account number."),
    "taxpayer_type": gettext_lazy("Choose the taxpayer type."),
}


def clean(data: dict, *, partner) -> dict:
    """The submitted fields, trimmed and normalised, or a ValidationError naming every bad field
    (codes: required, length, alphabet, check, unique, invalid_choice, invalid, max_length)."""
    cleaned = {name: " ".join(str(data.get(name) or "").split()) for name in FIELDS}
    errors: dict[str, list[ValidationError]] = {}
    for name in FIELDS:
        if not cleaned[name]:
            errors[name] = [ValidationError(str(REQUIRED_MESSAGES[name]), code="required")]
    if cleaned["uscc"]:
        try:
            cleaned["uscc"] = uscc_codes.check(cleaned["uscc"]).code
        except ValidationError as exc:
            errors["uscc"] = exc.error_list
        else:
            taken = (
                SupplierLegalProfile.objects.filter(
                    uscc=cleaned["uscc"], status__in=(LegalStatus.APPROVED, LegalStatus.PENDING)
                )
                .exclude(partner=partner)
                .exists()
            )
            if taken:
                errors["uscc"] = [ValidationError(_taken_message(), code="unique")]
    if cleaned["province"] and not regions.is_province(cleaned["province"]):
        errors["province"] = [ValidationError(_("Choose a province from the list."), code="invalid_choice")]
    if cleaned["taxpayer_type"] and cleaned["taxpayer_type"] not in TaxpayerType.values:
        errors["taxpayer_type"] = [ValidationError(_("Choose general or small-scale taxpayer."), code="invalid_choice")]
    account = cleaned["bank_account"].replace(" ", "")
    if account and not all(c.isdigit() or c == "-" for c in account):
        errors["bank_account"] = [ValidationError(_("A bank account number has digits only."), code="invalid")]
    cleaned["bank_account"] = account
    lengths = {f.name: f.max_length for f in SupplierLegalProfile._meta.concrete_fields if f.name in FIELDS}
    for name, value in cleaned.items():
        if name not in errors and len(value) > lengths[name]:
            message = _("At most %(n)d characters.") % {"n": lengths[name]}
            errors[name] = [ValidationError(message, code="max_length")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def _taken_message() -> str:
    return _("Another supplier has already registered this unified social credit code.")


def current_versions(partner) -> dict[str, SupplierLegalProfile | None]:
    """The supplier's approved and pending versions and its latest rejected one (None if none)."""
    found = {"approved": None, "pending": None, "rejected": None}
    for version in SupplierLegalProfile.objects.filter(partner=partner).exclude(status=LegalStatus.SUPERSEDED):
        key = str(version.status)
        if found.get(key) is None:  # newest first
            found[key] = version
    return found


def submit(*, partner, user, data: dict, licence=None, via: str = VIA_PORTAL) -> SupplierLegalProfile:
    """Submit the supplier's legal details for review: a new pending version (or the waiting
    one, updated). The licence may be left out when an earlier version has one; it is kept."""
    if partner is None:
        raise ValidationError(_("You do not work for a supplier."))
    errors: dict[str, list[ValidationError]] = {}
    try:
        cleaned = clean(data, partner=partner)
    except ValidationError as exc:
        errors.update(exc.error_dict)
        cleaned = None
    if licence is not None:
        error = licence_error(licence)
        if error:
            errors["licence"] = [ValidationError(error, code="invalid_file")]
    with transaction.atomic():
        # one submission per supplier at a time: the partner row is the queue
        Partner.objects.select_for_update().get(pk=partner.pk)
        versions = current_versions(partner)
        earlier = versions["pending"] or versions["approved"] or versions["rejected"]
        if licence is None and not (earlier and earlier.licence):
            message = _("Upload the business licence (an image or a PDF).")
            errors.setdefault("licence", [ValidationError(message, code="required")])
        if errors:
            raise ValidationError(errors)
        approved = versions["approved"]
        if (
            approved is not None
            and versions["pending"] is None
            and licence is None
            and all(getattr(approved, name) == cleaned[name] for name in FIELDS)
        ):
            raise ValidationError(_("Nothing changed since the approved details."), code="unchanged")
        pending = versions["pending"]
        if pending is None:
            pending = SupplierLegalProfile(partner=partner, status=LegalStatus.PENDING)
            previous = ""
        else:
            previous = LegalStatus.PENDING
        for name, value in cleaned.items():
            setattr(pending, name, value)
        pending.submitted_by = user
        pending.submitted_at = timezone.now()
        if licence is not None:
            pending.licence.save(licence.name.rsplit("/", 1)[-1][-100:] or "licence", licence, save=False)
        elif not pending.licence:
            pending.licence = earlier.licence.name
        pending.save()
        # the submission is audited like every move (a resubmission while pending: pending → pending)
        record_transition(Step(LEGAL, pending, previous, LegalStatus.PENDING, user, via, "", timezone.now()))
        return pending


def approve(version: SupplierLegalProfile, *, reviewer, via: str = VIA_BACK_OFFICE) -> SupplierLegalProfile:
    """The pending version becomes the supplier's approved legal details (the previous approved
    version is superseded); the supplier's staff are notified."""
    with transaction.atomic():
        Partner.objects.select_for_update().get(pk=version.partner_id)
        LEGAL.check(SupplierLegalProfile.objects.get(pk=version.pk), LegalStatus.APPROVED, field_name="status")
        taken = (
            SupplierLegalProfile.objects.filter(uscc=version.uscc, status=LegalStatus.APPROVED)
            .exclude(partner_id=version.partner_id)
            .exists()
        )
        if taken:
            raise ValidationError({"uscc": [ValidationError(_taken_message(), code="unique")]})
        for old in SupplierLegalProfile.objects.filter(partner_id=version.partner_id, status=LegalStatus.APPROVED):
            LEGAL.transition(
                old,
                LegalStatus.SUPERSEDED,
                actor=reviewer,
                via=via,
                reason=_("Replaced by a newer approved version."),
                field_name="status",
            )
        version = LEGAL.transition(
            version,
            LegalStatus.APPROVED,
            actor=reviewer,
            via=via,
            field_name="status",
            changes={"reviewed_by": reviewer},
        )
        # the supplier profile's name follows the approved legal name
        SupplierProfile.objects.filter(partner_id=version.partner_id).update(legal_name=version.legal_name)
        notify(version)
        return version


def reject(version: SupplierLegalProfile, *, reviewer, reason: str, via: str = VIA_BACK_OFFICE):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": [ValidationError(_("Say why you reject these legal details."), code="required")]}
        )
    with transaction.atomic():
        version = LEGAL.transition(
            version,
            LegalStatus.REJECTED,
            actor=reviewer,
            via=via,
            reason=reason,
            field_name="status",
            changes={"rejection_reason": reason, "reviewed_by": reviewer},
        )
        notify(version)
        return version


def notify(version: SupplierLegalProfile) -> None:
    """A portal notification to each of the supplier's staff, through the kernel's outbox (in
    the caller's transaction; the same event twice writes nothing twice)."""
    from django.urls import reverse

    with translation.override("zh-hans"):
        if version.status == LegalStatus.APPROVED:
            subject = _("Your legal details were approved")
            body = [subject]
        else:
            subject = _("Your legal details were rejected")
            body = [subject, _("Reason: %(reason)s") % {"reason": version.rejection_reason}]
        body.append(reverse("s2b2b-portal-legal"))
    topic = f"supplier_legal.{version.status}"
    staff = Partner.users.through.objects.filter(partner_id=version.partner_id).order_by("user_id")
    outbox.enqueue_many(
        outbox.Message(
            dedup_key=f"supplier_legal:{version.pk}:{version.status}:notification:{user_id}",
            topic=topic,
            channel="notification",
            recipient=str(user_id),
            payload={"subject": str(subject), "body": "\n".join(str(line) for line in body)},
            reference=str(version.partner.code or version.partner_id),
            subject=version,
            partner=version.partner,
        )
        for user_id in staff.values_list("user_id", flat=True)
    )


def _display(version, name: str) -> str:
    if version is None:
        return ""
    getter = getattr(version, f"get_{name}_display", None)
    return str(getter() if getter else getattr(version, name))


def diff(version: SupplierLegalProfile, approved: SupplierLegalProfile | None) -> list[dict]:
    """Field by field, the submitted value against the approved one (for the reviewer)."""
    rows = [
        {
            "name": name,
            "label": SupplierLegalProfile._meta.get_field(name).verbose_name,
            "old": _display(approved, name),
            "new": _display(version, name),
            "changed": approved is not None and getattr(approved, name) != getattr(version, name),
        }
        for name in FIELDS
    ]
    rows.append(
        {
            "name": "licence",
            "label": SupplierLegalProfile._meta.get_field("licence").verbose_name,
            "old": approved.licence_filename if approved else "",
            "new": version.licence_filename,
            "changed": approved is not None and approved.licence.name != version.licence.name,
        }
    )
    return rows


def seed_approved(*, partner, data: dict, licence_name: str, licence_bytes: bytes, now=None) -> SupplierLegalProfile:
    """Demo data: an approved version for ``partner`` unless it has one already (idempotent)."""
    existing = SupplierLegalProfile.objects.filter(partner=partner, status=LegalStatus.APPROVED).first()
    if existing is not None:
        return existing
    from django.core.files.base import ContentFile

    cleaned = clean(data, partner=partner)
    version = SupplierLegalProfile(partner=partner, status=LegalStatus.APPROVED, reviewed_at=now or timezone.now())
    for name, value in cleaned.items():
        setattr(version, name, value)
    version.licence.save(licence_name, ContentFile(licence_bytes), save=False)
    version.save()
    record_transition(Step(LEGAL, version, "", LegalStatus.APPROVED, None, "system", "", timezone.now()))
    return version
