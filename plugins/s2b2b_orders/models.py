"""Supplier profiles, supplier orders (split from Oscar orders), their audit trail, escalations
and product review (their outbox messages are the kernel's: core.outbox). Invariants that must
hold whatever code runs are DB constraints."""

from decimal import Decimal

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from core.orders import status as order_status


class Channel(models.TextChoices):
    PORTAL = "portal", _("Supplier portal only")
    WEBHOOK = "webhook", _("Signed webhook")
    EMAIL = "email", _("E-mail")


class SupplierProfile(models.Model):
    partner = models.OneToOneField(
        "partner.Partner", on_delete=models.CASCADE, related_name="supplier_profile", verbose_name=_("Supplier")
    )
    legal_name = models.CharField(_("Legal name"), max_length=200)
    contact_name = models.CharField(_("Contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("Contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("Contact e-mail"), blank=True)
    channel = models.CharField(_("Forwarding channel"), max_length=16, choices=Channel.choices, default=Channel.PORTAL)
    webhook_url = models.URLField(_("Webhook URL"), blank=True)
    webhook_secret = models.CharField(_("Webhook secret"), max_length=128, blank=True)
    acceptance_hours = models.PositiveIntegerField(_("Acceptance deadline (hours)"), default=24)
    backup_partner = models.ForeignKey(
        "partner.Partner",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="backup_for",
        verbose_name=_("Backup supplier"),
    )
    auto_reroute = models.BooleanField(_("Re-route late orders to the backup automatically"), default=False)
    commission_rate = models.DecimalField(
        _("Commission rate"), max_digits=5, decimal_places=4, default=Decimal("0.0500")
    )

    class Meta:
        verbose_name = _("Supplier profile")
        verbose_name_plural = _("Supplier profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(acceptance_hours__gte=1) & Q(acceptance_hours__lte=720), name="s2b2b_profile_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(commission_rate__gte=0) & Q(commission_rate__lt=1), name="s2b2b_profile_commission_range"
            ),
            models.CheckConstraint(
                condition=~Q(channel="webhook") | (~Q(webhook_url="") & ~Q(webhook_secret="")),
                name="s2b2b_profile_webhook_needs_url_and_secret",
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(contact_email=""), name="s2b2b_profile_email_needs_address"
            ),
            models.CheckConstraint(
                condition=~Q(backup_partner=models.F("partner")), name="s2b2b_profile_backup_not_self"
            ),
        ]

    def __str__(self):
        return self.legal_name

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        if self.channel == Channel.WEBHOOK:
            if not self.webhook_url:
                errors["webhook_url"] = _("A webhook supplier needs a webhook URL.")
            if not self.webhook_secret:
                errors["webhook_secret"] = _("A webhook supplier needs a signing secret.")
        if self.channel == Channel.EMAIL and not self.contact_email:
            errors["contact_email"] = _("An e-mail supplier needs a contact e-mail.")
        if self.backup_partner_id and self.backup_partner_id == self.partner_id:
            errors["backup_partner"] = _("A supplier cannot be its own backup.")
        if self.commission_rate is not None and not (0 <= self.commission_rate < 1):
            errors["commission_rate"] = _("The commission rate is a fraction between 0 and 1, e.g. 0.05.")
        if self.acceptance_hours is not None and not (1 <= self.acceptance_hours <= 720):
            errors["acceptance_hours"] = _("Between 1 and 720 hours.")
        if errors:
            raise ValidationError(errors)


class State(models.TextChoices):
    """A supplier order's states: the kernel's supplier-part states (core.orders.status.PART_*),
    so the parent order's status can be derived by the kernel's rule."""

    FORWARDED = order_status.PART_FORWARDED, _("Forwarded")
    ACCEPTED = order_status.PART_ACCEPTED, _("Accepted")
    REJECTED = order_status.PART_REJECTED, _("Rejected")
    PARTIALLY_SHIPPED = order_status.PART_PARTIALLY_SHIPPED, _("Partially shipped")
    SHIPPED = order_status.PART_SHIPPED, _("Shipped")
    DELIVERED = order_status.PART_DELIVERED, _("Delivered")
    COMPLETED = order_status.PART_COMPLETED, _("Completed")
    CANCELLED = order_status.PART_CANCELLED, _("Cancelled")


class SupplierOrder(models.Model):
    """One supplier's part of a distributor's order: a snapshot taken when the order was placed."""

    number = models.CharField(_("Number"), max_length=64, unique=True)
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="supplier_orders")
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="supplier_orders", verbose_name=_("Supplier")
    )
    sequence = models.PositiveSmallIntegerField()
    state = models.CharField(_("Order state"), max_length=20, choices=State.choices, default=State.FORWARDED)
    currency = models.CharField(max_length=12, default="CNY")
    subtotal = models.DecimalField(_("Goods"), max_digits=12, decimal_places=2)
    freight = models.DecimalField(_("Freight"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    # delivery address, copied (a later change of the distributor's address never rewrites it)
    consignee = models.CharField(_("Consignee"), max_length=255, blank=True)
    company = models.CharField(_("Company"), max_length=255, blank=True)
    phone = models.CharField(_("Phone"), max_length=64, blank=True)
    province = models.CharField(_("Province"), max_length=64, blank=True)
    city = models.CharField(_("City"), max_length=255, blank=True)
    district = models.CharField(_("District"), max_length=255, blank=True)
    street = models.CharField(_("Street"), max_length=255, blank=True)
    postcode = models.CharField(_("Postcode"), max_length=64, blank=True)
    #: the delivery notes (配送备注) of the order's address: for the people who pack and deliver
    buyer_note = models.TextField(_("Delivery notes"), blank=True)
    #: what the buyer wrote at checkout to this supplier (the order's ``supplier_remarks``)
    buyer_remark = models.TextField(_("Buyer's remark"), blank=True)

    created_at = models.DateTimeField(_("Created"), auto_now_add=True)
    deadline_at = models.DateTimeField(_("Accept by"))
    accepted_at = models.DateTimeField(null=True, blank=True)
    rejected_at = models.DateTimeField(null=True, blank=True)
    shipped_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("Rejection reason"), blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    #: set on a supplier order re-routed to a backup supplier: the one it replaces
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    #: the kernel's outbox messages about this supplier order (OutboxMessage.objects.filter(supplier_order=…))
    outbox_messages = GenericRelation("core.OutboxMessage", related_query_name="supplier_order")

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("Supplier order")
        verbose_name_plural = _("Supplier orders")
        constraints = [
            # a retried split never creates a second supplier order for the same supplier part
            models.UniqueConstraint(
                fields=["order", "partner"], condition=Q(replaces__isnull=True), name="s2b2b_one_split_per_supplier"
            ),
            models.UniqueConstraint(fields=["order", "sequence"], name="s2b2b_sequence_per_order"),
            models.CheckConstraint(condition=Q(subtotal__gte=0) & Q(freight__gte=0), name="s2b2b_amounts_positive"),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="s2b2b_rejection_has_reason"
            ),
        ]
        # the lists read newest first (created_at, id descending): the supplier portal per
        # supplier, with or without a state; the back office over all, with or without a state.
        # Each index matches its list's filter and order, so a page is an index range, not a
        # sort of the table. (state, deadline_at) serves the escalation sweep.
        indexes = [
            models.Index(fields=["partner", "state", "-created_at", "-id"], name="s2b2b_so_partner_state_new"),
            models.Index(fields=["partner", "-created_at", "-id"], name="s2b2b_so_partner_new"),
            models.Index(fields=["state", "-created_at", "-id"], name="s2b2b_so_state_new"),
            models.Index(fields=["-created_at", "-id"], name="s2b2b_so_new"),
            models.Index(fields=["state", "deadline_at"]),
        ]

    def __str__(self):
        return self.number

    @property
    def total(self) -> Decimal:
        return self.subtotal + self.freight

    @property
    def address_text(self) -> str:
        return " ".join(p for p in (self.province, self.city, self.district, self.street) if p)


class SupplierOrderLine(models.Model):
    supplier_order = models.ForeignKey(SupplierOrder, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="supplier_order_lines")
    sku = models.CharField(_("SKU"), max_length=128)
    name = models.CharField(_("Product"), max_length=255)
    quantity = models.PositiveIntegerField(_("Quantity"))
    unit_price = models.DecimalField(_("Unit price"), max_digits=12, decimal_places=2)
    line_total = models.DecimalField(_("Line total"), max_digits=12, decimal_places=2)
    unit_cost = models.DecimalField(_("Supplier cost"), max_digits=12, decimal_places=2, null=True, blank=True)
    #: how much of the line has shipped so far (partial shipments); written under the supplier
    #: order's row lock by lifecycle.ship, never more than the quantity
    shipped_quantity = models.PositiveIntegerField(_("Shipped"), default=0)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["supplier_order", "order_line"], name="s2b2b_line_once_per_supplier_order"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="s2b2b_line_quantity_positive"),
            models.CheckConstraint(
                condition=Q(shipped_quantity__lte=models.F("quantity")), name="s2b2b_line_not_over_shipped"
            ),
        ]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"

    @property
    def outstanding_quantity(self) -> int:
        return self.quantity - self.shipped_quantity


class SupplierOrderEvent(models.Model):
    """Audit row: one per transition (who, when, from, to, why)."""

    supplier_order = models.ForeignKey(SupplierOrder, on_delete=models.CASCADE, related_name="events")
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    via = models.CharField(max_length=16, default="system")  # portal, api, back office, system
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self):
        return f"{self.supplier_order_id}: {self.from_state} → {self.to_state}"


class Escalation(models.Model):
    class Resolution(models.TextChoices):
        OPEN = "open", _("Awaiting action")
        REROUTED = "rerouted", _("Re-routed to the backup supplier")
        DISMISSED = "dismissed", _("Dismissed")

    supplier_order = models.OneToOneField(SupplierOrder, on_delete=models.CASCADE, related_name="escalation")
    reason = models.CharField(max_length=32, default="deadline")  # deadline, rejected
    created_at = models.DateTimeField(auto_now_add=True)
    resolution = models.CharField(max_length=12, choices=Resolution.choices, default=Resolution.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self):
        return str(self.supplier_order)


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class ProductListing(models.Model):
    """Whether a supplier-created product has been approved for the storefront.

    Products without a listing row (created by operators) are visible; a supplier's new product
    stays hidden until an operator approves it."""

    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="s2b2b_listing")
    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="product_listings")
    approved = models.BooleanField(default=False)

    def __str__(self):
        return f"{self.product_id}: {self.approved}"


class ProductChange(models.Model):
    """A supplier's proposed new product or change of title, description or price, waiting for review.

    Nothing reaches the live product (and so the storefront) before an operator approves it."""

    class Kind(models.TextChoices):
        NEW = "new", _("New product")
        CHANGE = "change", _("Change")

    product = models.ForeignKey("catalogue.Product", on_delete=models.CASCADE, related_name="s2b2b_changes")
    partner = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="product_changes")
    kind = models.CharField(_("Kind"), max_length=8, choices=Kind.choices)
    status = models.CharField(_("Status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.PENDING)
    title = models.CharField(_("Title"), max_length=255)
    description = models.TextField(_("Description"), blank=True)
    price = models.DecimalField(_("Price"), max_digits=12, decimal_places=2)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(_("Rejection reason"), blank=True)

    class Meta:
        ordering = ("-submitted_at", "-id")
        constraints = [
            # one open proposal per product at a time
            models.UniqueConstraint(
                fields=["product"], condition=Q(status="pending"), name="s2b2b_one_pending_change_per_product"
            ),
            models.CheckConstraint(condition=Q(price__gt=0), name="s2b2b_change_price_positive"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="s2b2b_change_rejection_has_reason"
            ),
        ]

    def __str__(self):
        return self.title


class TaxpayerType(models.TextChoices):
    GENERAL = "general", _("General VAT taxpayer")
    SMALL = "small", _("Small-scale taxpayer")


class LegalStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved (in force)")
    REJECTED = "rejected", _("Rejected by the platform")
    SUPERSEDED = "superseded", _("Superseded by a newer version")


def licence_path(instance, filename):
    return f"s2b2b_orders/licences/{instance.partner_id}/{filename}"


class SupplierLegalProfile(models.Model):
    """One version of a supplier's legal details (企业资料), as its staff submitted it.

    Versions, not one row per supplier: the approved version is what contracts and settlements
    read (``selectors.approved_legal_profile``) and stays as it is while a newer submission waits
    for an operator; approving the newer one supersedes it. At most one version of a supplier is
    pending and at most one approved (constraints below), so the USCC is unique across suppliers
    among approved versions by a DB constraint (pending ones are checked by the service).
    The business licence lives in the private storage, read only through an access-checked view."""

    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.CASCADE, related_name="legal_profiles", verbose_name=_("Supplier")
    )
    status = models.CharField(_("Status"), max_length=12, choices=LegalStatus.choices, default=LegalStatus.PENDING)
    legal_name = models.CharField(_("Legal name"), max_length=200)
    uscc = models.CharField(_("Unified social credit code"), max_length=18)
    province = models.CharField(_("Province"), max_length=64)
    city = models.CharField(_("City"), max_length=100)
    address = models.CharField(_("Registered address"), max_length=255)
    representative = models.CharField(_("Legal representative"), max_length=100)
    bank_name = models.CharField(_("Bank"), max_length=200)
    bank_account = models.CharField(_("Bank account number"), max_length=64)
    taxpayer_type = models.CharField(_("Taxpayer type"), max_length=8, choices=TaxpayerType.choices)
    licence = models.FileField(_("Business licence"), upload_to=licence_path, storage=private_storage, max_length=255)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("Submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("Reviewed"), null=True, blank=True)
    rejection_reason = models.TextField(_("Rejection reason"), blank=True)

    class Meta:
        ordering = ("-submitted_at", "-id")
        verbose_name = _("Supplier legal details")
        verbose_name_plural = _("Supplier legal details")
        constraints = [
            models.UniqueConstraint(
                fields=["partner"], condition=Q(status="pending"), name="s2b2b_legal_one_pending_per_supplier"
            ),
            models.UniqueConstraint(
                fields=["partner"], condition=Q(status="approved"), name="s2b2b_legal_one_approved_per_supplier"
            ),
            # one approved version per supplier, so this is "unique across suppliers"
            models.UniqueConstraint(fields=["uscc"], condition=Q(status="approved"), name="s2b2b_legal_uscc_unique"),
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(rejection_reason=""), name="s2b2b_legal_rejection_has_reason"
            ),
            models.CheckConstraint(condition=Q(uscc__regex=r"^[0-9A-HJ-NPQRTUWXY]{18}$"), name="s2b2b_legal_uscc_form"),
        ]

    def __str__(self):
        return self.legal_name

    @property
    def address_text(self) -> str:
        return " ".join(p for p in (self.province, self.city, self.address) if p)

    @property
    def licence_url(self) -> str:
        from django.urls import reverse

        return reverse("s2b2b-legal-licence", args=[self.pk])

    @property
    def licence_filename(self) -> str:
        import posixpath

        return posixpath.basename(self.licence.name)
