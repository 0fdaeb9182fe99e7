"""Oscar's basket forms, with the offer's order terms on the quantity input: it starts at the
smallest quantity the offer may be ordered in and steps by its pack multiple (a hint for the
browser; the strategy's availability refuses a quantity that breaks the terms, with its reason)."""

from oscar.apps.basket import forms as oscar_forms
from oscar.apps.basket.forms import *  # noqa: F403  Oscar's other basket forms


def _apply_terms(field, availability, *, initial: bool) -> int:
    least = getattr(availability, "smallest_quantity", 1)
    step = getattr(availability, "pack_multiple", 1)
    field.widget.attrs.update(min=least, step=step)
    if initial:
        field.initial = least
    return least


class AddToBasketForm(oscar_forms.AddToBasketForm):
    #: the smallest quantity the product's offer may be ordered in
    smallest_quantity = 1

    def __init__(self, basket, product, *args, **kwargs):
        super().__init__(basket, product, *args, **kwargs)
        if not product.is_parent and "quantity" in self.fields and basket.has_strategy:
            info = basket.strategy.fetch_for_product(product)
            self.smallest_quantity = _apply_terms(self.fields["quantity"], info.availability, initial=True)


class SimpleAddToBasketForm(oscar_forms.SimpleAddToBasketMixin, AddToBasketForm):
    """One click adds the smallest quantity the offer may be ordered in (Oscar's adds 1)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "quantity" in self.fields:
            self.fields["quantity"].initial = self.smallest_quantity


class BasketLineForm(oscar_forms.BasketLineForm):
    def __init__(self, strategy, *args, **kwargs):
        super().__init__(strategy, *args, **kwargs)
        if self.instance.id:
            field = self.fields["quantity"]
            _apply_terms(field, self.instance.purchase_info.availability, initial=False)
            field.widget.attrs["min"] = 0  # 0 removes the line
