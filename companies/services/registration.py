"""Registering a company (企业认证申请): the applicant becomes its admin, the licence is stored
privately, the consent to the user agreement and privacy policy is recorded with their versions.

``clean_details`` checks every field a person types (USCC by GB 32100 after normalising, the
province against the platform's list, a mainland mobile number, names not taken) and raises one
ValidationError keyed by field, so a form shows every problem at once and nothing is saved.
"""

import re
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from companies import licence as licence_check
from companies import selectors, uscc
from companies.models import Company, CompanyMember, CompanyStatus, Consent, Role, TaxpayerType
from companies.services import verification
from companies.services.people import adopt_orders
from core.access import DISTRIBUTOR, party_of
from core.regions import place_errors

MOBILE = re.compile(r"^1[3-9]\d{9}$")
#: what a person fills in (the licence and the consent come separately)
FIELDS = (
    "legal_name",
    "uscc",
    "legal_representative",
    "province",
    "city",
    "address",
    "industry",
    "registered_capital",
    "contact_phone",
    "invoice_title",
    "tax_number",
    "invoice_address_phone",
    "invoice_bank_account",
    "taxpayer_type",
    "expected_annual_purchase",
)
REQUIRED = ("legal_name", "uscc", "legal_representative", "province", "city", "address", "contact_phone")


def normalise_mobile(raw: str) -> str:
    text = re.sub(r"[\s-]", "", raw or "")
    if text.startswith("+86"):
        text = text[3:]
    return text


def clean_details(details: dict, *, instance: Company | None = None) -> tuple[dict, list[str]]:
    """The cleaned fields and the USCC warnings for the reviewer; ValidationError by field."""
    errors: dict[str, list[ValidationError]] = {}
    data = {}
    for name in FIELDS:
        value = details.get(name)
        data[name] = value.strip() if isinstance(value, str) else value
    for name in REQUIRED:
        if not data.get(name):
            errors.setdefault(name, []).append(ValidationError(_("Fill in this field."), code="required"))
    warnings: list[str] = []
    if data.get("uscc"):
        try:
            checked = uscc.check(data["uscc"])
        except ValidationError as exc:
            errors.setdefault("uscc", []).append(exc)
        else:
            data["uscc"] = checked.code
            warnings = list(checked.warnings)
            others = Company.objects.exclude(pk=instance.pk) if instance else Company.objects.all()
            if others.filter(uscc=checked.code).exists():
                errors.setdefault("uscc", []).append(
                    ValidationError(
                        _("A company with this unified social credit code is already registered."), code="taken"
                    )
                )
    if data.get("legal_name"):
        others = Company.objects.exclude(pk=instance.pk) if instance else Company.objects.all()
        if others.annotate(lname=Lower("legal_name")).filter(lname=data["legal_name"].lower()).exists():
            errors.setdefault("legal_name", []).append(
                ValidationError(_("A company with this legal name is already registered."), code="taken")
            )
    if data.get("province"):  # the registered city must be one of the province's (no district here)
        for level, message in place_errors(data["province"], data.get("city") or "", None).items():
            if level not in errors:  # an empty city is already "Fill in this field."
                errors[level] = [ValidationError(message, code="invalid")]
    if data.get("contact_phone"):
        data["contact_phone"] = normalise_mobile(data["contact_phone"])
        if not MOBILE.match(data["contact_phone"]):
            errors.setdefault("contact_phone", []).append(
                ValidationError(_("Enter a mainland mobile number of 11 digits."), code="invalid")
            )
    for name in ("registered_capital", "expected_annual_purchase"):
        value = data.get(name)
        if value in ("", None):
            data[name] = None
            continue
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            errors.setdefault(name, []).append(ValidationError(_("Enter a number."), code="invalid"))
            continue
        if value < 0 or not value.is_finite():
            errors.setdefault(name, []).append(ValidationError(_("Enter an amount of zero or more."), code="invalid"))
        data[name] = value.quantize(Decimal("0.01"))
    if not data.get("taxpayer_type"):
        data["taxpayer_type"] = TaxpayerType.SMALL
    elif data["taxpayer_type"] not in TaxpayerType.values:
        errors.setdefault("taxpayer_type", []).append(ValidationError(_("Choose a taxpayer type."), code="invalid"))
    # invoicing defaults: the legal name and the USCC (税号 = 统一社会信用代码)
    for name in ("industry", "invoice_title", "tax_number", "invoice_address_phone", "invoice_bank_account"):
        data[name] = data.get(name) or ""
    if data["tax_number"]:
        data["tax_number"] = uscc.normalise(data["tax_number"])
    if errors:
        raise ValidationError(errors)
    data["invoice_title"] = data["invoice_title"] or data["legal_name"]
    data["tax_number"] = data["tax_number"] or data["uscc"]
    data["name_key"] = selectors.name_key(data["legal_name"])
    return data, warnings


def _check_applicant(user) -> None:
    if party_of(user) != DISTRIBUTOR:
        raise ValidationError(_("Only a buyer's account can register a company."), code="not_a_buyer")
    if CompanyMember.objects.filter(user=user).exists():
        raise ValidationError(
            _("You already belong to a company; an account belongs to one company only."), code="has_company"
        )


def register(*, user, details: dict, licence, consented: bool, now=None) -> Company:
    """Create a company in ``applied`` with ``user`` as its admin. Raises ValidationError (by
    field: the details, ``licence``, ``consent``; or as a whole) and then writes nothing."""
    now = now or timezone.now()
    _check_applicant(user)
    errors: dict = {}
    try:
        data, warnings = clean_details(details)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if licence is None:
        errors.setdefault("licence", []).append(ValidationError(_("Upload the business licence."), code="required"))
    else:
        try:
            licence_check.check_upload(licence)
        except ValidationError as exc:
            errors.setdefault("licence", []).append(exc)
    if not consented:
        errors.setdefault("consent", []).append(
            ValidationError(_("Agree to the user agreement and the privacy policy to register."), code="required")
        )
    if errors:
        raise ValidationError(errors)
    company = Company(**data, uscc_warnings=warnings, applied_by=user, applied_at=now, status=CompanyStatus.APPLIED)
    try:
        with transaction.atomic():
            company.licence.save(licence.name, licence, save=False)
            company.save()
            CompanyMember.objects.create(company=company, user=user, role=Role.ADMIN, added_by=user, added_at=now)
            adopt_orders(company, user)
            Consent.objects.create(
                user=user,
                terms_version=settings.USER_AGREEMENT_VERSION,
                privacy_version=settings.PRIVACY_POLICY_VERSION,
                consented_at=now,
            )
    except IntegrityError as exc:  # a concurrent registration took the name, the code or the user
        if company.licence:
            company.licence.delete(save=False)  # no row points at it
        raise ValidationError(
            _("This company or this account was registered a moment ago; reload and check."), code="taken"
        ) from exc
    selectors.forget(user)
    return company


def correct_and_reapply(*, company: Company, user, details: dict, licence=None, now=None) -> Company:
    """A rejected company's admin corrects the application (a new licence is optional) and sends
    it back to the queue."""
    now = now or timezone.now()
    if not selectors.can(user, "reapply", company) or company.status != CompanyStatus.REJECTED:
        raise ValidationError(
            _("Only a rejected application can be corrected, by the company's admin."), code="invalid_transition"
        )
    errors: dict = {}
    try:
        data, warnings = clean_details(details, instance=company)
    except ValidationError as exc:
        errors.update(exc.error_dict)
    if licence is not None:
        try:
            licence_check.check_upload(licence)
        except ValidationError as exc:
            errors.setdefault("licence", []).append(exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        changes = {**data, "uscc_warnings": warnings}
        if licence is not None:
            company.uscc = data["uscc"]
            company.licence.save(licence.name, licence, save=False)
            changes["licence"] = company.licence.name
        company = verification.reapply(company, actor=user, changes=changes, now=now)
    return company


def set_customer_code(*, company: Company, code: str, by) -> Company:
    """The platform's own code for the customer (客户编码): unique when set, empty to clear."""
    code = (code or "").strip().upper()
    if code and Company.objects.exclude(pk=company.pk).filter(customer_code=code).exists():
        raise ValidationError(
            {"customer_code": ValidationError(_("Another company has this customer code."), code="taken")}
        )
    company.customer_code = code
    company.save(update_fields=["customer_code", "updated_at"])
    return company
