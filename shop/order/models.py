"""Oscar's order models, with the buying company recorded on the order.

``Order.user`` is the person who placed it (下单人); ``Order.company`` the company they bought for,
set when the order is created (shop.order.utils.OrderCreator) and never changed afterwards, so a
person leaving the company does not take its orders with them.

``purchase_order_number`` is the buyer's own purchase-order number (采购单号, from their ERP), and
``supplier_remarks`` what the buyer wrote at checkout to each supplier (partner id → remark);
both are given at checkout (shop.checkout.forms.PlaceOrderForm) and copied onto the documents
made from the order (each supplier order takes its supplier's remark).
"""

from django.core.validators import ProhibitNullCharactersValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.order.abstract_models import AbstractOrder

#: the longest purchase-order number (ERP numbers are far shorter; EDI allows 35)
PURCHASE_ORDER_NUMBER_LENGTH = 50
#: the longest remark to one supplier
SUPPLIER_REMARK_LENGTH = 200


class Order(AbstractOrder):
    company = models.ForeignKey(
        "companies.Company",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("company"),
    )
    purchase_order_number = models.CharField(
        _("Purchase order number"),
        max_length=PURCHASE_ORDER_NUMBER_LENGTH,
        blank=True,
        validators=[ProhibitNullCharactersValidator()],
        help_text=_("Your own purchase-order number, printed on the order and its supplier orders."),
    )
    supplier_remarks = models.JSONField(_("Remarks to suppliers"), default=dict, blank=True)

    class Meta(AbstractOrder.Meta):
        app_label = "order"


from oscar.apps.order.models import *  # noqa: E402,F403  the forked app keeps Oscar's other models
