"""The ledger: accounts, journal entries and their postings (integer fen, debit positive).

Entries and postings are append-only (a correction is a reversing entry) and every entry
balances: on PostgreSQL the database refuses anything else (migration 0002: triggers, the
balance check deferred to COMMIT); on every database the only writer, services.ledger, checks
the same before it writes.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plugins.finance import chart


class Account(models.Model):
    code = models.CharField(_("code"), max_length=16)
    name = models.CharField(_("name"), max_length=64)
    type = models.CharField(_("type"), max_length=16, choices=chart.TYPES)
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("company"),
    )
    supplier = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("supplier")
    )

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("accounts")
        ordering = ["code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=True) | Q(supplier__isnull=True), name="fin_account_one_owner"
            ),
            models.UniqueConstraint(
                fields=["code"], condition=Q(company__isnull=True, supplier__isnull=True), name="fin_account_platform"
            ),
            models.UniqueConstraint(
                fields=["code", "company"], condition=Q(company__isnull=False), name="fin_account_company"
            ),
            models.UniqueConstraint(
                fields=["code", "supplier"], condition=Q(supplier__isnull=False), name="fin_account_supplier"
            ),
        ]

    def __str__(self):
        owner = self.company or self.supplier
        label = f"{self.code} {gettext(self.name)}"
        return f"{label} · {owner}" if owner else label


class JournalEntry(models.Model):
    key = models.CharField(_("idempotency key"), max_length=128, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=chart.KINDS)
    posted_on = models.DateField(_("posted on"), db_index=True)
    memo = models.CharField(_("memo"), max_length=255, blank=True)
    #: plain numbers, not foreign keys: a credit reservation is posted before its order exists
    order_number = models.CharField(_("order number"), max_length=128, blank=True, db_index=True)
    supplier_order_number = models.CharField(_("supplier order number"), max_length=128, blank=True)
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-posted_on", "-id"]
        indexes = [models.Index(fields=["kind", "order_number"], name="fin_entry_kind_order")]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.key}"


class Posting(models.Model):
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="postings")
    #: fen; debit positive, credit negative
    amount = models.BigIntegerField(_("amount (fen)"))

    class Meta:
        verbose_name = _("posting")
        verbose_name_plural = _("postings")
        ordering = ["id"]
        constraints = [models.CheckConstraint(condition=~Q(amount=0), name="fin_posting_nonzero")]

    def __str__(self):
        return f"{self.account.code} {self.amount}"
