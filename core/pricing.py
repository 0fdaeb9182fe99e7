"""Where a signed-in buyer's prices come from: the price provider hook.

Oscar's strategy (shop/partner/strategy.py) starts from the offer's list price (the
StockRecord) and, for a signed-in buyer, asks the one installed plugin that declares
``PluginAppConfig.price_provider`` (member_tiers: tier and customer prices) for a
``PriceBook``: loaded once per strategy, i.e. once per request, then asked per product and
per basket line at the line's quantity. Without a provider every buyer pays the list price.

Prices are VAT-inclusive (含税价). The VAT rate inside a price comes from the one installed plugin
that declares ``PluginAppConfig.tax_rate`` (finance: the category's tax class or the product's
override): ``TaxRates`` are loaded once per strategy and asked for many products at once (a basket's
lines together), so no page pays a query per product. ``split_tax`` is the one way an inclusive
amount is split into the amount excluding tax and the tax. Without a provider the tax is ¥0.
"""

from decimal import Decimal
from typing import Protocol

from core.money import fen
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

    def breaks(self, product, stockrecord, start: int = 1) -> list[tuple[int, Decimal]]:
        """(quantity, unit price) from ``start`` up, at each quantity where the price changes."""
        ...


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


class TaxRates(Protocol):
    def rates(self, products) -> dict[int, Decimal]:
        """product id → the VAT rate included in its price (0.13 = 13 %), for many products at once."""
        ...


class TaxProvider(Protocol):
    def tax_rates(self) -> TaxRates: ...


def tax_rates() -> TaxRates | None:
    """The installed tax provider's rates (load once per strategy), or None (no tax)."""
    hook = provider("tax_rate")
    return hook.tax_rates() if hook is not None else None


def split_tax(incl_tax: Decimal, rate: Decimal) -> tuple[Decimal, Decimal]:
    """(amount excluding tax, tax) of a tax-inclusive amount at ``rate``: the tax is
    ``incl × rate / (1 + rate)`` rounded half up to the fen, and the two parts sum to ``incl_tax``
    exactly (how a 数电票 line splits a 含税金额).

    >>> split_tax(Decimal("113.00"), Decimal("0.13"))
    (Decimal('100.00'), Decimal('13.00'))
    >>> split_tax(Decimal("10.00"), Decimal("0.13"))
    (Decimal('8.85'), Decimal('1.15'))
    """
    incl_tax = fen(incl_tax)
    if not rate:
        return incl_tax, Decimal("0.00")
    tax = fen(incl_tax * rate / (1 + rate))
    return incl_tax - tax, tax
