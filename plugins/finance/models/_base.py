"""Field helpers the finance documents share."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def money(verbose_name, **kwargs) -> models.DecimalField:
    """Yuan to the fen (the platform's documents are Decimal; the ledger is integer fen)."""
    kwargs.setdefault("default", Decimal("0.00"))
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def user_fk(verbose_name, related_name="+") -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name=related_name,
        verbose_name=verbose_name,
    )


RATE = dict(max_digits=5, decimal_places=4)  # 0.1300 = 13 %
NOTE = _("note")
