"""退款单: money given back for an order's lines, quantities and freight share, with a reason
(销售退回, 销售折让, 开票有误); approved by finance, then executed to the original method (on
account: credit restored; by transfer: paid out with a reference). Allocated to the supplier
orders (largest remainder) so each supplier's payable is clawed back to the fen."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plugins.finance.models._base import NOTE, money, user_fk


class Refund(models.Model):
    class Reason(models.TextChoices):
        RETURN = "return", _("Sales return")  # 销售退回
        ALLOWANCE = "allowance", _("Sales allowance")  # 销售折让
        INVOICE_ERROR = "invoice_error", _("Invoicing error")  # 开票有误

    class State(models.TextChoices):
        REQUESTED = "requested", _("Awaiting approval")
        APPROVED = "approved", _("Approved, awaiting payment")
        REFUNDED = "refunded", _("Refunded")
        REJECTED = "rejected", _("Rejected")

    class Method(models.TextChoices):
        ON_ACCOUNT = "on-account", _("Restore credit")
        TRANSFER = "bank-transfer", _("Bank transfer")

    number = models.CharField(_("number"), max_length=32, unique=True)  # TK-YYYYMMDD-NNNN
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="refunds")
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="refunds"
    )
    reason = models.CharField(_("reason"), max_length=16, choices=Reason.choices)
    note = models.TextField(NOTE, blank=True)
    goods_amount = money(_("goods"))
    freight_amount = money(_("freight"))
    amount = money(_("amount"))  # goods + freight
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REQUESTED)
    requested_by = user_fk(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=255, blank=True)
    refunded_by = user_fk(_("refunded by"))
    refunded_at = models.DateTimeField(_("refunded at"), null=True, blank=True)
    payout_reference = models.CharField(_("payout reference"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_refund_amount_positive"),
            models.CheckConstraint(
                condition=Q(goods_amount__gte=0, freight_amount__gte=0), name="fin_refund_parts_not_negative"
            ),
        ]

    def __str__(self):
        return self.number


class RefundLine(models.Model):
    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="lines")
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, related_name="refund_lines")
    quantity = models.PositiveIntegerField(_("quantity"), default=0)  # 0: an allowance on the line's price
    amount = money(_("amount"))

    class Meta:
        verbose_name = _("refund line")
        verbose_name_plural = _("refund lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="fin_refund_line_positive")]

    def __str__(self):
        return f"{self.refund} {self.order_line_id} × {self.quantity}"


class RefundAllocation(models.Model):
    """The part of a refund that belongs to one supplier order (goods and freight share), and the
    commission on it that the platform gives back: the supplier's clawback is goods + freight −
    commission."""

    refund = models.ForeignKey(Refund, on_delete=models.CASCADE, related_name="allocations")
    supplier_order = models.ForeignKey(
        "s2b2b_orders.SupplierOrder", on_delete=models.PROTECT, related_name="refund_allocations"
    )
    goods = money(_("goods"))
    freight = money(_("freight"))
    commission = money(_("commission"))

    class Meta:
        verbose_name = _("refund allocation")
        verbose_name_plural = _("refund allocations")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["refund", "supplier_order"], name="fin_refund_allocation_once"),
        ]

    def __str__(self):
        return f"{self.refund} → {self.supplier_order_id}"
