"""The forked basket app: Oscar's basket, safe under parallel requests (double clicks, several tabs,
API clients sending at once).

- One open basket per buyer, as a database constraint (a partial unique index), so parallel
  first requests find one basket instead of each creating their own to be merged later.
- Every change of a basket's lines takes the basket's row lock first (``lock``): adds read the
  quantity already there after the lock, so none is lost, and a second submission of an order
  waits for the first (``storefront.placement``).
- A merge locks both baskets in one statement in id order (no deadlock between two merges) and
  does nothing when the other request already merged the source.
"""

from django.db import models, transaction
from django.db.models import Q
from oscar.apps.basket.abstract_models import AbstractBasket


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

    def add_product(self, product, quantity=1, options=None):
        with transaction.atomic():
            if self.pk:
                self.lock()
            self._lines = None  # read the lines as they are once locked
            return super().add_product(product, quantity, options)

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
            super().merge(basket, add_quantities)

    merge.alters_data = True


from oscar.apps.basket.models import *  # noqa: E402, F403  Oscar's other basket models
