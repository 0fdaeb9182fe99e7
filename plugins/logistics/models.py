"""Freight templates, carriers, shipments and tracking.

Invariants the database can hold are constraints here; the rest (no province in two region
rules of one template, known province names, tracking-number formats) is checked by the
services, which are the only code that writes these rows.
"""

import posixpath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import private_storage

PIECE, WEIGHT, VOLUME = "piece", "weight", "volume"
CHARGE_MODES = [(PIECE, _("By piece")), (WEIGHT, _("By weight (kg)")), (VOLUME, _("By volume (m³)"))]


class FreightTemplate(models.Model):
    """A freight template: a default rule (on the template itself), region rules overriding it
    for sets of provinces, free-shipping rules, and provinces not delivered to.

    ``partner`` is the supplier owning it; null means a platform template (operators).
    """

    partner = models.ForeignKey(
        "partner.Partner",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="freight_templates",
        verbose_name=_("Supplier"),
    )
    name = models.CharField(_("Name"), max_length=100)
    mode = models.CharField(_("Charge by"), max_length=10, choices=CHARGE_MODES, default=PIECE)
    is_default = models.BooleanField(_("Default template of the supplier"), default=False)
    first_unit = models.DecimalField(_("First unit"), max_digits=10, decimal_places=3)
    first_price = models.DecimalField(_("First price"), max_digits=10, decimal_places=2)
    additional_unit = models.DecimalField(_("Additional unit"), max_digits=10, decimal_places=3)
    additional_price = models.DecimalField(_("Additional price"), max_digits=10, decimal_places=2)
    excluded_provinces = models.JSONField(_("Provinces not delivered to"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partner_id", "-is_default", "name"]
        verbose_name = _("Freight template")
        verbose_name_plural = _("Freight templates")
        constraints = [
            models.UniqueConstraint(
                fields=["partner"],
                condition=Q(is_default=True, partner__isnull=False),
                name="logistics_one_default_template_per_partner",
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True, partner__isnull=True),
                name="logistics_one_default_platform_template",
            ),
            models.CheckConstraint(
                condition=Q(first_unit__gt=0) & Q(additional_unit__gt=0),
                name="logistics_template_units_positive",
            ),
            models.CheckConstraint(
                condition=Q(first_price__gte=0) & Q(additional_price__gte=0),
                name="logistics_template_prices_not_negative",
            ),
        ]

    def __str__(self):
        return self.name


class FreightRegionRule(models.Model):
    template = models.ForeignKey(FreightTemplate, on_delete=models.CASCADE, related_name="region_rules")
    provinces = models.JSONField(_("Provinces"), default=list)
    first_unit = models.DecimalField(_("First unit"), max_digits=10, decimal_places=3)
    first_price = models.DecimalField(_("First price"), max_digits=10, decimal_places=2)
    additional_unit = models.DecimalField(_("Additional unit"), max_digits=10, decimal_places=3)
    additional_price = models.DecimalField(_("Additional price"), max_digits=10, decimal_places=2)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template_id", "position", "id"]
        verbose_name = _("Region rule")
        verbose_name_plural = _("Region rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_unit__gt=0) & Q(additional_unit__gt=0), name="logistics_region_units_positive"
            ),
            models.CheckConstraint(
                condition=Q(first_price__gte=0) & Q(additional_price__gte=0),
                name="logistics_region_prices_not_negative",
            ),
        ]

    def __str__(self):
        return "、".join(self.provinces)


class FreeShippingRule(models.Model):
    """Free shipping for the provinces listed (all delivered provinces when empty) once the
    supplier part reaches ``min_amount`` and/or ``min_quantity`` (both must hold when both are
    set; add two rules for "either")."""

    template = models.ForeignKey(FreightTemplate, on_delete=models.CASCADE, related_name="free_rules")
    provinces = models.JSONField(_("Provinces"), default=list, blank=True)
    min_amount = models.DecimalField(_("Order amount at least"), max_digits=12, decimal_places=2, null=True, blank=True)
    min_quantity = models.PositiveIntegerField(_("Quantity at least"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["template_id", "position", "id"]
        verbose_name = _("Free-shipping rule")
        verbose_name_plural = _("Free-shipping rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_amount__isnull=False) | Q(min_quantity__isnull=False),
                name="logistics_free_rule_has_threshold",
            ),
            models.CheckConstraint(
                condition=Q(min_amount__isnull=True) | Q(min_amount__gt=0), name="logistics_free_amount_positive"
            ),
            models.CheckConstraint(
                condition=Q(min_quantity__isnull=True) | Q(min_quantity__gt=0),
                name="logistics_free_quantity_positive",
            ),
        ]

    def __str__(self):
        return f"{self.min_amount or ''}/{self.min_quantity or ''}"


class ProductFreightTemplate(models.Model):
    """A product that does not use its supplier's default template names another here.

    A separate row keyed by product (rather than a product attribute) keeps a real foreign key
    to the template (no dangling ids, cascades when a template is removed) and lets the
    checkout load every override of a basket in one query.
    """

    product = models.OneToOneField(
        "catalogue.Product", on_delete=models.CASCADE, related_name="freight_template_choice"
    )
    template = models.ForeignKey(FreightTemplate, on_delete=models.CASCADE, related_name="product_choices")

    class Meta:
        verbose_name = _("Product freight template")
        verbose_name_plural = _("Product freight templates")

    def __str__(self):
        return f"{self.product_id} → {self.template_id}"


class Carrier(models.Model):
    code = models.SlugField(_("Code"), max_length=20, unique=True)
    name = models.CharField(_("Name"), max_length=50)
    tracking_pattern = models.CharField(_("Tracking number format (regular expression)"), max_length=200)
    tracking_url = models.CharField(_("Tracking link"), max_length=300, blank=True, help_text="{number}")
    kuaidi100_code = models.CharField(_("Kuaidi100 code"), max_length=30, blank=True)
    active = models.BooleanField(_("Active"), default=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("Carrier")
        verbose_name_plural = _("Carriers")

    def __str__(self):
        return self.name

    def tracking_link(self, number: str) -> str:
        return self.tracking_url.replace("{number}", number) if self.tracking_url else ""


class Shipment(models.Model):
    SHIPPED, IN_TRANSIT, DELIVERING, DELIVERED, PROBLEM, RETURNED = (
        "shipped",
        "in_transit",
        "delivering",
        "delivered",
        "problem",
        "returned",
    )
    STATUSES = [
        (SHIPPED, _("Shipped")),
        (IN_TRANSIT, _("In transit")),
        (DELIVERING, _("Out for delivery")),
        (DELIVERED, _("Delivered")),
        (PROBLEM, _("Problem")),
        (RETURNED, _("Returned")),
    ]

    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="shipments")
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="shipments")
    reference = models.CharField(_("Supplier order number"), max_length=64, blank=True, db_index=True)
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="shipments")
    status = models.CharField(_("Status"), max_length=20, choices=STATUSES, default=SHIPPED)
    shipped_at = models.DateTimeField(_("Shipped at"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-shipped_at", "-id"]
        verbose_name = _("Shipment")
        verbose_name_plural = _("Shipments")

    def __str__(self):
        return self.reference or f"#{self.pk}"

    @property
    def line_items(self) -> list["ShipmentLine"]:
        """What this shipment carries (core.shipments' protocol); prefetched by the selectors."""
        return list(self.shipped_lines.all())


class ShipmentLine(models.Model):
    """One order line's quantity in a shipment: what the parcels of a (partial) shipment carry.
    SKU and name are copied so the shipment reads as it was sent."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="shipped_lines")
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="shipment_lines")
    sku = models.CharField(_("SKU"), max_length=128)
    name = models.CharField(_("Product"), max_length=255)
    quantity = models.PositiveIntegerField(_("Quantity"))

    class Meta:
        ordering = ("id",)
        verbose_name = _("Shipment line")
        verbose_name_plural = _("Shipment lines")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quantity__gt=0), name="logistics_shipment_line_quantity_positive"
            ),
            models.UniqueConstraint(fields=["shipment", "order_line"], name="logistics_shipment_line_once"),
        ]

    def __str__(self):
        return f"{self.sku} × {self.quantity}"


class Parcel(models.Model):
    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="parcels")
    carrier = models.ForeignKey(Carrier, on_delete=models.PROTECT, related_name="parcels")
    tracking_number = models.CharField(_("Tracking number"), max_length=40)
    status = models.CharField(_("Status"), max_length=20, choices=Shipment.STATUSES, default=Shipment.SHIPPED)
    #: its Kuaidi100 subscription, a message of the kernel's outbox (channel "kuaidi100")
    outbox_messages = GenericRelation("core.OutboxMessage", related_query_name="parcel")

    class Meta:
        ordering = ["id"]
        verbose_name = _("Parcel")
        verbose_name_plural = _("Parcels")
        constraints = [
            models.UniqueConstraint(fields=["carrier", "tracking_number"], name="logistics_tracking_number_unique")
        ]

    def __str__(self):
        return self.tracking_number

    @property
    def tracking_link(self) -> str:
        return self.carrier.tracking_link(self.tracking_number)


def voucher_path(instance, filename):
    return f"logistics/vouchers/{instance.shipment_id}/{filename}"


class ShipmentVoucher(models.Model):
    """A photo or PDF of a shipment, kept in the private storage (no URL serves it): it is
    downloaded through ``download_url``, which checks that the asker may see the shipment."""

    shipment = models.ForeignKey(Shipment, on_delete=models.CASCADE, related_name="vouchers")
    file = models.FileField(_("File"), upload_to=voucher_path, storage=private_storage)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("Shipping voucher")
        verbose_name_plural = _("Shipping vouchers")

    def __str__(self):
        return self.file.name

    @property
    def is_image(self) -> bool:
        return not self.file.name.lower().endswith(".pdf")

    @property
    def filename(self) -> str:
        """The name the supplier uploaded it under (as the storage keeps it)."""
        return posixpath.basename(self.file.name)

    @property
    def download_url(self) -> str:
        return reverse("logistics:voucher", args=[self.pk])


class TrackingEvent(models.Model):
    MANUAL, KUAIDI100 = "manual", "kuaidi100"
    SOURCES = [(MANUAL, _("Entered by hand")), (KUAIDI100, _("Kuaidi100"))]

    parcel = models.ForeignKey(Parcel, on_delete=models.CASCADE, related_name="events")
    occurred_at = models.DateTimeField(_("Time"))
    location = models.CharField(_("Location"), max_length=200, blank=True)
    description = models.CharField(_("Description"), max_length=500)
    status = models.CharField(_("Status"), max_length=20, choices=Shipment.STATUSES)
    source = models.CharField(_("Source"), max_length=20, choices=SOURCES)
    dedup_key = models.CharField(max_length=64)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-id"]
        verbose_name = _("Tracking event")
        verbose_name_plural = _("Tracking events")
        constraints = [models.UniqueConstraint(fields=["parcel", "dedup_key"], name="logistics_event_dedup")]

    def __str__(self):
        return self.description


class OrderFreight(models.Model):
    order = models.ForeignKey("order.Order", on_delete=models.CASCADE, related_name="freight_parts")
    partner = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="+")
    province = models.CharField(max_length=30)
    amount = models.DecimalField(_("Freight"), max_digits=12, decimal_places=2)
    explanation = models.TextField(_("Explanation"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order_id", "partner_id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "partner"], name="logistics_order_freight_once"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="logistics_order_freight_not_negative"),
        ]

    def __str__(self):
        return f"{self.order_id}/{self.partner_id}: {self.amount}"


class OrderLineFreight(models.Model):
    order_freight = models.ForeignKey(OrderFreight, on_delete=models.CASCADE, related_name="line_shares")
    line = models.OneToOneField("order.Line", on_delete=models.CASCADE, related_name="freight_share")
    share = models.DecimalField(_("Freight share"), max_digits=12, decimal_places=2)

    class Meta:
        ordering = ["line_id"]
        constraints = [models.CheckConstraint(condition=Q(share__gte=0), name="logistics_line_share_not_negative")]

    def __str__(self):
        return f"{self.line_id}: {self.share}"
