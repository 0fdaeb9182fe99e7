"""收款单: money that reached the platform's bank account, recorded by finance or imported from a
bank statement, matched to a company and its orders (by the order number in the memo 附言, by
amount and payer name, or claimed from the 待认领 queue), then approved: approval posts it to the
ledger and records the orders' payment through the kernel. What is not applied to an order stays
the company's unapplied credit (2203) and can be allocated to later orders."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from plugins.finance.models._base import money, user_fk


class BankStatement(models.Model):
    """One uploaded bank statement file (CSV/XLSX): previewed with its matches, then applied."""

    file = models.FileField(_("file"), upload_to="finance/bank-statements/%Y/%m/", storage=private_storage)
    filename = models.CharField(_("file name"), max_length=255)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    uploaded_by = user_fk(_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    applied_by = user_fk(_("applied by"))
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        verbose_name = _("bank statement")
        verbose_name_plural = _("bank statements")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return self.filename


class Receipt(models.Model):
    class State(models.TextChoices):
        UNCLAIMED = "unclaimed", _("Awaiting claim")  # 待认领: no company known
        PENDING = "pending", _("Awaiting approval")  # 待审核: company (and orders) matched or claimed
        APPROVED = "approved", _("Approved")  # 已入账: posted; orders paid
        VOID = "void", _("Void")  # 已作废: recorded by mistake (never after approval)

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by finance")
        IMPORT = "import", _("Bank statement import")

    class MatchedBy(models.TextChoices):
        NONE = "", _("Not matched")
        MEMO = "memo", _("Order number in the memo")
        AMOUNT_PAYER = "amount_payer", _("Amount and payer name")
        CLAIM = "claim", _("Claimed by the company")
        FINANCE = "finance", _("Assigned by finance")

    number = models.CharField(_("number"), max_length=32, unique=True)  # SK-YYYYMMDD-NNNN
    #: the bank's transaction reference (流水号); a second receipt with the same one is refused
    bank_reference = models.CharField(_("bank reference"), max_length=64, unique=True)
    received_on = models.DateField(_("received on"))
    amount = money(_("amount"))
    payer_name = models.CharField(_("payer name"), max_length=200)
    payer_account = models.CharField(_("payer account"), max_length=64, blank=True)
    payer_bank = models.CharField(_("payer bank"), max_length=200, blank=True)
    memo = models.CharField(_("memo"), max_length=255, blank=True)  # 附言
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="receipts",
        verbose_name=_("company"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.UNCLAIMED)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices, default=Source.MANUAL)
    statement = models.ForeignKey(
        BankStatement, on_delete=models.PROTECT, null=True, blank=True, related_name="receipts"
    )
    matched_by = models.CharField(_("matched by"), max_length=16, choices=MatchedBy.choices, blank=True)
    recorded_by = user_fk(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    claimed_by = user_fk(_("claimed by"))
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    approved_by = user_fk(_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    void_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_receipt_amount_positive"),
            models.CheckConstraint(
                condition=Q(state="unclaimed") | Q(state="void") | Q(company__isnull=False),
                name="fin_receipt_company_when_matched",
            ),
            models.CheckConstraint(condition=~Q(bank_reference=""), name="fin_receipt_reference_required"),
        ]
        indexes = [models.Index(fields=["state", "received_on"], name="fin_receipt_state")]

    def __str__(self):
        return self.number


class ReceiptAllocation(models.Model):
    """Part of a receipt applied to an order (its payment, or on account its credit repayment).
    Allocations may be added after approval (unapplied credit used for a later order); their sum
    never exceeds the receipt."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="allocations")
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="receipt_allocations")
    amount = money(_("amount"))
    created_by = user_fk(_("created by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("receipt allocation")
        verbose_name_plural = _("receipt allocations")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="fin_allocation_amount_positive"),
            models.UniqueConstraint(fields=["receipt", "order"], name="fin_allocation_once_per_order"),
        ]

    def __str__(self):
        return f"{self.receipt} → {self.order.number}"
