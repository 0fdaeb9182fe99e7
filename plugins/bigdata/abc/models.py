"""Stored ABC runs and the latest class of each product.

``AbcRun`` keeps what a run was asked (its filters as JSON, scope, measure, ABC and XYZ cut-offs)
and who asked (an operator, or the daily schedule: ``created_by`` empty); its ``AbcRunItem`` rows
are what it found, one per product (per scope key for a per-province / supplier / category run),
so two runs can be compared long after the facts moved on. ``ProductClass`` is the class of each
product in the latest scheduled run, keyed by product id (not Oscar's Product: a table of ours the
back office can filter by).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from plugins.bigdata.backends.base import Measure

__all__ = ["AbcMeasure", "AbcRun", "AbcRunItem", "AbcScope", "ProductClass"]


class AbcScope(models.TextChoices):
    OVERALL = "overall", _("Overall")
    PROVINCE = "province", _("Per province")
    SUPPLIER = "supplier", _("Per supplier")
    CATEGORY = "category", _("Per category")


class AbcMeasure(models.TextChoices):
    REVENUE = Measure.REVENUE.value, _("Revenue")
    QUANTITY = Measure.QUANTITY.value, _("Quantity")
    MARGIN = Measure.MARGIN.value, _("Gross margin")


class AbcRun(models.Model):
    filters = models.JSONField(_("filters"), default=dict)
    scope = models.CharField(_("scope"), max_length=16, choices=AbcScope.choices, default=AbcScope.OVERALL)
    measure = models.CharField(_("measure"), max_length=16, choices=AbcMeasure.choices, default=AbcMeasure.REVENUE)
    cutoff_a = models.DecimalField(_("A cut-off (%)"), max_digits=5, decimal_places=2)
    cutoff_b = models.DecimalField(_("B cut-off (%)"), max_digits=5, decimal_places=2)
    xyz_cutoff_x = models.DecimalField(_("X cut-off (CV)"), max_digits=6, decimal_places=3)
    xyz_cutoff_y = models.DecimalField(_("Y cut-off (CV)"), max_digits=6, decimal_places=3)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    #: the operator who saved it; empty for the daily scheduled run
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    #: "daily:<last day>" for a scheduled run, so a re-delivered task stores nothing twice
    schedule_key = models.CharField(max_length=32, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("ABC run")
        verbose_name_plural = _("ABC runs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cutoff_a__gt=0) & Q(cutoff_a__lte=models.F("cutoff_b")) & Q(cutoff_b__lte=100),
                name="bd_abc_run_cutoffs",
            ),
            models.CheckConstraint(
                condition=Q(xyz_cutoff_x__gt=0) & Q(xyz_cutoff_x__lte=models.F("xyz_cutoff_y")),
                name="bd_abc_run_xyz_cutoffs",
            ),
        ]

    def __str__(self):
        return f"ABC #{self.pk}"

    @property
    def scheduled(self) -> bool:
        return bool(self.schedule_key)


class AbcRunItem(models.Model):
    run = models.ForeignKey(AbcRun, on_delete=models.CASCADE, related_name="items", verbose_name=_("ABC run"))
    #: the province code, supplier id or category id of a per-X run ("" for an overall run)
    scope_key = models.CharField(_("scope key"), max_length=32, blank=True, default="")
    scope_name = models.CharField(_("scope name"), max_length=255, blank=True, default="")
    product_id = models.BigIntegerField(_("product"))
    sku = models.CharField(_("SKU"), max_length=128, blank=True)
    title = models.CharField(_("product"), max_length=255, blank=True)
    value = models.BigIntegerField(_("value"))
    cumulative_before = models.BigIntegerField(_("cumulative before"), null=True, blank=True)
    grade = models.CharField(_("class"), max_length=1)
    #: X / Y / Z, "" when monthly demand has no positive mean
    xyz = models.CharField(_("XYZ class"), max_length=1, blank=True, default="")
    #: coefficient of variation of monthly demand (None: no positive mean)
    variation = models.DecimalField(_("coefficient of variation"), max_digits=12, decimal_places=4, null=True)

    class Meta:
        verbose_name = _("ABC run item")
        verbose_name_plural = _("ABC run items")
        constraints = [
            models.UniqueConstraint(fields=["run", "scope_key", "product_id"], name="bd_abc_item_once"),
            models.CheckConstraint(condition=Q(grade__in=["A", "B", "C", "N"]), name="bd_abc_item_grade"),
        ]

    def __str__(self):
        return f"{self.run_id} {self.scope_key} {self.product_id} {self.grade}"


class ProductClass(models.Model):
    """The latest scheduled run's class of a product (what the back office filters by)."""

    product_id = models.BigIntegerField(_("product"), unique=True)
    sku = models.CharField(_("SKU"), max_length=128, blank=True)
    title = models.CharField(_("product"), max_length=255, blank=True)
    grade = models.CharField(_("class"), max_length=1)
    xyz = models.CharField(_("XYZ class"), max_length=1, blank=True, default="")
    value = models.BigIntegerField(_("value"))
    run = models.ForeignKey(AbcRun, on_delete=models.CASCADE, related_name="+", verbose_name=_("ABC run"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("product class")
        verbose_name_plural = _("product classes")
        indexes = [models.Index(fields=["grade", "xyz"], name="bd_product_class_grade")]

    def __str__(self):
        return f"{self.product_id} {self.grade}{self.xyz}"
