"""Companies (企业客户): the buyer as a legal entity, its people and their roles.

A company is an application until an operator verifies it (企业认证); its people are users with
one role each. A user belongs to at most one company. Member data (tier, credit, points …) is
still the user's Membership today and will hang on ``Company`` later: nothing here assumes a
company has one user.
"""

import posixpath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length, Lower
from django.db.models.lookups import Exact
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import private_storage


class CompanyStatus(models.TextChoices):
    APPLIED = "applied", _("Awaiting verification")
    VERIFIED = "verified", _("Verified")
    REJECTED = "rejected", _("Rejected")
    SUSPENDED = "suspended", _("Suspended")


class TaxpayerType(models.TextChoices):
    GENERAL = "general", _("General VAT taxpayer")
    SMALL = "small", _("Small-scale VAT taxpayer")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")
    FINANCE = "finance", _("Finance")
    READ_ONLY = "readonly", _("Read-only")


def licence_path(instance, filename):
    return f"companies/licences/{instance.uscc}/{filename}"


class Company(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=200)
    #: the legal name folded for duplicate checks (NFKC, lower case, no spaces): 阿里巴巴（中国）
    #: and 阿里巴巴(中国) are the same name to a reviewer
    name_key = models.CharField(max_length=200, db_index=True, editable=False, default="")
    uscc = models.CharField(_("unified social credit code"), max_length=18)
    #: what companies.uscc.check warned about (the embedded organisation code), for the reviewer
    uscc_warnings = models.JSONField(default=list, blank=True)
    legal_representative = models.CharField(_("legal representative"), max_length=50)
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=50)
    address = models.CharField(_("registered address"), max_length=200)
    industry = models.CharField(_("industry"), max_length=100, blank=True)
    registered_capital = models.DecimalField(
        _("registered capital (10,000 yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    licence = models.FileField(
        _("business licence"), upload_to=licence_path, storage=private_storage, blank=True, max_length=255
    )
    contact_phone = models.CharField(_("mobile number"), max_length=20, blank=True)
    # invoicing details (开票信息)
    invoice_title = models.CharField(_("invoice title"), max_length=200, blank=True)
    tax_number = models.CharField(_("taxpayer identification number"), max_length=20, blank=True)
    invoice_address_phone = models.CharField(_("address and telephone"), max_length=200, blank=True)
    invoice_bank_account = models.CharField(_("bank and account number"), max_length=200, blank=True)
    taxpayer_type = models.CharField(
        _("taxpayer type"), max_length=16, choices=TaxpayerType.choices, default=TaxpayerType.SMALL
    )
    customer_code = models.CharField(_("customer code"), max_length=32, blank=True)
    expected_annual_purchase = models.DecimalField(
        _("expected annual purchase (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=CompanyStatus.choices, default=CompanyStatus.APPLIED)
    #: why it was last rejected or suspended (the audit trail keeps every step)
    status_reason = models.TextField(_("reason"), blank=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    applied_at = models.DateTimeField(_("applied at"))
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["legal_name"]
        verbose_name = _("company")
        verbose_name_plural = _("companies")
        constraints = [
            models.UniqueConstraint(Lower("legal_name"), name="companies_company_legal_name_ci_unique"),
            models.UniqueConstraint(fields=["uscc"], name="companies_company_uscc_unique"),
            models.UniqueConstraint(
                fields=["customer_code"],
                condition=~Q(customer_code=""),
                name="companies_company_customer_code_unique",
            ),
            models.CheckConstraint(condition=Exact(Length("uscc"), 18), name="companies_company_uscc_18_chars"),
            models.CheckConstraint(condition=Q(status__in=CompanyStatus.values), name="companies_company_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[CompanyStatus.REJECTED, CompanyStatus.SUSPENDED]) | ~Q(status_reason=""),
                name="companies_company_reason_when_refused",
            ),
            models.CheckConstraint(
                condition=Q(registered_capital__isnull=True) | Q(registered_capital__gte=0),
                name="companies_company_capital_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(expected_annual_purchase__isnull=True) | Q(expected_annual_purchase__gte=0),
                name="companies_company_purchase_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(taxpayer_type__in=TaxpayerType.values), name="companies_company_taxpayer_type_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "applied_at"], name="companies_company_queue")]

    def __str__(self):
        return self.legal_name

    @property
    def is_verified(self) -> bool:
        return self.status == CompanyStatus.VERIFIED

    @property
    def licence_url(self) -> str:
        return reverse("companies:licence", args=[self.pk]) if self.licence else ""

    @property
    def licence_filename(self) -> str:
        return posixpath.basename(self.licence.name) if self.licence else ""


class CompanyMember(models.Model):
    """A person of a company: one user, one role. A user belongs to at most one company."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="company_members")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(_("added at"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["company", "added_at", "id"]
        verbose_name = _("company member")
        verbose_name_plural = _("company members")
        constraints = [
            models.UniqueConstraint(fields=["user"], name="companies_member_one_company_per_user"),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="companies_member_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.company}"


class Consent(models.Model):
    """A user's consent to the user agreement and the privacy policy, with the versions they saw
    (PIPL): written when they register a company."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    terms_version = models.CharField(_("user agreement version"), max_length=32)
    privacy_version = models.CharField(_("privacy policy version"), max_length=32)
    consented_at = models.DateTimeField(_("consented at"))
    context = models.CharField(max_length=32, default="company_registration")

    class Meta:
        ordering = ["consented_at", "id"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.CheckConstraint(
                condition=~Q(terms_version="") & ~Q(privacy_version=""), name="companies_consent_versions_given"
            ),
        ]

    def __str__(self):
        return f"{self.user} {self.terms_version}/{self.privacy_version}"


from companies.approvals.models import (  # noqa: E402  (purchase approval's rows belong to this app)
    ApprovalRequest,
    ApprovalRule,
    ApprovalStep,
)

__all__ = [
    "ApprovalRequest",
    "ApprovalRule",
    "ApprovalStep",
    "Company",
    "CompanyMember",
    "CompanyStatus",
    "Consent",
    "Role",
    "TaxpayerType",
]
