"""What a search backend answers: one page of product ids in rank order, the total, and the
facets with their counts — for the products the asker may see, nothing else."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

#: Listed-price ranges (the lowest price a supplier offers the product at, before tier
#: prices): key → [low, high) in yuan, high None for no upper bound.
PRICE_RANGES: dict[str, tuple[Decimal, Decimal | None]] = {
    "0-10": (Decimal("0"), Decimal("10")),
    "10-50": (Decimal("10"), Decimal("50")),
    "50-100": (Decimal("50"), Decimal("100")),
    "100-500": (Decimal("100"), Decimal("500")),
    "500-1000": (Decimal("500"), Decimal("1000")),
    "1000-": (Decimal("1000"), None),
}

#: sort orders besides relevance (Oscar's search form's keys)
SORTS = ("newest", "price-asc", "price-desc", "title-asc", "title-desc")

FACET_LABELS = {"category": _("Category"), "supplier": _("Supplier"), "price": _("Price")}
#: values shown per facet (the most frequent)
FACET_SIZE = 20


def price_label(key: str) -> str:
    low, high = PRICE_RANGES[key]
    if high is None:
        return f"≥ ¥{low:,.0f}"
    return f"¥{low:,.0f} – ¥{high:,.0f}"


@dataclass(frozen=True)
class SearchQuery:
    """A search as asked: the text and the facet values chosen (already validated)."""

    text: str = ""
    category_id: int | None = None
    supplier_id: int | None = None
    price: str | None = None  # a PRICE_RANGES key
    sort_by: str = ""  # "" for relevance, else one of SORTS
    #: a query was typed but nothing of it can be searched (too long, only control characters)
    match_nothing: bool = False


@dataclass(frozen=True)
class FacetValue:
    key: str
    label: str
    count: int
    selected: bool = False


@dataclass(frozen=True)
class Facet:
    name: str  # category, supplier, price: the query parameter that selects a value
    values: list[FacetValue] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(FACET_LABELS[self.name])


@dataclass(frozen=True)
class SearchResults:
    total: int
    product_ids: list[int]
    facets: list[Facet]


class SearchBackend(ABC):
    name: str

    @abstractmethod
    def search(self, query: SearchQuery, *, offset: int, limit: int, facets: bool = True) -> SearchResults:
        """Products the storefront shows (storefront.selectors.visible_products) that match,
        ranked: exact SKU/UPC, exact title, title containing the query, then by words matched
        (more first; in the title before elsewhere), then the rest (SKU or description containing
        the query); ties by title. Facet counts are of those products, each facet counted with
        the other facets' choices applied (``facets=False``: none counted, an empty list)."""
