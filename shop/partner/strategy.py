"""The one place storefront prices come from.

List prices on the platform are VAT-inclusive CNY (含税价), so tax is never added on
top: the VAT inside a price is split out at the product's rate, asked of the installed tax
provider (core.pricing ``tax_rates``; finance: category tax classes and product overrides) only
when a page reads the tax (a listing showing the price reads no rate), for a basket's lines all at
once. The rate travels with the price as its ``tax_code`` (e.g. "0.1300") onto basket and order
lines. Without a provider the tax is ¥0.

A signed-in buyer's prices come from the installed price provider (core.pricing;
member_tiers: tiers, customer rules, quantity breaks): the strategy asks its ``PriceBook``
(loaded once per strategy, i.e. once per request) for each product, and for basket lines at
the line's quantity. Without a provider everybody pays the list price. The first basket line
priced loads what every line of its basket needs (``prime_basket``), so the pages showing a
basket (every page, through the mini-basket) cost the same queries whatever its lines.

An offer's order terms (minimum order quantity, pack multiple: shop.partner.quantities) are part
of its availability (``WithOrderTerms``), so every path that asks Oscar's availability whether a
quantity may be bought — the product page's and the basket's forms, quick order, the GraphQL
basket mutations, the checkout's final check — refuses a line that breaks them, with one message.
"""

from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from oscar.apps.partner import strategy
from oscar.apps.partner.availability import Unavailable
from oscar.apps.partner.prices import Base
from oscar.core.loading import get_model

from core import pricing
from shop.partner.quantities import quantity_problem, smallest_quantity, terms_of

StockRecord = get_model("partner", "StockRecord")


class TaxInclusivePrice(Base):
    """A VAT-inclusive price (含税价): ``incl_tax`` is what the buyer pays; the tax inside it at
    the product's rate (``rate``, ``tax_code``), and the amount excluding it, are worked out the
    first time something reads them (``core.pricing.split_tax``)."""

    exists = True
    is_tax_known = True

    def __init__(self, currency, incl_tax, rate_of):
        self.currency = currency
        self.incl_tax = incl_tax
        self._rate_of = rate_of  # () -> Decimal | None, asked once
        self._parts = None

    def _split(self) -> tuple[Decimal | None, Decimal, Decimal]:
        if self._parts is None:
            rate = self._rate_of()
            self._parts = (rate, *pricing.split_tax(self.incl_tax, rate or Decimal(0)))
        return self._parts

    @property
    def rate(self) -> Decimal | None:
        return self._split()[0]

    @property
    def excl_tax(self):
        return self._split()[1]

    @property
    def tax(self):
        return self._split()[2]

    @property
    def tax_code(self):
        rate = self.rate
        return None if rate is None else f"{rate:.4f}"


class MemberPrice(TaxInclusivePrice):
    """A tax-inclusive price that knows the list price, the tier and the rule behind it (the provider's resolution)."""

    def __init__(self, currency, incl_tax, rate_of, resolution):
        super().__init__(currency, incl_tax, rate_of)
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


class WithOrderTerms:
    """An offer's availability that also keeps its order terms: a quantity below the minimum
    order quantity or not a multiple of the pack is not permitted; the offer is available to
    buy when its smallest permitted quantity is (stock of 5 cannot fill a minimum of 10)."""

    def __init__(self, policy, minimum: int, multiple: int):
        self.policy = policy
        self.min_order_quantity = minimum
        self.pack_multiple = multiple

    def __getattr__(self, name):  # code, message, num_available … are the stock policy's
        return getattr(self.policy, name)

    @property
    def smallest_quantity(self) -> int:
        return smallest_quantity(self.min_order_quantity, self.pack_multiple)

    @property
    def is_available_to_buy(self) -> bool:
        return self.policy.is_purchase_permitted(self.smallest_quantity)[0]

    def is_purchase_permitted(self, quantity):
        allowed, reason = self.policy.is_purchase_permitted(quantity)
        if not allowed:
            return allowed, reason
        problem = quantity_problem(quantity, self.min_order_quantity, self.pack_multiple)
        return (False, problem) if problem else (allowed, reason)


class PlatformStrategy(strategy.UseFirstStockRecord, strategy.StockRequired, strategy.NoTax, strategy.Structured):
    """One supplier offer (stock record) per product; stock must be available; prices include VAT
    (Oscar's NoTax gives the list price; ``pricing_policy`` makes it tax-inclusive)."""

    def __init__(self, request=None, user=None, **kwargs):
        super().__init__(request)
        # Offline callers (tasks, demo data) price for a user without a request.
        if user is not None and user.is_authenticated:
            self.user = user
        self._price_book = None
        self._to_prime: list = []
        self._price_book_loaded = False
        self._tax_rates = None
        self._tax_rates_loaded = False
        self._rates: dict[int, Decimal | None] = {}
        self._tax_pending: dict[int, object] = {}  # products whose rate is read together

    @property
    def price_book(self) -> pricing.PriceBook | None:
        if not self._price_book_loaded:
            self._price_book = pricing.price_book(self.user)
            self._price_book_loaded = True
        return self._price_book

    # -- tax ------------------------------------------------------------------------------------

    @property
    def tax_rates(self) -> pricing.TaxRates | None:
        if not self._tax_rates_loaded:
            self._tax_rates = pricing.tax_rates()
            self._tax_rates_loaded = True
        return self._tax_rates

    def rate_of(self, product) -> Decimal | None:
        """The VAT rate inside ``product``'s price (None without a tax provider): the products
        queued with it (a basket's lines) are answered in the same round."""
        if product.pk in self._rates:
            return self._rates[product.pk]
        if self.tax_rates is None:
            return None
        self._tax_pending[product.pk] = product
        pending, self._tax_pending = list(self._tax_pending.values()), {}
        answered = self.tax_rates.rates(pending)
        for each in pending:
            self._rates[each.pk] = answered.get(each.pk)
        return self._rates[product.pk]

    def prime_tax(self, products) -> None:
        """Queue ``products`` so that the first tax read answers them all in one round (a page of
        products whose tax is shown, e.g. the GraphQL product list)."""
        for product in products:
            if product.pk not in self._rates:
                self._tax_pending[product.pk] = product

    def _taxed(self, price, product, incl_tax, resolution=None):
        def rate_of():
            return self.rate_of(product)

        if resolution is not None:
            return MemberPrice(price.currency, incl_tax, rate_of, resolution)
        return TaxInclusivePrice(price.currency, incl_tax, rate_of)

    def parent_pricing_policy(self, product, children_stock):
        price = super().parent_pricing_policy(product, children_stock)
        return self._taxed(price, product, price.excl_tax) if price.exists else price

    def availability_policy(self, product, stockrecord):
        policy = super().availability_policy(product, stockrecord)
        minimum, multiple = terms_of(stockrecord)
        if (minimum, multiple) == (1, 1) or isinstance(policy, Unavailable):
            return policy  # Oscar's own policy, so checks such as isinstance(…, Unavailable) hold
        return WithOrderTerms(policy, minimum, multiple)

    def pricing_policy(self, product, stockrecord, quantity=1):
        price = super().pricing_policy(product, stockrecord)
        if not price.exists:
            return price
        if self.user is None or not self.user.is_authenticated or self.price_book is None:
            return self._taxed(price, product, price.excl_tax)  # NoTax: the list price (含税)
        if self._to_prime:  # a price book may read what it needs for all the basket at once
            prime = getattr(self.price_book, "prime", None)
            if prime is not None:
                prime(self._to_prime)
            self._to_prime = []
        resolution = self.price_book.resolve(product, stockrecord, quantity)
        return self._taxed(price, product, resolution.unit_price, resolution)

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
        self.prime_tax(products)  # and their tax rates are read together
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
