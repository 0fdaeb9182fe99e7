"""对账单 and closed periods. A statement is the figures of one party (a company or a supplier)
for a period, frozen when issued; the counterparty confirms it or disputes it with a reason. A
closed month refuses postings dated in it (corrections post in the open period)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plugins.finance.models._base import user_fk


class ClosedPeriod(models.Model):
    month = models.DateField(_("month"), unique=True)  # the first day of the closed month
    closed_by = user_fk(_("closed by"))
    closed_at = models.DateTimeField(_("closed at"), auto_now_add=True)

    class Meta:
        verbose_name = _("closed period")
        verbose_name_plural = _("closed periods")
        ordering = ["-month"]
        constraints = [models.CheckConstraint(condition=Q(month__day=1), name="fin_closed_period_first_day")]

    def __str__(self):
        return self.month.strftime("%Y-%m")


class Statement(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("Awaiting confirmation")
        CONFIRMED = "confirmed", _("Confirmed")
        DISPUTED = "disputed", _("Disputed")
        RESOLVED = "resolved", _("Dispute resolved")

    number = models.CharField(_("number"), max_length=32, unique=True)  # DZ-YYYYMM-NNNN
    company = models.ForeignKey(
        "companies.Company", on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    supplier = models.ForeignKey(
        "partner.Partner", on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    #: the figures when issued, in fen (opening, orders, receipts, … closing); see services.statements
    figures = models.JSONField(_("figures"), default=dict)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.ISSUED)
    issued_by = user_fk(_("issued by"))
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    answered_by = user_fk(_("answered by"))
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    dispute_reason = models.TextField(_("dispute reason"), blank=True)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = user_fk(_("resolved by"))
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(company__isnull=True, supplier__isnull=False)
                | Q(company__isnull=False, supplier__isnull=True),
                name="fin_statement_one_party",
            ),
            models.CheckConstraint(condition=Q(period_end__gte=models.F("period_start")), name="fin_statement_period"),
        ]

    def __str__(self):
        return self.number
