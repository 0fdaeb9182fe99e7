"""Storefront GraphQL mutations: the signed-in user's basket, and the buyer's own orders."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from core.access import DISTRIBUTOR
from core.graphql.access import SIGNED_IN
from core.graphql.errors import FieldError
from core.graphql.mutations import NotFound, PlatformMutation, invalid, lookup
from storefront import selectors
from storefront.graphql import types
from storefront.services.basket import Addition, add_to_basket, set_line_quantity
from storefront.services.quick_order import MAX_QUANTITY

Applicator = get_class("offer.applicator", "Applicator")


class BasketPayload(graphene.ObjectType):
    basket = graphene.Field(types.Basket)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class BasketMutation(PlatformMutation):
    """A change to the asking user's own basket (any signed-in party may shop)."""

    class Meta:
        abstract = True

    allowed = SIGNED_IN
    Output = BasketPayload

    @classmethod
    def success(cls, info):
        # Totals must reflect the change, with site offers applied as the basket page applies them.
        basket = info.context.basket
        basket.reset_offer_applications()
        Applicator().apply(basket, info.context.user, info.context)
        return BasketPayload(basket=basket, errors=[])

    @classmethod
    def failure(cls, info, errors):
        return BasketPayload(basket=info.context.basket, errors=errors)


def _quantity_out_of_range() -> ValidationError:
    return invalid("quantity", _("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY}, "out_of_range")


class BasketAddLine(BasketMutation):
    """Add a quantity of a product (by SKU) to the signed-in user's basket."""

    class Arguments:
        sku = graphene.String(required=True)
        quantity = graphene.Int(required=True)

    @classmethod
    def perform(cls, info, user, *, sku, quantity):
        if quantity < 1 or quantity > MAX_QUANTITY:
            raise _quantity_out_of_range()
        product = selectors.product_by_sku(sku)
        if product is None:
            raise NotFound("sku", _("No product has the SKU “%(sku)s”.") % {"sku": sku})
        try:
            add_to_basket(info.context.basket, [Addition(product, quantity)])
        except ValidationError as exc:
            problems = [ValidationError(message, code="not_permitted") for message in exc.messages]
            raise ValidationError({"quantity": problems}) from exc
        return cls.success(info)


class BasketSetLineQuantity(BasketMutation):
    """Change a basket line's quantity; 0 removes the line."""

    class Arguments:
        line_id = graphene.ID(required=True)
        quantity = graphene.Int(required=True)

    @classmethod
    def perform(cls, info, user, *, line_id, quantity):
        if quantity > MAX_QUANTITY:
            raise _quantity_out_of_range()
        basket = info.context.basket
        line = lookup(basket.lines.all(), "line_id", _("There is no such line in your basket."), pk=line_id)
        set_line_quantity(basket, line.pk, quantity)
        return cls.success(info)


class BasketRemoveLine(BasketMutation):
    class Arguments:
        line_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, user, *, line_id):
        return BasketSetLineQuantity.perform(info, user, line_id=line_id, quantity=0)


class CancelOrder(PlatformMutation):
    """The buyer cancels their order while no supplier has accepted it: reserved credit and used
    points come back, the suppliers hear their parts are cancelled."""

    allowed = (DISTRIBUTOR,)
    error_fields = {"status": None}

    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(default_value="")

    order = graphene.Field(types.Order)

    @classmethod
    def perform(cls, info, user, *, number, reason=""):
        from storefront.services.orders import cancel_as_buyer

        message = _("You have no order “%(number)s”.") % {"number": number}
        order = lookup(selectors.orders_of(user), "number", message, number=number)
        cancel_as_buyer(order=order, user=user, reason=reason)
        return cls.success(order=selectors.orders_of(user).get(pk=order.pk))


class Mutation(graphene.ObjectType):
    basket_add_line = BasketAddLine.Field()
    basket_set_line_quantity = BasketSetLineQuantity.Field()
    basket_remove_line = BasketRemoveLine.Field()
    cancel_order = CancelOrder.Field()
