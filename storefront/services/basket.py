"""Adding to and changing a distributor's basket with the same checks as Oscar's basket forms."""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.models import TransitionLog
from shop.partner.quantities import quantity_problem, terms_of

Basket = get_model("basket", "Basket")
Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")


@dataclass(frozen=True)
class Addition:
    product: Product
    quantity: int


def purchase_problem(basket: Basket, product: Product, quantity: int) -> str | None:
    """Why `quantity` more of `product` cannot go into the basket, or None if it can.

    The quantity already in the basket counts, as it does in Oscar's add-to-basket form, and the
    line it makes must keep the offer's order terms (minimum order quantity, pack multiple: the
    strategy's availability says so).
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


def _lock(basket: Basket) -> None:
    if basket.pk:
        basket.lock()
        basket._lines = None  # read again below, as stored once locked


@transaction.atomic
def add_to_basket(basket: Basket, additions: list[Addition]) -> None:
    """Add all lines or none: the first problem raises ValidationError and nothing is added.

    The basket's row lock comes first, so the quantities checked and added to are the ones stored
    (parallel adds to one basket queue up instead of overwriting each other)."""
    _lock(basket)
    problems = [p for a in additions if (p := purchase_problem(basket, a.product, a.quantity))]
    if problems:
        raise ValidationError(problems)
    for addition in additions:
        basket.add_product(addition.product, addition.quantity)
    basket.reset_offer_applications()


@transaction.atomic
def set_line_quantity(basket: Basket, line_id: int, quantity: int) -> None:
    _lock(basket)
    line = basket.lines.select_related("product", "stockrecord").filter(pk=line_id).first()
    if line is None:
        raise ValidationError({"lineId": ValidationError(_("There is no such line in your basket."), code="not_found")})
    if quantity < 0:
        raise ValidationError({"quantity": ValidationError(_("Quantity cannot be negative."), code="out_of_range")})
    if quantity == 0:
        line.delete()
    else:
        delta = quantity - line.quantity
        if delta > 0:
            problem = purchase_problem(basket, line.product, delta)
        else:  # fewer: still no fewer than the offer's minimum, still whole packs
            problem = quantity_problem(quantity, *terms_of(line.stockrecord))
        if problem:
            raise ValidationError({"quantity": ValidationError(problem, code="not_permitted")})
        line.quantity = quantity
        line.save(update_fields=["quantity"])
    basket.reset_offer_applications()


@dataclass(frozen=True)
class HandOver:
    """What ``hand_over`` moved: the baskets emptied, the lines and the items they held."""

    baskets: int
    lines: int
    items: int


def hand_over(*, from_user, to_user, actor, reason: str, now=None) -> HandOver:
    """Move every line of ``from_user``'s open baskets into ``to_user``'s open basket (created if
    they have none), as Oscar merges a basket: a line of the same product and options adds its
    quantity to the one already there, the others move as they are, vouchers follow, and the
    emptied basket is marked merged. Each basket handed over leaves a ``core.TransitionLog`` row
    (machine ``basket_handover``, open → merged, with ``reason``). Prices are not copied: the
    receiving basket is priced for its owner, as every basket is."""
    now = now or timezone.now()
    with transaction.atomic():
        sources = list(
            Basket.open.select_for_update()
            .filter(owner=from_user, pk__in=Line.objects.filter(basket__owner=from_user).values("basket_id"))
            .order_by("id")
        )
        if not sources:
            return HandOver(0, 0, 0)
        target, __ = Basket.open.get_or_create(owner=to_user)  # one open basket per owner (a constraint)
        target.lock()
        lines = items = 0
        for source in sources:
            moved = list(source.lines.values_list("quantity", flat=True))
            target.merge(source, add_quantities=True)
            lines += len(moved)
            items += sum(moved)
            TransitionLog.objects.create(
                content_type=ContentType.objects.get_for_model(Basket),
                object_id=str(source.pk),
                machine="basket_handover",
                from_state="open",
                to_state="merged",
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                via="web",
                reason=_("%(reason)s: %(lines)d lines (%(items)d items) moved to basket %(target)d of %(owner)s")
                % {
                    "reason": reason,
                    "lines": len(moved),
                    "items": sum(moved),
                    "target": target.pk,
                    "owner": to_user.email,
                },
                created_at=now,
            )
    return HandOver(len(sources), lines, items)
