"""The forked partner app: Oscar's models, with the supplier's cost on its offer.

A supplier's offer of a product is a StockRecord; what the platform pays the supplier per unit
belongs on it (one owner): the supplier enters it in the portal, price-rule floors keep a
margin over it, supplier orders copy it at forwarding time.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractStockRecord


class StockRecord(AbstractStockRecord):
    cost = models.DecimalField(
        _("Supplier cost"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the platform pays the supplier per unit (tax included)."),
    )

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="stockrecord_cost_not_negative"
            )
        ]


from oscar.apps.partner.models import *  # noqa: E402, F403  Oscar's other partner models
