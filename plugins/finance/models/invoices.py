"""发票 (数电票): the VAT rate and 19-digit tax classification code of what is sold (category
default, product override), a company's invoice requests for paid orders, the invoices issued
through a provider (the built-in one records a 20-digit number and a PDF), and red-letter
invoices (红字) for refunds after invoicing."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.files import private_storage
from plugins.finance.models._base import RATE, money, user_fk


class TaxCategory(models.Model):
    """The tax treatment of a catalogue category (and its products unless they override it)."""

    category = models.OneToOneField("catalogue.Category", on_delete=models.CASCADE, related_name="tax")
    rate = models.DecimalField(_("VAT rate"), **RATE)
    code = models.CharField(_("tax classification code"), max_length=19)  # 商品和服务税收分类编码
    short_name = models.CharField(_("classification short name"), max_length=32)  # *简称* on invoice lines

    class Meta:
        verbose_name = _("category tax")
        verbose_name_plural = _("category taxes")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=1), name="fin_tax_category_rate"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{19}$"), name="fin_tax_category_code"),
        ]

    def __str__(self):
        return f"{self.category} {self.rate:%}"


class ProductTax(models.Model):
    product = models.OneToOneField("catalogue.Product", on_delete=models.CASCADE, related_name="tax")
    rate = models.DecimalField(_("VAT rate"), **RATE)
    code = models.CharField(_("tax classification code"), max_length=19)
    short_name = models.CharField(_("classification short name"), max_length=32)

    class Meta:
        verbose_name = _("product tax")
        verbose_name_plural = _("product taxes")
        constraints = [
            models.CheckConstraint(condition=Q(rate__gte=0, rate__lt=1), name="fin_product_tax_rate"),
            models.CheckConstraint(condition=Q(code__regex=r"^[0-9]{19}$"), name="fin_product_tax_code"),
        ]

    def __str__(self):
        return f"{self.product} {self.rate:%}"


class InvoiceRequest(models.Model):
    class Kind(models.TextChoices):
        SPECIAL = "special", _("VAT special invoice")  # 电子发票（增值税专用发票）
        NORMAL = "normal", _("VAT normal invoice")  # 电子发票（普通发票）

    class State(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        ISSUED = "issued", _("Issued")
        REJECTED = "rejected", _("Rejected")

    class RedKind(models.TextChoices):
        NONE = "", _("Blue invoice")
        FULL = "full", _("Full red-letter")
        PARTIAL = "partial", _("Partial red-letter")

    number = models.CharField(_("number"), max_length=32, unique=True)  # KP-YYYYMMDD-NNNN
    company = models.ForeignKey("companies.Company", on_delete=models.PROTECT, related_name="invoice_requests")
    kind = models.CharField(_("invoice type"), max_length=16, choices=Kind.choices)
    orders = models.ManyToManyField("order.Order", related_name="invoice_requests", blank=True)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.REQUESTED)
    #: a red-letter request (红字确认单) names the blue invoice it offsets and the refund behind it
    red_kind = models.CharField(_("red-letter"), max_length=16, choices=RedKind.choices, blank=True)
    blue_invoice = models.ForeignKey(
        "finance.Invoice", on_delete=models.PROTECT, null=True, blank=True, related_name="red_requests"
    )
    refund = models.ForeignKey(
        "finance.Refund", on_delete=models.PROTECT, null=True, blank=True, related_name="invoice_requests"
    )
    # the buyer's invoicing details when requested (a snapshot)
    buyer_name = models.CharField(_("buyer name"), max_length=200)
    buyer_tax_number = models.CharField(_("taxpayer identification number"), max_length=20)
    buyer_address_phone = models.CharField(_("address and telephone"), max_length=200, blank=True)
    buyer_bank_account = models.CharField(_("bank and account number"), max_length=200, blank=True)
    amount_excl_tax = money(_("amount excluding tax"))
    tax = money(_("tax"))
    amount_incl_tax = money(_("amount including tax"))
    note = models.CharField(_("remarks"), max_length=200, blank=True)
    requested_by = user_fk(_("requested by"))
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = user_fk(_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    rejection_reason = models.CharField(_("rejection reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("invoice request")
        verbose_name_plural = _("invoice requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(red_kind="") | Q(blue_invoice__isnull=False), name="fin_red_request_names_blue"
            ),
        ]

    def __str__(self):
        return self.number


class Invoice(models.Model):
    request = models.OneToOneField(InvoiceRequest, on_delete=models.PROTECT, related_name="invoice")
    number = models.CharField(_("invoice number"), max_length=20, unique=True)  # 20 digits (数电票)
    kind = models.CharField(_("invoice type"), max_length=16, choices=InvoiceRequest.Kind.choices)
    is_red = models.BooleanField(_("red-letter"), default=False)
    issued_at = models.DateTimeField(_("issued at"))
    provider = models.CharField(_("provider"), max_length=32)
    amount_excl_tax = money(_("amount excluding tax"))
    tax = money(_("tax"))
    amount_incl_tax = money(_("amount including tax"))
    pdf = models.FileField(_("PDF"), upload_to="finance/invoices/%Y/%m/", storage=private_storage, blank=True)
    #: the buyer confirmed the blue invoice (用途确认 / 入账): afterwards only a partial red for
    #: returns and allowances, or a full red by the buyer's own request
    buyer_confirmed_at = models.DateTimeField(_("confirmed by the buyer at"), null=True, blank=True)
    buyer_confirmed_by = user_fk(_("confirmed by"))

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["-issued_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(number__regex=r"^[0-9]{20}$"), name="fin_invoice_number")]

    def __str__(self):
        return self.number


class InvoiceLine(models.Model):
    """A line as printed: ``*简称*品名``, quantity (negative on a red invoice), unit price (always
    positive), amount and tax (negative on a red invoice)."""

    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="lines", null=True, blank=True)
    request = models.ForeignKey(InvoiceRequest, on_delete=models.CASCADE, related_name="lines")
    #: the order the line invoices (its goods line, or its freight when ``order_line`` is empty)
    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    order_line = models.ForeignKey("order.Line", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    specification = models.CharField(_("specification"), max_length=100, blank=True)
    unit = models.CharField(_("unit"), max_length=16, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=4)
    unit_price = models.DecimalField(_("unit price"), max_digits=18, decimal_places=8)
    amount = money(_("amount"))  # excluding tax
    rate = models.DecimalField(_("VAT rate"), **RATE)
    tax = money(_("tax"))
    tax_code = models.CharField(_("tax classification code"), max_length=19)

    class Meta:
        verbose_name = _("invoice line")
        verbose_name_plural = _("invoice lines")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=Q(unit_price__gte=0), name="fin_invoice_line_price")]

    def __str__(self):
        return self.name
