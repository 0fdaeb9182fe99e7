"""After-sales requests (售后): a buyer asks a supplier to take goods back and refund them (退货退款),
to exchange them (换货) or to refund without a return (仅退款), for lines and quantities of one
supplier's delivered part of an order (s2b2b_orders' SupplierOrder). Lifecycle:
services/requests.py (MACHINE); audit rows: core.TransitionLog."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.files import private_storage


class Kind(models.TextChoices):
    RETURN = "return", _("Return and refund")
    EXCHANGE = "exchange", _("Exchange")
    REFUND = "refund", _("Refund only")


class Reason(models.TextChoices):
    QUALITY = "quality", _("Quality problem")
    DAMAGED = "damaged", _("Damaged in transit")
    WRONG_ITEM = "wrong_item", _("Wrong item or specification")
    SHORT = "short", _("Missing quantity")
    NOT_NEEDED = "not_needed", _("No longer needed")
    OTHER = "other", _("Other reason")


class State(models.TextChoices):
    REQUESTED = "requested", _("Awaiting the supplier")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    RETURN_SHIPPED = "return_shipped", _("Goods sent back")
    RETURN_RECEIVED = "return_received", _("Returned goods received")
    REFUNDING = "refunding", _("Refund with finance")
    REFUNDED = "refunded", _("Refunded")
    CLOSED = "closed", _("Closed")


#: states whose quantities are taken (a rejected or cancelled request gives them back)
TAKEN_STATES = tuple(s for s in State.values if s not in (State.REJECTED, State.CANCELLED))
#: states in which the refund amount is not yet with finance (it counts against the lines' paid amount)
BEFORE_FINANCE = (State.REQUESTED, State.APPROVED, State.RETURN_SHIPPED, State.RETURN_RECEIVED)


class AfterSalesRequest(models.Model):
    number = models.CharField(_("After-sales number"), max_length=32, unique=True)
    supplier_order = models.ForeignKey(
        "s2b2b_orders.SupplierOrder",
        on_delete=models.PROTECT,
        related_name="aftersales_requests",
        verbose_name=_("Supplier order"),
    )
    # copied from the supplier order so lists filter without joins
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="aftersales_requests")
    partner = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, related_name="aftersales_requests", verbose_name=_("Supplier")
    )
    kind = models.CharField(_("Type"), max_length=12, choices=Kind.choices)
    reason = models.CharField(_("Reason"), max_length=16, choices=Reason.choices)
    description = models.TextField(_("Description"), blank=True, max_length=1000)
    state = models.CharField(_("State"), max_length=16, choices=State.choices, default=State.REQUESTED)
    refund_amount = models.DecimalField(_("Refund amount"), max_digits=12, decimal_places=2, default=Decimal("0.00"))
    #: finance's refund (退款单) number once the refund was handed to finance
    refund_number = models.CharField(_("Refund number"), max_length=32, blank=True)
    rejection_reason = models.TextField(_("Rejection reason"), blank=True)
    return_carrier = models.CharField(_("Return carrier"), max_length=64, blank=True)
    return_tracking = models.CharField(_("Return tracking number"), max_length=64, blank=True)
    replacement_carrier = models.CharField(_("Replacement carrier"), max_length=64, blank=True)
    replacement_tracking = models.CharField(_("Replacement tracking number"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("Requested at"), auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    return_shipped_at = models.DateTimeField(null=True, blank=True)
    return_received_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("After-sales request")
        verbose_name_plural = _("After-sales requests")
        indexes = [
            models.Index(fields=["partner", "state", "-created_at"], name="aftersales_partner_state"),
            models.Index(fields=["order", "-created_at"], name="aftersales_order"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(refund_amount__gte=0), name="aftersales_refund_not_negative"),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(rejection_reason=""), name="aftersales_rejection_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(kind="exchange") | Q(refund_amount=0), name="aftersales_exchange_refunds_nothing"
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self) -> str:
        return reverse("aftersales:detail", args=[self.number])

    @property
    def refunds_money(self) -> bool:
        return self.kind in (Kind.RETURN, Kind.REFUND)


class AfterSalesLine(models.Model):
    request = models.ForeignKey(AfterSalesRequest, on_delete=models.CASCADE, related_name="lines")
    supplier_order_line = models.ForeignKey(
        "s2b2b_orders.SupplierOrderLine", on_delete=models.PROTECT, related_name="aftersales_lines"
    )
    quantity = models.PositiveIntegerField(_("Quantity"))
    #: this line's share of the request's refund amount (largest remainder by what was paid)
    amount = models.DecimalField(_("Amount"), max_digits=12, decimal_places=2, default=Decimal("0.00"))

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["request", "supplier_order_line"], name="aftersales_line_once"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="aftersales_line_quantity_positive"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="aftersales_line_amount_not_negative"),
        ]

    def __str__(self):
        return f"{self.supplier_order_line.sku} × {self.quantity}"


def photo_path(instance, filename):
    return f"aftersales/{instance.request_id}/{filename}"


class AfterSalesPhoto(models.Model):
    request = models.ForeignKey(AfterSalesRequest, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("Photo"), upload_to=photo_path, storage=private_storage)
    filename = models.CharField(max_length=255)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("id",)

    def __str__(self):
        return self.filename

    def get_absolute_url(self) -> str:
        return reverse("aftersales:photo", args=[self.pk])
