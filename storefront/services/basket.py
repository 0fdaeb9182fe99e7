"""Adding to and changing a distributor's basket with the same checks as Oscar's basket forms."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")


@dataclass(frozen=True)
class Addition:
    product: Product
    quantity: int


def purchase_problem(basket: Basket, product: Product, quantity: int) -> str | None:
    """Why `quantity` more of `product` cannot go into the basket, or None if it can.

    The quantity already in the basket counts, as it does in Oscar's add-to-basket form.
    """
    if not product.is_public:
        return _("“%(title)s” is not for sale.") % {"title": product.get_title()}
    if product.is_parent:
        return _("“%(title)s” has variants; order one of its SKUs.") % {"title": product.get_title()}
    info = basket.strategy.fetch_for_product(product)
    if not info.availability.is_available_to_buy:
        return _("“%(title)s” is not available to buy: %(reason)s") % {
            "title": product.get_title(),
            "reason": info.availability.message,
        }
    in_basket = basket.line_quantity(product, info.stockrecord)
    allowed, reason = info.availability.is_purchase_permitted(in_basket + quantity)
    if not allowed:
        return reason
    allowed, reason = basket.is_quantity_allowed(quantity, line=None)
    if not allowed:
        return reason
    return None


@transaction.atomic
def add_to_basket(basket: Basket, additions: list[Addition]) -> None:
    """Add all lines or none: the first problem raises ValidationError and nothing is added."""
    problems = [p for a in additions if (p := purchase_problem(basket, a.product, a.quantity))]
    if problems:
        raise ValidationError(problems)
    for addition in additions:
        basket.add_product(addition.product, addition.quantity)
    basket.reset_offer_applications()


@transaction.atomic
def set_line_quantity(basket: Basket, line_id: int, quantity: int) -> None:
    line = basket.lines.select_related("product", "stockrecord").filter(pk=line_id).first()
    if line is None:
        raise ValidationError({"lineId": ValidationError(_("There is no such line in your basket."), code="not_found")})
    if quantity < 0:
        raise ValidationError({"quantity": ValidationError(_("Quantity cannot be negative."), code="out_of_range")})
    if quantity == 0:
        line.delete()
    else:
        delta = quantity - line.quantity
        if delta > 0 and (problem := purchase_problem(basket, line.product, delta)):
            raise ValidationError({"quantity": ValidationError(problem, code="not_permitted")})
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    basket.reset_offer_applications()
