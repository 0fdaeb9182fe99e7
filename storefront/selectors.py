"""Read-side queries of the storefront, prefetched so page size never changes the query count."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from oscar.core.loading import get_model

from companies.selectors import ROLE_ACTIONS, membership_of, order_scope
from core.pricing import stockrecord_related

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
Option = get_model("catalogue", "Option")
StockRecord = get_model("partner", "StockRecord")
Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")

#: Plugins narrow what the storefront shows (e.g. products still under review) by appending a
#: function QuerySet[Product] -> QuerySet[Product] here from their AppConfig.ready.
visibility_filters: list = []


def visible_products() -> QuerySet[Product]:
    """The products a distributor may see at all: public, browsable, and what every plugin's
    visibility filter lets through (e.g. not under review). Listing, search and its facets all
    start here, so they show the same products."""
    qs = Product.objects.browsable().filter(is_public=True)
    for narrow in visibility_filters:
        qs = narrow(qs)
    return qs


def browsable_products(search: str = "", category: Category | None = None) -> QuerySet[Product]:
    """Public products a distributor can browse, with everything pricing and listing need prefetched."""
    qs = (
        visible_products()
        .select_related("product_class")
        # Oscar's product card asks has_options; answer it in this query, not once per product
        .annotate(
            has_product_class_options=Exists(Option.objects.filter(productclass=OuterRef("product_class"))),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "stockrecords",
                # with what the price provider reads of the offer (e.g. its cost), so no query per product
                queryset=StockRecord.objects.select_related("partner", *stockrecord_related()).order_by("id"),
            ),
            "images",
            "categories",
        )
        .order_by("title", "id")
    )
    for term in search.split():
        # every word must match the title, SKU or description (Chinese titles have no word breaks)
        qs = qs.filter(Q(title__icontains=term) | Q(upc__icontains=term) | Q(description__icontains=term))
    if category is not None:
        qs = qs.filter(categories__in=category.get_descendants_and_self()).distinct()
    return qs


# Oscar's search form sort options, on the database.
_SORTS = {
    "newest": ("-date_created", "id"),
    "price-asc": ("first_price", "id"),
    "price-desc": ("-first_price", "id"),
    "title-asc": ("title", "id"),
    "title-desc": ("-title", "-id"),
}


def sort_products(qs: QuerySet[Product], sort_by: str) -> QuerySet[Product]:
    if sort_by not in _SORTS:
        return qs
    if sort_by.startswith("price"):
        qs = qs.annotate(first_price=Min("stockrecords__price"))
    return qs.order_by(*_SORTS[sort_by])


def product_by_sku(sku: str) -> Product | None:
    return browsable_products().filter(upc__iexact=sku.strip()).first()


def category_tree() -> list[Category]:
    return list(Category.objects.filter(is_public=True).order_by("path"))


def category_by_slug(slug: str) -> Category | None:
    return Category.objects.filter(slug=slug, is_public=True).first()


def orders_of(user: AbstractBaseUser) -> QuerySet[Order]:
    """The orders a distributor may see (companies.selectors.order_scope: their company's or
    their own, by role); never another company's, whatever id is asked for."""
    return (
        Order.objects.filter(order_scope(user))
        .select_related("user")
        .select_related("shipping_address")
        .prefetch_related(
            Prefetch("lines", queryset=OrderLine.objects.select_related("partner").order_by("id")),
            "sources__source_type",
            "payment_events__event_type",
        )
        .order_by("-date_placed", "-id")
    )


def _order_lines() -> QuerySet[OrderLine]:
    return OrderLine.objects.select_related("product", "partner", "stockrecord").order_by("id")


def with_order_lines(orders: QuerySet[Order]) -> QuerySet[Order]:
    """Orders with what the order history and order pages read of each line (its product, its
    options, its supplier) loaded in one query each, however many orders and lines."""
    return orders.prefetch_related(Prefetch("lines", queryset=_order_lines()), "lines__attributes")


def lines_of_order(order: Order) -> QuerySet[OrderLine]:
    """One order's lines with their products, suppliers and options (two queries in all)."""
    return _order_lines().filter(order=order).prefetch_related("attributes")


def order_action_refusal(user: AbstractBaseUser, order: Order) -> str | None:
    """Why ``user`` may not act on ``order`` as its buyer (cancel it, confirm its receipt), or
    None when they may: a person of the order's company whose role orders (its admins for any of
    the company's orders, a buyer for their own), or whoever placed it before belonging to a
    company. The caller has scoped ``order`` to the user (``orders_of``)."""
    from django.utils.translation import gettext as _

    membership = membership_of(user)
    if membership is None:
        return None if order.user_id == user.pk and order.company_id is None else _("You cannot change this order.")
    if membership.role not in ROLE_ACTIONS["order"]:
        return _("As %(role)s of %(company)s you cannot change orders; ask your company's administrator.") % {
            "role": membership.get_role_display(),
            "company": membership.company,
        }
    return None
