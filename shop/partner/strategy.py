"""The one place storefront prices come from.

List prices on the platform are VAT-inclusive CNY (含税价), so tax is never added on
top. A signed-in buyer's prices come from the installed price provider (core.pricing;
member_tiers: tiers, customer rules, quantity breaks): the strategy asks its ``PriceBook``
(loaded once per strategy, i.e. once per request) for each product, and for basket lines at
the line's quantity. Without a provider everybody pays the list price. The first basket line priced loads what
every line of its basket needs (``prime_basket``), so the pages showing a basket (every page,
through the mini-basket) cost the same queries whatever its lines.
"""

from django.db.models import Prefetch, prefetch_related_objects
from oscar.apps.partner import strategy
from oscar.apps.partner.prices import FixedPrice
from oscar.core.loading import get_model

from core import pricing

StockRecord = get_model("partner", "StockRecord")


class MemberPrice(FixedPrice):
    """A fixed price that knows the list price, the tier and the rule behind it (the provider's resolution)."""

    def __init__(self, currency, excl_tax, tax, resolution):
        super().__init__(currency=currency, excl_tax=excl_tax, tax=tax)
        self.resolution = resolution

    @property
    def list_price(self):
        return self.resolution.list_price

    @property
    def saving(self):
        return self.resolution.saving

    @property
    def tier_name(self):
        return self.resolution.tier_name


class PlatformStrategy(strategy.UseFirstStockRecord, strategy.StockRequired, strategy.NoTax, strategy.Structured):
    """One supplier offer (stock record) per product; stock must be available; prices include VAT."""

    def __init__(self, request=None, user=None, **kwargs):
        super().__init__(request)
        # Offline callers (tasks, demo data) price for a user without a request.
        if user is not None and user.is_authenticated:
            self.user = user
        self._price_book = None
        self._to_prime: list = []
        self._price_book_loaded = False

    @property
    def price_book(self) -> pricing.PriceBook | None:
        if not self._price_book_loaded:
            self._price_book = pricing.price_book(self.user)
            self._price_book_loaded = True
        return self._price_book

    def pricing_policy(self, product, stockrecord, quantity=1):
        price = super().pricing_policy(product, stockrecord)
        if not price.exists or self.user is None or not self.user.is_authenticated or self.price_book is None:
            return price
        if self._to_prime:  # a price book may read what it needs for all the basket at once
            prime = getattr(self.price_book, "prime", None)
            if prime is not None:
                prime(self._to_prime)
            self._to_prime = []
        resolution = self.price_book.resolve(product, stockrecord, quantity)
        return MemberPrice(price.currency, resolution.unit_price, price.tax, resolution)

    def fetch_for_line(self, line, stockrecord=None):
        self.prime_basket(line)
        # Quantity breaks: a basket line is priced at its own quantity.
        if stockrecord is None:
            stockrecord = self.select_stockrecord(line.product)
        return strategy.PurchaseInfo(
            price=self.pricing_policy(line.product, stockrecord, line.quantity),
            availability=self.availability_policy(line.product, stockrecord),
            stockrecord=stockrecord,
        )

    def prime_basket(self, line) -> None:
        """When the first line of a basket is priced, load what every line's price and
        availability read (stock records, product classes, categories for member rules) for all
        the basket's lines at once, instead of one query per line on every page showing it."""
        basket = line._state.fields_cache.get("basket")
        lines = basket.all_lines() if basket is not None and basket.id is not None else None
        if lines is None or getattr(lines, "_platform_primed", False):
            return
        products = [each.product for each in lines if each.product_id]
        prime_products(products)
        self._to_prime.extend(products)  # member prices read their categories (once, if needed)
        lines._platform_primed = True


def prime_products(products) -> None:
    """Stock records (first by id, as UseFirstStockRecord picks), product classes and parents."""
    prefetch_related_objects(
        products,
        Prefetch("stockrecords", queryset=StockRecord.objects.order_by("id")),
        "product_class",
        "parent__product_class",
    )


class Selector:
    def strategy(self, request=None, user=None, **kwargs):
        return PlatformStrategy(request=request, user=user)
