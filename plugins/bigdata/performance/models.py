"""Sales targets and the weighted score's weights (set by operators; read by the targets page and
GraphQL). Written only through ``performance.services``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from plugins.bigdata.performance.periods import Level, TargetPeriod

__all__ = ["SalesTarget", "ScoreWeights", "TargetLevel", "TargetOwner"]


class TargetOwner(models.TextChoices):
    SALESPERSON = "salesperson", _("Salesperson")
    REGION = "region", _("Province")


class TargetLevel(models.TextChoices):
    MONTH = Level.MONTH.value, _("Month")
    QUARTER = Level.QUARTER.value, _("Quarter")
    YEAR = Level.YEAR.value, _("Year")


class SalesTarget(models.Model):
    """One salesperson's or one province's targets for one month, quarter or year (named by its
    first day). A blank target is no target: its achievement is "—" and it drops out of the score."""

    owner_kind = models.CharField(_("target for"), max_length=16, choices=TargetOwner.choices)
    salesperson = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("salesperson"),
    )
    #: GB/T 2260 code of the province (region targets)
    province_code = models.CharField(_("province code"), max_length=6, blank=True)
    level = models.CharField(_("period type"), max_length=8, choices=TargetLevel.choices)
    period_start = models.DateField(_("target period"))
    revenue = models.DecimalField(_("revenue target"), max_digits=14, decimal_places=2, null=True, blank=True)
    new_customers = models.PositiveIntegerField(_("new companies target"), null=True, blank=True)
    collections = models.DecimalField(_("collections target"), max_digits=14, decimal_places=2, null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("sales target")
        verbose_name_plural = _("sales targets")
        ordering = ["level", "period_start", "owner_kind", "province_code", "salesperson_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["salesperson", "level", "period_start"],
                condition=Q(owner_kind="salesperson"),
                name="bd_target_salesperson_once",
            ),
            models.UniqueConstraint(
                fields=["province_code", "level", "period_start"],
                condition=Q(owner_kind="region"),
                name="bd_target_region_once",
            ),
            models.CheckConstraint(
                condition=(Q(owner_kind="salesperson", salesperson__isnull=False, province_code=""))
                | (Q(owner_kind="region", salesperson__isnull=True) & ~Q(province_code="")),
                name="bd_target_one_owner",
            ),
            models.CheckConstraint(
                condition=(Q(revenue__isnull=True) | Q(revenue__gt=0))
                & (Q(new_customers__isnull=True) | Q(new_customers__gt=0))
                & (Q(collections__isnull=True) | Q(collections__gt=0)),
                name="bd_target_positive",
            ),
        ]

    def __str__(self):
        owner = self.province_code if self.owner_kind == TargetOwner.REGION else str(self.salesperson_id)
        return f"{owner} {self.period.label}"

    @property
    def period(self) -> TargetPeriod:
        return TargetPeriod(Level(self.level), self.period_start)


class ScoreWeights(models.Model):
    """The weighted score's weights in percent (one row; summing to 100) and the cap on what an
    over-achievement counts for (null: no cap)."""

    revenue = models.PositiveSmallIntegerField(_("revenue weight"), default=60)
    new_customers = models.PositiveSmallIntegerField(_("new companies weight"), default=20)
    collections = models.PositiveSmallIntegerField(_("collections weight"), default=20)
    cap = models.PositiveSmallIntegerField(_("achievement cap"), null=True, blank=True, default=120)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("score weights")
        verbose_name_plural = _("score weights")
        constraints = [
            models.CheckConstraint(
                condition=Q(revenue=100 - F("new_customers") - F("collections")), name="bd_weights_sum_100"
            ),
            models.CheckConstraint(condition=Q(cap__isnull=True) | Q(cap__gte=100), name="bd_weights_cap_100"),
        ]

    def __str__(self):
        return f"{self.revenue}/{self.new_customers}/{self.collections}"
