"""Companies (企业客户): the buyer as a legal entity, its people and their roles.

A company is an application until an operator verifies it (企业认证); its people are users with
one role each. A user belongs to at most one company. Member data (tier, credit, points, price
rules, salesperson) hangs on the company through member_tiers' ``Membership(company)``.
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


class IndustryPosition(models.TextChoices):
    """行业地位: where the customer stands in its industry, as the sales team judges it."""

    LEADER = "leader", _("Industry leader")
    BACKBONE = "backbone", _("Backbone enterprise")
    ORDINARY = "ordinary", _("Ordinary enterprise")


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    BUYER = "buyer", _("Buyer")
    APPROVER = "approver", _("Approver")
    FINANCE = "finance", _("Finance")
    READ_ONLY = "readonly", _("Read-only")


def licence_path(instance, filename):
    return f"companies/licences/{instance.uscc or f'company-{instance.pk}'}/{filename}"


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
    industry_position = models.CharField(
        _("industry position"), max_length=16, choices=IndustryPosition.choices, blank=True
    )
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
    #: made by the data migration from a distributor who bought alone before companies existed:
    #: kept trading (verified), but its legal identity (USCC, licence) is still to be completed
    migrated = models.BooleanField(_("identity to complete"), default=False)
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
            models.UniqueConstraint(fields=["uscc"], condition=~Q(uscc=""), name="companies_company_uscc_unique"),
            models.UniqueConstraint(
                fields=["customer_code"],
                condition=~Q(customer_code=""),
                name="companies_company_customer_code_unique",
            ),
            models.CheckConstraint(
                condition=Exact(Length("uscc"), 18) | Q(uscc="", migrated=True), name="companies_company_uscc_18_chars"
            ),
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
            models.CheckConstraint(
                condition=Q(industry_position="") | Q(industry_position__in=IndustryPosition.values),
                name="companies_company_industry_position_valid",
            ),
        ]
        indexes = [models.Index(fields=["status", "applied_at"], name="companies_company_queue")]

    def __str__(self):
        return self.legal_name

    @property
    def identity_incomplete(self) -> bool:
        return self.migrated and not self.uscc

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
    #: the person's mainland mobile number, when they gave one (signing up from an invitation)
    mobile = models.CharField(_("mobile number"), max_length=20, blank=True)
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


class InvitationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for acceptance")
    ACCEPTED = "accepted", _("Joined")
    REVOKED = "revoked", _("Withdrawn")
    #: never stored: a pending invitation past its expiry reads as expired (``effective_status``)
    EXPIRED = "expired", _("Expired")


class CompanyInvitation(models.Model):
    """An e-mail invitation to join a company with a role. Only the SHA-256 of the link's token is
    kept; resending gives a new token and expiry (the old link no longer matches anything).
    A company has at most one pending invitation per e-mail address."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"), max_length=254)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    token_hash = models.CharField(max_length=64, editable=False)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=[c for c in InvitationStatus.choices if c[0] != InvitationStatus.EXPIRED],
        default=InvitationStatus.PENDING,
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("invited at"))
    expires_at = models.DateTimeField(_("expires at"))
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("company invitation")
        verbose_name_plural = _("company invitations")
        constraints = [
            models.UniqueConstraint(fields=["token_hash"], name="companies_invitation_token_unique"),
            models.UniqueConstraint(
                fields=["company", "email"],
                condition=Q(status="pending"),
                name="companies_invitation_one_pending_per_email",
            ),
            models.CheckConstraint(condition=Q(role__in=Role.values), name="companies_invitation_role_valid"),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "accepted", "revoked"]), name="companies_invitation_status_valid"
            ),
            models.CheckConstraint(
                condition=Exact(Lower("email"), models.F("email")), name="companies_invitation_email_lower"
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | (Q(accepted_by__isnull=False) & Q(accepted_at__isnull=False)),
                name="companies_invitation_accepted_by_someone",
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="companies_invitation_expires_later"
            ),
        ]
        indexes = [models.Index(fields=["company", "status"], name="companies_invitation_company")]

    def __str__(self):
        return f"{self.email} → {self.company}"

    def effective_status(self, now=None) -> str:
        from django.utils import timezone

        if self.status == InvitationStatus.PENDING and self.expires_at <= (now or timezone.now()):
            return InvitationStatus.EXPIRED
        return self.status

    def get_effective_status_display(self) -> str:
        return str(dict(InvitationStatus.choices)[self.effective_status()])


class CompanyAddress(models.Model):
    """A delivery address of the company's shared address book (共享收货地址), kept by its admins;
    every member who may order can ship to it at checkout (copied into Oscar's shipping address)."""

    company = models.ForeignKey(Company, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=50)
    consignee = models.CharField(_("consignee"), max_length=50)
    mobile = models.CharField(_("mobile number"), max_length=20)
    province = models.CharField(_("province"), max_length=20)
    city = models.CharField(_("city"), max_length=50)
    district = models.CharField(_("district / county"), max_length=50, blank=True)
    line = models.CharField(_("street address"), max_length=200)
    postcode = models.CharField(_("postcode"), max_length=6, blank=True)
    is_default = models.BooleanField(_("default"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "label", "id"]
        verbose_name = _("company address")
        verbose_name_plural = _("company addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["company"], condition=Q(is_default=True), name="companies_address_one_default"
            ),
            models.CheckConstraint(
                condition=Q(postcode="") | Q(postcode__regex=r"^[0-9]{6}$"), name="companies_address_postcode_6_digits"
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.province}{self.city}{self.district}{self.line}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


def import_path(instance, filename):
    return f"companies/imports/{filename}"


class ImportBatch(models.Model):
    """A file of customers (客户导入) uploaded by one operator; it takes effect only when another
    operator approves it (companies.services.imports). ``rows`` is the snapshot of the file's
    lines as uploaded (line number and cells as text), what approval applies."""

    file = models.FileField(_("file"), upload_to=import_path, storage=private_storage, max_length=255)
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.JSONField(default=list)
    status = models.CharField(_("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by")
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    decided_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    companies = models.ManyToManyField(Company, blank=True, related_name="import_batches")

    class Meta:
        ordering = ["-uploaded_at", "-id"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="companies_import_status_valid"),
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.REJECTED) | ~Q(reason=""), name="companies_import_reason_when_rejected"
            ),
            # four eyes: whoever approves a batch did not upload it
            models.CheckConstraint(
                condition=~Q(status=ImportStatus.APPROVED) | ~Q(decided_by=models.F("uploaded_by")),
                name="companies_import_approver_not_uploader",
            ),
        ]

    def __str__(self):
        return f"#{self.pk}"


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
    "CompanyAddress",
    "CompanyInvitation",
    "CompanyMember",
    "InvitationStatus",
    "CompanyStatus",
    "Consent",
    "ImportBatch",
    "ImportStatus",
    "Role",
    "TaxpayerType",
]
