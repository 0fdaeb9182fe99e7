"""Oscar's order models, with the buying company recorded on the order.

``Order.user`` is the person who placed it (下单人); ``Order.company`` the company they bought for,
set when the order is created (shop.order.utils.OrderCreator) and never changed afterwards, so a
person leaving the company does not take its orders with them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder


class Order(AbstractOrder):
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("company"),
    )

    class Meta(AbstractOrder.Meta):
        app_label = "order"


from oscar.apps.order.models import *  # noqa: E402,F403  the forked app keeps Oscar's other models
