"""Storefront GraphQL: catalogue, the asking user's basket and orders."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from oscar.core.loading import get_class

from core.graphql.errors import FieldError, errors_from_validation, field_error, input_error, require_authenticated
from core.graphql.pagination import page
from storefront import selectors
from storefront.graphql import types
from storefront.services.basket import Addition, add_to_basket, set_line_quantity
from storefront.services.quick_order import MAX_QUANTITY

Applicator = get_class("offer.applicator", "Applicator")


def _full_names(categories):
    by_path = {}
    for category in categories:
        parent = by_path.get(category.path[: -category.steplen])
        category._full_name = f"{parent._full_name} > {category.name}" if parent else category.name
        by_path[category.path] = category
    return categories


class Query(graphene.ObjectType):
    products = graphene.Field(
        types.ProductPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        search=graphene.String(default_value=""),
        category=graphene.String(description="Category slug; its subcategories are included."),
    )
    product = graphene.Field(types.Product, sku=graphene.String(required=True))
    categories = graphene.List(graphene.NonNull(types.Category), required=True)
    basket = graphene.Field(types.Basket, required=True)
    my_orders = graphene.Field(
        types.OrderPage, required=True, first=graphene.Int(default_value=20), offset=graphene.Int(default_value=0)
    )
    order = graphene.Field(types.Order, number=graphene.String(required=True))
    viewer = graphene.Field(types.Viewer)

    def resolve_products(root, info, first, offset, search, category=None):
        category_obj = None
        if category is not None:
            category_obj = selectors.category_by_slug(category)
            if category_obj is None:
                raise input_error("category", _("There is no category “%(slug)s”.") % {"slug": category}, "not_found")
        items, total = page(selectors.browsable_products(search, category_obj), first, offset)
        return types.ProductPage(items=items, total_count=total)

    def resolve_product(root, info, sku):
        return selectors.product_by_sku(sku)

    def resolve_categories(root, info):
        return _full_names(selectors.category_tree())

    def resolve_basket(root, info):
        require_authenticated(info)
        return info.context.basket

    def resolve_my_orders(root, info, first, offset):
        require_authenticated(info)
        items, total = page(selectors.orders_of(info.context.user), first, offset)
        return types.OrderPage(items=items, total_count=total)

    def resolve_order(root, info, number):
        require_authenticated(info)
        return selectors.orders_of(info.context.user).filter(number=number).first()

    def resolve_viewer(root, info):
        user = info.context.user
        return user if user.is_authenticated else None


class BasketPayload(graphene.ObjectType):
    basket = graphene.Field(types.Basket)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _basket_payload(info, errors=None):
    basket = info.context.basket
    if not errors:
        # Totals must reflect the change, with site offers applied as the basket page applies them.
        basket.reset_offer_applications()
        Applicator().apply(basket, info.context.user, info.context)
    return BasketPayload(basket=basket, errors=errors or [])


class BasketAddLine(graphene.Mutation):
    """Add a quantity of a product (by SKU) to the signed-in user's basket."""

    class Arguments:
        sku = graphene.String(required=True)
        quantity = graphene.Int(required=True)

    Output = BasketPayload

    def mutate(root, info, sku, quantity):
        require_authenticated(info)
        if quantity < 1 or quantity > MAX_QUANTITY:
            message = _("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY}
            return _basket_payload(info, [field_error("quantity", message, "out_of_range")])
        product = selectors.product_by_sku(sku)
        if product is None:
            message = _("No product has the SKU “%(sku)s”.") % {"sku": sku}
            return _basket_payload(info, [field_error("sku", message, "not_found")])
        try:
            add_to_basket(info.context.basket, [Addition(product, quantity)])
        except ValidationError as exc:
            return _basket_payload(info, [field_error("quantity", m, "not_permitted") for m in exc.messages])
        return _basket_payload(info)


class BasketSetLineQuantity(graphene.Mutation):
    """Change a basket line's quantity; 0 removes the line."""

    class Arguments:
        line_id = graphene.ID(required=True)
        quantity = graphene.Int(required=True)

    Output = BasketPayload

    def mutate(root, info, line_id, quantity):
        require_authenticated(info)
        if quantity > MAX_QUANTITY:
            message = _("The quantity must be between 1 and %(max)d.") % {"max": MAX_QUANTITY}
            return _basket_payload(info, [field_error("quantity", message, "out_of_range")])
        if not str(line_id).isdigit():
            message = _("There is no such line in your basket.")
            return _basket_payload(info, [field_error("lineId", message, "not_found")])
        try:
            set_line_quantity(info.context.basket, int(line_id), quantity)
        except ValidationError as exc:
            return _basket_payload(info, errors_from_validation(exc))
        return _basket_payload(info)


class BasketRemoveLine(graphene.Mutation):
    class Arguments:
        line_id = graphene.ID(required=True)

    Output = BasketPayload

    def mutate(root, info, line_id):
        return BasketSetLineQuantity.mutate(root, info, line_id=line_id, quantity=0)


class Mutation(graphene.ObjectType):
    basket_add_line = BasketAddLine.Field()
    basket_set_line_quantity = BasketSetLineQuantity.Field()
    basket_remove_line = BasketRemoveLine.Field()
