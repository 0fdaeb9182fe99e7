"""Oscar's shipping repository, handing the freight to plugins.logistics.

One method whose charge is the sum of the supplier parts' freight for the delivery province:
the shipping address's province at checkout; on the basket page the province the buyer chose
there, else the province of their default address. A basket that cannot be delivered to the
province gets no method at checkout (so checkout cannot go on) and the reason is shown.
"""

from oscar.apps.shipping import repository

from plugins.logistics.services.freight import BasketFreight, basket_freight
from shop.shipping.methods import SupplierFreight

SESSION_KEY = "logistics_province"


def delivery_province(user=None, shipping_addr=None, request=None) -> str:
    if shipping_addr is not None and getattr(shipping_addr, "state", ""):
        return shipping_addr.state
    if request is not None and request.session.get(SESSION_KEY):
        return request.session[SESSION_KEY]
    if user is not None and user.is_authenticated:
        address = user.addresses.filter(is_default_for_shipping=True).only("state").first()
        if address is None:
            address = user.addresses.only("state").first()
        if address is not None:
            return address.state
    return ""


class Repository(repository.Repository):
    def _freight(self, basket, shipping_addr=None, **kwargs) -> BasketFreight:
        province = delivery_province(kwargs.get("user"), shipping_addr, kwargs.get("request"))
        return basket_freight(basket, province)

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        freight = self._freight(basket, shipping_addr, **kwargs)
        if not freight.deliverable:
            return []
        return [SupplierFreight(freight)]

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        """For the basket page: the method even when the province is not delivered to (its
        freight carries the message), so the page can say why instead of failing."""
        if not basket.is_shipping_required():
            return super().get_default_shipping_method(basket, shipping_addr=shipping_addr, **kwargs)
        freight = self._freight(basket, shipping_addr, **kwargs)
        method = SupplierFreight(freight)
        if freight.deliverable and basket.has_shipping_discounts:
            return self.apply_shipping_offers(basket, [method])[0]
        return method
