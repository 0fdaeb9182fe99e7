"""Marketing activities: what an operator defines beside Oscar's offers and voucher sets — a
name, a period, a budget (integer fen) and what the activity covers (offers, voucher sets,
companies, products). Which orders an activity is credited with: ``marketing.returns``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

__all__ = ["Activity"]


class Activity(models.Model):
    name = models.CharField(_("name"), max_length=100)
    start = models.DateField(_("starts on"))
    end = models.DateField(_("ends on"))
    budget = models.BigIntegerField(_("budget (fen)"), default=0)
    offers = models.ManyToManyField("offer.ConditionalOffer", blank=True, related_name="+", verbose_name=_("offers"))
    voucher_sets = models.ManyToManyField(
        "voucher.VoucherSet", blank=True, related_name="+", verbose_name=_("voucher sets")
    )
    companies = models.ManyToManyField("companies.Company", blank=True, related_name="+", verbose_name=_("companies"))
    products = models.ManyToManyField("catalogue.Product", blank=True, related_name="+", verbose_name=_("products"))
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("marketing activity")
        verbose_name_plural = _("marketing activities")
        ordering = ["-start", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(budget__gte=0), name="bd_activity_budget_not_negative"),
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="bd_activity_ends_after_start"),
        ]

    def __str__(self):
        return self.name

    @property
    def budget_yuan(self):
        from core.money import from_fen

        return from_fen(self.budget)
