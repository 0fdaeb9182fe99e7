"""What an order's delivery costs: the freight provider hook.

Oscar's shipping repository (shop/shipping/repository.py), the checkout's shipping step and
the supplier-order split ask the one installed plugin that declares
``PluginAppConfig.freight_provider`` (logistics: freight templates per supplier and province).
Without a provider shipping is free (Oscar's ``Free`` method) and supplier parts carry no
freight.
"""

from decimal import Decimal
from typing import Protocol

from core.plugins import provider


class BasketFreight(Protocol):
    """The freight of a basket for a delivery province."""

    province: str

    @property
    def total(self) -> Decimal: ...

    @property
    def deliverable(self) -> bool: ...

    @property
    def message(self) -> str:
        """Why the basket cannot be delivered (empty when it can), in the buyer's language."""


class FreightProvider(Protocol):
    def basket_freight(self, basket, province: str) -> BasketFreight: ...

    def order_freight(self, order) -> dict[int, Decimal]:
        """{partner_id: freight} of a placed order's supplier parts (stored on first call, idempotent)."""


def is_provided() -> bool:
    return provider("freight_provider") is not None


def basket_freight(basket, province: str) -> BasketFreight | None:
    """The provider's freight for ``basket`` to ``province``, or None when shipping is free."""
    hook = provider("freight_provider")
    return hook.basket_freight(basket, province) if hook is not None else None


def order_freight(order) -> dict[int, Decimal]:
    hook = provider("freight_provider")
    return hook.order_freight(order) if hook is not None else {}
