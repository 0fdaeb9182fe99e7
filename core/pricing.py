"""Where a signed-in buyer's prices come from: the price provider hook.

Oscar's strategy (shop/partner/strategy.py) starts from the offer's list price (the
StockRecord) and, for a signed-in buyer, asks the one installed plugin that declares
``PluginAppConfig.price_provider`` (member_tiers: tier and customer prices) for a
``PriceBook``: loaded once per strategy, i.e. once per request, then asked per product and
per basket line at the line's quantity. Without a provider every buyer pays the list price.
"""

from decimal import Decimal
from typing import Protocol

from core.plugins import provider


class PriceResolution(Protocol):
    """One product's price for one buyer at one quantity, and why."""

    unit_price: Decimal
    list_price: Decimal
    tier_name: str

    @property
    def saving(self) -> Decimal: ...


class PriceBook(Protocol):
    def resolve(self, product, stockrecord, quantity: int = 1) -> PriceResolution: ...


class PriceProvider(Protocol):
    #: relations of the StockRecord the provider reads, so listings select them with the offer
    stockrecord_related: tuple[str, ...]

    def price_book(self, user) -> PriceBook: ...


def price_book(user) -> PriceBook | None:
    """The installed provider's price book for ``user``, or None (list prices)."""
    hook = provider("price_provider")
    return hook.price_book(user) if hook is not None else None


def stockrecord_related() -> tuple[str, ...]:
    hook = provider("price_provider")
    return tuple(getattr(hook, "stockrecord_related", ())) if hook is not None else ()
