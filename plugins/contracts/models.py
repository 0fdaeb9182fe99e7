"""Contracts between a distributor's company and the platform (the merchant of record).

A contract is a snapshot: the parties, goods and money as they stood when it was made, the
template version it was made from, and the PDF revisions it went through (each stored once with
its SHA-256, never changed). Its lifecycle is ``lifecycle.CONTRACT`` on the kernel's state machine;
every event that matters as evidence is an ``EvidenceEvent`` chained by hashes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage


class Kind(models.TextChoices):
    SALES = "sales", _("Sales contract")  # 购销合同, one per order
    FRAMEWORK = "framework", _("Framework agreement")  # 框架协议, one per company at a time
    SUPPLEMENT = "supplement", _("Supplementary agreement")  # 补充协议, amends a signed contract


class TemplateState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class ContractTemplate(models.Model):
    """A contract template; its text lives in numbered versions. The published version of a
    kind is used for new contracts; contracts already made keep the version they were made from."""

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("contract template")
        verbose_name_plural = _("contract templates")

    def __str__(self):
        return self.name


class TemplateVersion(models.Model):
    """One version of a template: HTML with the Django template language, rendered against a
    contract's snapshot. Published only when every mandatory clause is present
    (``clauses.missing``); a published version is never edited (a change is a new version)."""

    template = models.ForeignKey(ContractTemplate, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    body = models.TextField(_("template text"))
    notes = models.CharField(_("what changed"), max_length=200, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=TemplateState.choices, default=TemplateState.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        ordering = ["template", "-number"]
        verbose_name = _("template version")
        verbose_name_plural = _("template versions")
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="contracts_version_number_unique"),
            models.UniqueConstraint(
                fields=["template"], condition=Q(state="published"), name="contracts_one_published_version"
            ),
        ]

    def __str__(self):
        return f"{self.template} v{self.number}"


class Policy(models.TextChoices):
    PER_ORDER = "per_order", _("Sign a contract for every order")
    FRAMEWORK = "framework", _("A signed framework agreement covers orders; each order is confirmed on acceptance")


class CompanyContractPolicy(models.Model):
    """How a company's orders are contracted (民法典 Art. 491), and whether its credit line and
    tier wait for an effective framework agreement."""

    company = models.OneToOneField("companies.Company", on_delete=models.CASCADE, related_name="contract_policy")
    policy = models.CharField(_("contract policy"), max_length=16, choices=Policy.choices, default=Policy.PER_ORDER)
    framework_required_for_credit = models.BooleanField(
        _("credit line and tier need an effective framework agreement"), default=False
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("contract policy")
        verbose_name_plural = _("contract policies")

    def __str__(self):
        return f"{self.company}: {self.get_policy_display()}"


def seal_path(instance, filename):
    return f"contracts/seals/{instance.company_id}/{filename}"


class CompanySeal(models.Model):
    """The image of a company's seal stamped on its signatures (the signature itself is the
    cryptographic one); uploaded by the company admin, or generated from the legal name."""

    company = models.OneToOneField("companies.Company", on_delete=models.CASCADE, related_name="contract_seal")
    image = models.FileField(_("seal image"), upload_to=seal_path, storage=private_storage)
    generated = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return str(self.company)


class SealGrant(models.Model):
    """签章授权: a person the company admin authorised to sign contracts for the company, up to
    an amount (above it the company's approver approves first, 用印审批) and until a date."""

    company = models.ForeignKey("companies.Company", on_delete=models.CASCADE, related_name="seal_grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="seal_grants")
    amount_cap = models.DecimalField(
        _("amount cap"), max_digits=14, decimal_places=2, null=True, blank=True, help_text=_("Empty: no cap.")
    )
    expires_on = models.DateField(_("valid until"), null=True, blank=True)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-granted_at"]
        verbose_name = _("signing authorisation")
        verbose_name_plural = _("signing authorisations")
        constraints = [
            models.UniqueConstraint(
                fields=["company", "user"], condition=Q(revoked_at__isnull=True), name="contracts_one_live_grant"
            ),
        ]

    def __str__(self):
        return f"{self.company} / {self.user}"


class State(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent for signing")
    NEGOTIATING = "negotiating", _("Under negotiation")
    BUYER_SIGNED = "buyer_signed", _("Signed by buyer")
    COUNTERSIGNED = "countersigned", _("Countersigned")
    EFFECTIVE = "effective", _("Effective")
    AMENDED = "amended", _("Amended")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    VOIDED = "voided", _("Voided")


def document_path(instance, filename):
    return f"contracts/{instance.contract.number}/{filename}"


class Contract(models.Model):
    number = models.CharField(_("contract number"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="contracts")
    #: the order of a sales contract (and of a supplementary agreement to it)
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="contracts")
    #: what a supplementary agreement amends, or what a renewal renews
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children")
    template_version = models.ForeignKey(TemplateVersion, on_delete=models.PROTECT, related_name="contracts")
    #: the parties, goods and money as they stood when the contract was made (JSON, money as strings)
    snapshot = models.JSONField(default=dict)
    #: the template version rendered against the snapshot: the text the PDF was made from
    html = models.TextField(blank=True)
    total = models.DecimalField(_("total"), max_digits=14, decimal_places=2, default=0)
    total_uppercase = models.CharField(_("total in words"), max_length=100, blank=True)
    stamp_duty = models.DecimalField(_("stamp duty (estimate)"), max_digits=12, decimal_places=2, default=0)
    signing_place = models.CharField(_("place of signing"), max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)

    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    state_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    buyer_signed_at = models.DateTimeField(null=True, blank=True)
    countersigned_at = models.DateTimeField(null=True, blank=True)
    effective_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    buyer_signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: 用印审批: the company approver who allowed a signature above the signer's cap
    seal_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    seal_approved_at = models.DateTimeField(null=True, blank=True)
    #: reading before signing (强制阅读): seconds on the document and whether the end was reached
    read_seconds = models.PositiveIntegerField(default=0)
    read_to_end = models.BooleanField(default=False)
    #: the RFC 3161 token over the evidence chain's head, taken when the contract became effective
    chain_head_timestamp = models.BinaryField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["company", "state"]), models.Index(fields=["state", "created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(kind="sales") & ~Q(state="voided"),
                name="contracts_one_live_sales_contract_per_order",
            ),
            models.CheckConstraint(
                condition=~Q(kind="sales") | Q(order__isnull=False), name="contracts_sales_contract_has_order"
            ),
        ]

    def __str__(self):
        return self.number

    @property
    def current_document(self) -> ContractDocument | None:
        return self.documents.order_by("-revision").first()


class DocumentStage(models.TextChoices):
    PREPARED = "prepared", _("For signing")  # rendered, both signature fields created
    BUYER_SIGNED = "buyer_signed", _("Signed by buyer")
    COUNTERSIGNED = "countersigned", _("Countersigned")
    ARCHIVED = "archived", _("Archive timestamp")  # B-LTA document timestamp


class ContractDocument(models.Model):
    """One PDF revision of a contract, stored once with its SHA-256 and never changed."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="documents")
    revision = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=16, choices=DocumentStage.choices)
    file = models.FileField(upload_to=document_path, storage=private_storage)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    #: PAdES level reached by this revision (B-B, B-T, B-LT, B-LTA), empty before signing
    level = models.CharField(max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["contract", "revision"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "revision"], name="contracts_document_revision_unique"),
            models.UniqueConstraint(fields=["sha256"], name="contracts_document_sha256_unique"),
        ]

    def __str__(self):
        return f"{self.contract} r{self.revision}"


class SigningCode(models.Model):
    """A one-time code for one signature: bound to the contract, the person and the SHA-256 of
    the exact PDF revision shown; stored as an HMAC, never in clear."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="signing_codes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document_sha256 = models.CharField(max_length=64)
    code_hmac = models.CharField(max_length=64)
    channel = models.CharField(max_length=16, default="email")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    superseded = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["contract", "user", "created_at"])]

    def __str__(self):
        return f"{self.contract} / {self.user_id}"


class EvidenceKind(models.TextChoices):
    CREATED = "created", _("Created")
    SENT = "sent", _("Sent")
    VIEWED = "viewed", _("Viewed")
    COMMENTED = "commented", _("Commented")
    SEAL_APPROVED = "seal_approved", _("Seal use approved")
    CODE_SENT = "code_sent", _("Code sent")
    CODE_FAILED = "code_failed", _("Wrong code")
    CODE_VERIFIED = "code_verified", _("Code verified")
    SIGNED = "signed", _("Signed by buyer")
    COUNTERSIGNED = "countersigned", _("Countersigned")
    EFFECTIVE = "effective", _("Became effective")
    DOWNLOADED = "downloaded", _("Downloaded")
    VERIFIED = "verified", _("Verified")
    AMENDED = "amended", _("Amended")
    RENEWED = "renewed", _("Renewed")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")
    VOIDED = "voided", _("Voided")
    ARCHIVED = "archived", _("Archive timestamp")


class EvidenceEvent(models.Model):
    """存证: one event of a contract's life. ``hash`` = SHA-256 over the previous record's hash and
    this record's canonical fields, so changing any stored event breaks the chain from there on."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="evidence")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=EvidenceKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    #: who, as written at the time (name and e-mail, or "system"), kept if the user is deleted
    actor_label = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField()
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["contract", "seq"]
        constraints = [models.UniqueConstraint(fields=["contract", "seq"], name="contracts_evidence_seq_unique")]

    def __str__(self):
        return f"{self.contract} #{self.seq} {self.kind}"


class Comment(models.Model):
    """The buyer's comment on a sent contract (renegotiation) or the operator's answer."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    body = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.contract} / {self.author_id}"
