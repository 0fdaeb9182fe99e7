"""Supplier settlement (结算): the platform owes each supplier its goods less commission, plus its
freight share, less refunds; batched per supplier per period: draft → confirmed by the supplier in
the portal → paid with a payout reference. A supplier that owes the platform (a refund after it
was paid) has it netted in its next batch."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plugins.finance.models._base import RATE, money, user_fk


class CategoryCommission(models.Model):
    """A supplier's commission rate for one category, overriding its profile's rate."""

    supplier = models.ForeignKey("partner.Partner", on_delete=models.CASCADE, related_name="category_commissions")
    category = models.ForeignKey("catalogue.Category", on_delete=models.CASCADE, related_name="+")
    rate = models.DecimalField(_("commission rate"), **RATE)

    class Meta:
        verbose_name = _("category commission")
        verbose_name_plural = _("category commissions")
        constraints = [
            models.UniqueConstraint(fields=["supplier", "category"], name="fin_commission_once"),
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=1), name="fin_commission_rate_range"),
        ]

    def __str__(self):
        return f"{self.supplier} {self.category} {self.rate:%}"


class SettlementBatch(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        CONFIRMED = "confirmed", _("Confirmed by the supplier")
        DISPUTED = "disputed", _("Disputed by the supplier")
        PAID = "paid", _("Paid")
        CANCELLED = "cancelled", _("Cancelled")

    number = models.CharField(_("number"), max_length=32, unique=True)  # JS-YYYYMM-NNNN
    supplier = models.ForeignKey("partner.Partner", on_delete=models.PROTECT, related_name="settlement_batches")
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    goods = money(_("goods"))
    commission = money(_("commission"))
    freight = money(_("freight"))
    refunds = money(_("refunds"))  # clawed back (goods + freight − commission of refunds)
    netted = money(_("netted balance"))  # what the supplier owed the platform before this batch
    payable = money(_("payable"))  # goods − commission + freight − refunds − netted
    created_by = user_fk(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    confirmed_by = user_fk(_("confirmed by"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    dispute_reason = models.CharField(_("dispute reason"), max_length=255, blank=True)
    paid_by = user_fk(_("paid by"))
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    payout_reference = models.CharField(_("payout reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("settlement batch")
        verbose_name_plural = _("settlement batches")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="fin_batch_period"),
            models.UniqueConstraint(
                fields=["payout_reference"], condition=~Q(payout_reference=""), name="fin_batch_payout_once"
            ),
        ]

    def __str__(self):
        return self.number


class SettlementLine(models.Model):
    """One supplier order settled (once: a supplier order is in one live batch at most), or one
    refund clawed back after its supplier order was settled."""

    batch = models.ForeignKey(SettlementBatch, on_delete=models.CASCADE, related_name="lines")
    supplier_order = models.ForeignKey(
        "s2b2b_orders.SupplierOrder", on_delete=models.PROTECT, null=True, blank=True, related_name="settlement_lines"
    )
    refund_allocation = models.ForeignKey(
        "finance.RefundAllocation", on_delete=models.PROTECT, null=True, blank=True, related_name="settlement_lines"
    )
    goods = money(_("goods"))
    commission_rate = models.DecimalField(_("commission rate"), default=0, **RATE)
    commission = money(_("commission"))
    freight = money(_("freight"))
    refunds = money(_("refunds"))
    payable = money(_("payable"))

    class Meta:
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(supplier_order__isnull=False) | Q(refund_allocation__isnull=False),
                name="fin_settlement_line_subject",
            ),
        ]

    def __str__(self):
        return f"{self.batch} {self.supplier_order_id or self.refund_allocation_id}"
