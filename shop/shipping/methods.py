"""The one shipping method when a freight provider is installed: freight per supplier part
(core.freight; logistics computes it). Without one, Oscar's free shipping applies."""

from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from oscar.apps.shipping import methods
from oscar.core import prices

from core.freight import BasketFreight


class SupplierFreight(methods.Base):
    code = "supplier-freight"
    name = _("Express delivery")
    description = _("Freight per supplier, from each supplier's freight template for the delivery province.")

    def __init__(self, freight: BasketFreight):
        self.freight = freight

    def calculate(self, basket):
        amount = self.freight.total if self.freight.deliverable else Decimal("0.00")
        return prices.Price(currency=basket.currency or "CNY", excl_tax=amount, incl_tax=amount)
