"""Reading product search: the asked query validated, run on the selected backend, and the
page's products loaded with everything pricing and listing need."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext as _

from storefront.models import SynonymGroup
from storefront.search import backends, text
from storefront.search.backends.base import PRICE_RANGES, SORTS, Facet, SearchQuery
from storefront.selectors import browsable_products


@dataclass
class SearchPage:
    query: SearchQuery
    total: int
    products: list  # the page's products, in rank order, prefetched like the product list
    facets: list[Facet]
    error: str = ""  # why the query was not run (shown to the buyer), "" when it was


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number < 2**31 else None


def parse(params: QueryDict | dict) -> tuple[SearchQuery, str]:
    """A SearchQuery from request parameters (q, category, supplier, price, sort_by) and the
    message for input that cannot be searched ("" when fine). Unknown facet values are ignored."""
    raw = params.get("q") or ""
    error = ""
    if len(raw) > text.MAX_QUERY_LENGTH:
        error = _("The search text is limited to %(n)s characters.") % {"n": text.MAX_QUERY_LENGTH}
        raw = ""
    price = params.get("price")
    sort_by = params.get("sort_by") or ""
    normalized = text.normalize(raw)
    query = SearchQuery(
        text=normalized,
        match_nothing=bool(error) or bool(raw.strip() and not normalized),
        category_id=_int(params.get("category")),
        supplier_id=_int(params.get("supplier")),
        price=price if price in PRICE_RANGES else None,
        sort_by=sort_by if sort_by in SORTS else "",
    )
    return query, error


def search(query: SearchQuery, *, offset: int = 0, limit: int = 20, facets: bool = True) -> SearchPage:
    """One page of results. The query count does not depend on the page size or the number of
    results (one query per facet, one for the page's ids, and the product list's prefetches)."""
    if query.match_nothing:
        return SearchPage(query=query, total=0, products=[], facets=[])
    results = backends.backend().search(query, offset=max(offset, 0), limit=max(min(limit, 100), 0), facets=facets)
    by_id = {p.pk: p for p in browsable_products().filter(pk__in=results.product_ids)}
    products = [by_id[pk] for pk in results.product_ids if pk in by_id]
    return SearchPage(query=query, total=results.total, products=products, facets=results.facets)


def synonym_groups():
    return SynonymGroup.objects.select_related("updated_by").order_by("words", "id")


def sort_options() -> list[tuple[str, str]]:
    return [
        ("", _("Relevancy")),
        ("newest", _("Newest")),
        ("price-asc", _("Price low to high")),
        ("price-desc", _("Price high to low")),
        ("title-asc", _("Title A to Z")),
        ("title-desc", _("Title Z to A")),
    ]
