"""The forked partner app: Oscar's models, with the supplier's cost and order terms on its offer.

A supplier's offer of a product is a StockRecord; what the platform pays the supplier per unit
belongs on it (one owner): the supplier enters it in the portal, price-rule floors keep a
margin over it, supplier orders copy it at forwarding time. So do the offer's order terms: the
minimum order quantity (起订量) and the pack multiple (包装倍数) a basket line must respect
(shop.partner.quantities, enforced by the strategy's availability).
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

    min_order_quantity = models.PositiveIntegerField(
        _("Minimum order quantity"),
        default=1,
        help_text=_("The fewest units a buyer may order in one basket line."),
    )
    pack_multiple = models.PositiveIntegerField(
        _("Pack multiple"),
        default=1,
        help_text=_("A basket line's quantity must be a multiple of this (e.g. 6 for a box of six)."),
    )

    class Meta(AbstractStockRecord.Meta):
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="stockrecord_cost_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(min_order_quantity__gte=1) & Q(pack_multiple__gte=1),
                name="stockrecord_order_terms_positive",
            ),
        ]


from oscar.apps.partner.models import *  # noqa: E402, F403  Oscar's other partner models
