"""Oscar's shipping repository, handing the freight to the installed freight provider
(core.freight; logistics).

One method whose charge is the sum of the supplier parts' freight for the delivery province:
the shipping address's province at checkout; on the basket page the province the buyer chose
there, else the province of their default address. A basket that cannot be delivered to the
province gets no method at checkout (so checkout cannot go on) and the reason is shown.
Without a freight provider, Oscar's own methods apply (free shipping).
"""

from django.db.models import prefetch_related_objects
from oscar.apps.shipping import repository

from core import freight as kernel_freight
from core.freight import BasketFreight
from shop.shipping.methods import SupplierFreight

SESSION_KEY = "logistics_province"


def delivery_province(user=None, shipping_addr=None, request=None, prefer_chosen=False) -> str:
    chosen = request.session.get(SESSION_KEY, "") if request is not None and hasattr(request, "session") else ""
    if prefer_chosen and chosen:
        return chosen
    if shipping_addr is not None and getattr(shipping_addr, "state", ""):
        return shipping_addr.state
    if chosen:
        return chosen
    if user is not None and user.is_authenticated:
        address = user.addresses.filter(is_default_for_shipping=True).only("state").first()
        if address is None:
            address = user.addresses.only("state").first()
        if address is not None:
            return address.state
    return ""


def prime(basket) -> None:
    """Load the products' stock records and classes in one query each: Oscar's line pricing and
    is_shipping_required() would otherwise fetch them line by line."""
    products = [line.product for line in basket.all_lines() if line.product_id]
    prefetch_related_objects(products, "stockrecords", "product_class", "parent__product_class")


class Repository(repository.Repository):
    def get_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        prime(basket)
        return super().get_shipping_methods(basket, shipping_addr=shipping_addr, **kwargs)

    def _freight(self, basket, shipping_addr=None, prefer_chosen=False, **kwargs) -> BasketFreight | None:
        if not kernel_freight.is_provided():
            return None
        province = delivery_province(kwargs.get("user"), shipping_addr, kwargs.get("request"), prefer_chosen)
        return kernel_freight.basket_freight(basket, province)

    def get_available_shipping_methods(self, basket, shipping_addr=None, **kwargs):
        freight = self._freight(basket, shipping_addr, **kwargs)
        if freight is None:  # no freight provider: Oscar's free shipping
            return super().get_available_shipping_methods(basket, shipping_addr=shipping_addr, **kwargs)
        if not freight.deliverable:
            return []
        return [SupplierFreight(freight)]

    def get_default_shipping_method(self, basket, shipping_addr=None, **kwargs):
        """For the basket page: the method even when the province is not delivered to (its
        freight carries the message), so the page can say why instead of failing."""
        prime(basket)
        if not basket.is_shipping_required():
            return super().get_default_shipping_method(basket, shipping_addr=shipping_addr, **kwargs)
        freight = self._freight(basket, shipping_addr, prefer_chosen=True, **kwargs)
        if freight is None:
            return super().get_default_shipping_method(basket, shipping_addr=shipping_addr, **kwargs)
        method = SupplierFreight(freight)
        if freight.deliverable and basket.has_shipping_discounts:
            return self.apply_shipping_offers(basket, [method])[0]
        return method
