"""Storefront GraphQL queries: the catalogue (public), the asking user's basket and orders."""

import graphene
from django.utils.translation import gettext as _

from core.graphql.access import SIGNED_IN, requires
from core.graphql.errors import input_error
from core.graphql.pagination import page, page_bounds
from storefront import selectors
from storefront.graphql import types
from storefront.search import selectors as search_selectors
from storefront.search.backends.base import PRICE_RANGES


def _full_names(categories):
    by_path = {}
    for category in categories:
        parent = by_path.get(category.path[: -category.steplen])
        category._full_name = f"{parent._full_name} > {category.name}" if parent else category.name
        by_path[category.path] = category
    return categories


def _asks_for(info, field: str) -> bool:
    """Whether the query selects ``field`` of this result (a fragment counts as yes), so what is
    not asked for is not counted."""
    for node in info.field_nodes:
        for selection in node.selection_set.selections if node.selection_set else ():
            name = getattr(selection, "name", None)
            if name is None or name.value == field:
                return True
    return False


class Query(graphene.ObjectType):
    products = graphene.Field(
        types.ProductPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        search=graphene.String(
            default_value="",
            description="Words, a title or a SKU; ranked like the storefront's search (SKU, title, words).",
        ),
        category=graphene.String(description="Category slug; its subcategories are included."),
        supplier=graphene.ID(description="A supplier's id (a value of the supplier facet)."),
        price_range=graphene.String(description="A key of the price facet, e.g. 10-50."),
    )
    product = graphene.Field(types.Product, sku=graphene.String(required=True))
    categories = graphene.List(graphene.NonNull(types.Category), required=True)
    basket = graphene.Field(types.Basket, required=True)
    my_orders = graphene.Field(
        types.OrderPage, required=True, first=graphene.Int(default_value=20), offset=graphene.Int(default_value=0)
    )
    order = graphene.Field(types.Order, number=graphene.String(required=True))
    viewer = graphene.Field(types.Viewer)

    def resolve_products(root, info, first, offset, search, category=None, supplier=None, price_range=None):
        first, offset = page_bounds(first, offset)
        params = {"q": search, "supplier": supplier, "price": price_range}
        if category is not None:
            category_obj = selectors.category_by_slug(category)
            if category_obj is None:
                raise input_error("category", _("There is no category “%(slug)s”.") % {"slug": category}, "not_found")
            params["category"] = category_obj.pk
        if price_range is not None and price_range not in PRICE_RANGES:
            raise input_error("priceRange", _("There is no price range “%(key)s”.") % {"key": price_range}, "not_found")
        query, error = search_selectors.parse(params)
        if error:
            raise input_error("search", error, "too_long")
        found = search_selectors.search(query, offset=offset, limit=first, facets=_asks_for(info, "facets"))
        items = found.products
        prime_tax = getattr(types.strategy_for(info), "prime_tax", None)
        if prime_tax is not None:  # the page's tax rates in one round, not one per product
            prime_tax(items)
        facets = [
            types.SearchFacet(
                name=f.name,
                label=f.label,
                values=[
                    types.SearchFacetValue(key=v.key, label=v.label, count=v.count, selected=v.selected)
                    for v in f.values
                ],
            )
            for f in found.facets
        ]
        return types.ProductPage(items=items, total_count=found.total, facets=facets)

    def resolve_product(root, info, sku):
        return selectors.product_by_sku(sku)

    def resolve_categories(root, info):
        return _full_names(selectors.category_tree())

    @requires(*SIGNED_IN)
    def resolve_basket(root, info):
        return info.context.basket

    @requires(*SIGNED_IN)
    def resolve_my_orders(root, info, first, offset):
        items, total = page(selectors.orders_of(info.context.user), first, offset)
        return types.OrderPage(items=items, total_count=total)

    @requires(*SIGNED_IN)
    def resolve_order(root, info, number):
        return selectors.orders_of(info.context.user).filter(number=number).first()

    def resolve_viewer(root, info):
        user = info.context.user
        return user if user.is_authenticated else None
