"""Search on the database (SQLite or PostgreSQL), from the stored search terms.

A query is normalised and segmented (storefront.search.text), each word expanded by the
operators' synonym groups; then one query ranks the visible products by

    score = 10000 × tier + 100 × words matched anywhere + 10 × words matched in the title + other

tier 4: the query is the product's UPC or a supplier's SKU; 3: the title is the query; 2: the
title contains the query (or a synonym of the whole query); ``other`` is 1 when a SKU or the
description contains the query. A word is matched when it (or a synonym) is one of the stored
words (``LIKE '% 螺栓 %'``), never inside another word. Products with a score of 0 are not
results. The scan is linear in the visible products (benchmarks/search.py measures it at 10,000).
"""

from __future__ import annotations

from decimal import Decimal
from functools import reduce
from operator import or_

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from oscar.core.loading import get_model

from storefront.models import SynonymGroup
from storefront.search import text
from storefront.search.backends.base import (
    FACET_SIZE,
    PRICE_RANGES,
    Facet,
    FacetValue,
    SearchBackend,
    SearchQuery,
    SearchResults,
    price_label,
)
from storefront.selectors import visible_products

Category = get_model("catalogue", "Category")
Partner = get_model("partner", "Partner")


def _one_if(condition: Q) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _word(field: str, word: str) -> Q:
    return Q(**{f"search_terms__{field}__contains": f" {word} "})


def synonym_groups() -> list[list[str]]:
    return [words.split() for words in SynonymGroup.objects.values_list("words", flat=True)]


def ranked(query_text: str, groups: list[list[str]]) -> QuerySet:
    """The visible products matching ``query_text``, with ``score`` (empty query: all, score 0)."""
    qs = visible_products()
    whole = text.normalize(query_text)
    if not whole:
        return qs.annotate(score=Value(0))
    wholes = text.expand([whole], groups)[0]
    code = whole.replace(" ", "")
    words = text.expand(text.query_words(whole), groups)
    anywhere = [reduce(or_, (_word("title_words", w) | _word("other_words", w) for w in alts)) for alts in words]
    in_title = [reduce(or_, (_word("title_words", w) for w in alts)) for alts in words]
    exact_code = Q(search_terms__codes__contains=f" {code} ")
    exact_title = Q(search_terms__title__in=wholes)
    title_contains = reduce(or_, (Q(search_terms__title__contains=w) for w in wholes))
    other = Q(search_terms__codes__contains=code) | Q(description__icontains=whole)
    tier = Case(
        When(exact_code, then=Value(4)),
        When(exact_title, then=Value(3)),
        When(title_contains, then=Value(2)),
        default=Value(0),
        output_field=IntegerField(),
    )
    score = tier * 10000 + _one_if(other)
    for condition in anywhere:
        score = score + _one_if(condition) * 100
    for condition in in_title:
        score = score + _one_if(condition) * 10
    matches = reduce(or_, [exact_code, title_contains, other, *anywhere])
    return qs.filter(matches).annotate(score=score)


def _in_range(price, key: str) -> bool:
    low, high = PRICE_RANGES[key]
    return price is not None and price >= low and (high is None or price < high)


class DatabaseBackend(SearchBackend):
    """One scan of the matching visible products returns, per product, its score, what the
    sort orders need and what the facets count (copied into the search terms); the total, the
    order, the page and every facet count are worked out from those rows. Two more small
    queries name the facets' categories and suppliers."""

    name = "database"

    def search(self, query: SearchQuery, *, offset: int, limit: int, facets: bool = True) -> SearchResults:
        matched = ranked(query.text, synonym_groups() if query.text else [])
        rows = list(
            matched.values_list(
                "pk",
                "score",
                "title",
                "date_created",
                "search_terms__category_ids",
                "search_terms__partner_ids",
                "search_terms__listed_price",
            )
        )
        in_category = self._category_test(query.category_id)
        supplier = f" {query.supplier_id} "

        def chosen(row, *, but: str = "") -> bool:
            return (
                (but == "category" or in_category is None or in_category(row[4]))
                and (but == "supplier" or query.supplier_id is None or supplier in (row[5] or ""))
                and (but == "price" or query.price is None or _in_range(row[6], query.price))
            )

        results = [row for row in rows if chosen(row)]
        results.sort(key=_SORT_KEYS.get(query.sort_by, _by_score))
        if query.sort_by in _REVERSED:
            results.reverse()
        ids = [row[0] for row in results[offset : offset + limit]]
        counted = []
        if facets:
            counted = [
                self._categories([r for r in rows if chosen(r, but="category")], query.category_id),
                self._suppliers([r for r in rows if chosen(r, but="supplier")], query.supplier_id),
                self._prices([r for r in rows if chosen(r, but="price")], query.price),
            ]
        return SearchResults(total=len(results), product_ids=ids, facets=counted)

    @staticmethod
    def _category_test(category_id: int | None):
        """A test of a row's category ids: in the chosen category or one below it (None: no choice)."""
        if category_id is None:
            return None
        category = Category.objects.filter(pk=category_id).first()
        tree = (
            {f" {pk} " for pk in category.get_descendants_and_self().values_list("pk", flat=True)}
            if category
            else set()
        )
        return lambda ids: any(pk in (ids or "") for pk in tree)

    @staticmethod
    def _counts(rows, column: int) -> dict[int, int]:
        counts: dict[int, int] = {}
        for row in rows:
            for pk in (row[column] or "").split():
                counts[int(pk)] = counts.get(int(pk), 0) + 1
        return counts

    def _categories(self, rows, selected: int | None) -> Facet:
        counts = self._counts(rows, 4)
        names = dict(Category.objects.filter(pk__in=counts, is_public=True).values_list("pk", "name"))
        top = sorted((pk for pk in counts if pk in names), key=lambda pk: (-counts[pk], names[pk], pk))[:FACET_SIZE]
        return Facet("category", [FacetValue(str(pk), names[pk], counts[pk], pk == selected) for pk in top])

    def _suppliers(self, rows, selected: int | None) -> Facet:
        counts = self._counts(rows, 5)
        names = dict(Partner.objects.filter(pk__in=counts).values_list("pk", "name"))
        top = sorted((pk for pk in counts if pk in names), key=lambda pk: (-counts[pk], names[pk], pk))[:FACET_SIZE]
        return Facet("supplier", [FacetValue(str(pk), names[pk], counts[pk], pk == selected) for pk in top])

    def _prices(self, rows, selected: str | None) -> Facet:
        counts = {key: sum(1 for row in rows if _in_range(row[6], key)) for key in PRICE_RANGES}
        return Facet(
            "price",
            [FacetValue(key, price_label(key), counts[key], key == selected) for key in PRICE_RANGES if counts[key]],
        )


def _by_score(row):
    return (-row[1], row[2], row[0])


_NO_PRICE = Decimal("Infinity")
#: sort keys over a row (pk, score, title, date_created, categories, partners, listed price);
#: the *-desc orders are the reverse of these
_SORT_KEYS = {
    "newest": lambda row: (row[3], row[0]),
    "price-asc": lambda row: (row[6] if row[6] is not None else _NO_PRICE, row[0]),
    "price-desc": lambda row: (row[6] if row[6] is not None else -_NO_PRICE, -row[0]),
    "title-asc": lambda row: (row[2], row[0]),
    "title-desc": lambda row: (row[2], row[0]),
}
_REVERSED = {"newest", "price-desc", "title-desc"}
