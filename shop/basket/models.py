"""The forked basket app: Oscar's basket, safe under parallel requests (double clicks, several tabs,
API clients sending at once).

- One open basket per buyer, as a database constraint (a partial unique index), so parallel
  first requests find one basket instead of each creating their own to be merged later.
- Every change of a basket's lines takes the basket's row lock first (``lock``): adds read the
  quantity already there after the lock, so none is lost, and a second submission of an order
  waits for the first (``storefront.placement``).
- A merge locks both baskets in one statement in id order (no deadlock between two merges) and
  does nothing when the other request already merged the source.
- A basket merged into another (the anonymous basket at sign-in, a handed-over basket) is priced
  for the receiving basket's owner: each merged line stores the owner's price at its quantity
  (tier prices, quantity breaks), so no line keeps the visitor's list price with a false notice.
- A line stores the unit price at its own quantity, again whenever its quantity changes (``Line``).
  Oscar stores the price of one unit when a line is made and never again, and compares it on every
  basket page with the price at the line's quantity: with quantity breaks (阶梯价) every line of
  10 or more said "the price has changed since you added it" on every visit. Now the notice speaks
  only when the price at that quantity really changed (a new list price, a new rule).
"""

from django.db import models, transaction
from django.db.models import Q
from oscar.apps.basket.abstract_models import AbstractBasket, AbstractLine


class Basket(AbstractBasket):
    class Meta(AbstractBasket.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["owner"], condition=Q(status="Open"), name="basket_one_open_basket_per_owner"
            )
        ]

    def lock(self) -> str:
        """Take this basket's row lock until the transaction ends; the status as stored now."""
        return type(self).objects.select_for_update().values_list("status", flat=True).get(pk=self.pk)

    def all_lines(self):
        # Oscar's query, with each line's supplier (the basket shows it per line) in the same join
        if self.id is not None and self._lines is None:
            self._lines = (
                self.lines.select_related("product", "stockrecord__partner")
                .prefetch_related("attributes", "product__images")
                .order_by(self._meta.pk.name)
            )
        return super().all_lines()

    def is_quantity_allowed(self, qty, line=None):
        # Oscar asks here whether ``qty`` more of a line may be added (stock, the basket's threshold),
        # and asks the line's availability about that change, not about the line's new quantity:
        # the offer's order terms (a minimum, whole packs) apply to the line's quantity, which the
        # forms check on their own, so here the stock policy alone answers.
        from shop.partner.strategy import WithOrderTerms

        info = line.purchase_info if line is not None else None
        if info is None or not isinstance(info.availability, WithOrderTerms):
            return super().is_quantity_allowed(qty, line)
        line._info = info._replace(availability=info.availability.policy)
        try:
            return super().is_quantity_allowed(qty, line)
        finally:
            line._info = info

    def add_product(self, product, quantity=1, options=None):
        with transaction.atomic():
            if self.pk:
                self.lock()
            self._lines = None  # read the lines as they are once locked
            line, created = super().add_product(product, quantity, options)
            if created and line.store_price():  # Oscar stored the price of one unit
                line.save(update_fields=Line.PRICE_FIELDS)
            return line, created

    add_product.alters_data = True

    def merge(self, basket, add_quantities=True):
        with transaction.atomic():
            statuses = dict(
                type(self)
                .objects.select_for_update()
                .filter(pk__in=[self.pk, basket.pk])
                .order_by("pk")
                .values_list("pk", "status")
            )
            if statuses.get(basket.pk) not in (self.OPEN, self.FROZEN, self.SAVED):
                return  # merged (or submitted) meanwhile by another request
            if not self.has_strategy and self.owner_id is not None:
                # Oscar merges at sign-in before the request's strategy reaches the basket: the
                # owner's own strategy prices the lines that arrive
                from shop.partner.strategy import Selector

                self.strategy = Selector().strategy(user=self.owner)
            super().merge(basket, add_quantities)
            # pricing a line reads the basket's lines (in bulk): read them again as now stored
            self._lines = None

    merge.alters_data = True

    def merge_line(self, line, add_quantities=True):
        super().merge_line(line, add_quantities)
        # the line as it is now in this basket (moved, or added to one already here), at the
        # owner's price for its quantity
        merged = self.lines.filter(line_reference=line.line_reference).first()
        if merged is not None and merged.store_price():
            merged.save(update_fields=Line.PRICE_FIELDS)

    merge_line.alters_data = True


class Line(AbstractLine):
    #: what ``store_price`` sets
    PRICE_FIELDS = ["price_currency", "price_excl_tax", "price_incl_tax", "tax_code"]

    class Meta(AbstractLine.Meta):
        pass

    @classmethod
    def from_db(cls, db, field_names, values):
        line = super().from_db(db, field_names, values)
        line._stored_quantity = line.__dict__.get("quantity")
        return line

    def store_price(self) -> bool:
        """Set the stored price to the buyer's price at the line's quantity now (False when the
        basket has no pricing strategy here, e.g. merged at sign-in before one is assigned)."""
        basket = self._state.fields_cache.get("basket")
        if basket is None or not basket.has_strategy or not self.quantity:
            return False
        info = basket.strategy.fetch_for_line(self, self.stockrecord)
        price = info.price
        if not price.exists:
            return False
        self._info = info  # Oscar's cached purchase info, now at this quantity
        self.price_currency = price.currency
        self.price_excl_tax = price.excl_tax
        self.tax_code = price.tax_code
        if price.is_tax_known:
            self.price_incl_tax = price.incl_tax
        return True

    def save(self, *args, **kwargs):
        # a new quantity is a new price to compare with (a quantity break), not a price change
        changed = self.pk and self.quantity != getattr(self, "_stored_quantity", self.quantity)
        if changed and self.store_price() and kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], *self.PRICE_FIELDS}
        super().save(*args, **kwargs)
        self._stored_quantity = self.quantity

    save.alters_data = True


from oscar.apps.basket.models import *  # noqa: E402, F403  Oscar's other basket models
