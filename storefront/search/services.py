"""Writes of product search: a product's search terms, the rebuild, operators' synonym groups."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from storefront.models import ProductSearchTerms, SynonymGroup
from storefront.search import text

Product = get_model("catalogue", "Product")

BATCH = 500


def terms_of(
    *,
    title: str,
    description: str,
    codes: Iterable[str],
    names: Iterable[str],
    category_ids: Iterable[int] = (),
    partner_ids: Iterable[int] = (),
    prices: Iterable = (),
) -> dict:
    """The stored search terms of one product (pure): ``codes`` are its UPC and its suppliers'
    SKUs, ``names`` its categories' and suppliers' names."""
    codes = [c for c in (text.normalize(code).replace(" ", "") for code in codes) if c]
    rest = " ".join([description or "", *names, *codes])
    title_words = text.document_words(title)
    return {
        "codes": text.padded(dict.fromkeys(codes)),
        "title": text.normalize(title),
        "title_words": text.padded(title_words),
        "other_words": text.padded(w for w in text.document_words(rest) if w not in title_words),
        "category_ids": text.padded(str(i) for i in sorted(set(category_ids))),
        "partner_ids": text.padded(str(i) for i in sorted(set(partner_ids))),
        "listed_price": min((p for p in prices if p is not None), default=None),
    }


def index_products(product_ids: Iterable[int]) -> int:
    """Write the search terms of these products (created or replaced); products that no longer
    exist are skipped. Returns how many were written."""
    ids = sorted(set(product_ids))
    written = 0
    for start in range(0, len(ids), BATCH):
        products = Product.objects.filter(pk__in=ids[start : start + BATCH]).prefetch_related(
            "stockrecords__partner", "categories"
        )
        rows = []
        for product in products:
            offers = list(product.stockrecords.all())
            terms = terms_of(
                title=product.title or "",
                description=product.description or "",
                codes=[product.upc or "", *(offer.partner_sku or "" for offer in offers)],
                names=[*(c.name for c in product.categories.all()), *(offer.partner.name for offer in offers)],
                category_ids=[c.pk for c in product.categories.all()],
                partner_ids=[offer.partner_id for offer in offers],
                prices=[offer.price for offer in offers],
            )
            rows.append(ProductSearchTerms(product_id=product.pk, **terms))
        ProductSearchTerms.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["product"],
            update_fields=[
                "codes",
                "title",
                "title_words",
                "other_words",
                "category_ids",
                "partner_ids",
                "listed_price",
                "updated_at",
            ],
        )
        written += len(rows)
    return written


def rebuild() -> int:
    """Every product's search terms written again (``manage.py search_rebuild``)."""
    ids = list(Product.objects.order_by("pk").values_list("pk", flat=True))
    with transaction.atomic():
        ProductSearchTerms.objects.exclude(product_id__in=ids).delete()
        return index_products(ids)


# --- synonyms -------------------------------------------------------------------------------


def _clean_group(words_text: str, *, exclude_pk: int | None) -> str:
    words = text.synonym_words(words_text)
    if len(words) < 2:
        raise ValidationError({"words": _("Enter at least two different words.")})
    if len(words) > text.MAX_SYNONYMS:
        raise ValidationError({"words": _("A group has at most %(n)s words.") % {"n": text.MAX_SYNONYMS}})
    too_long = [w for w in words if len(w) > text.MAX_WORD_LENGTH]
    if too_long:
        raise ValidationError(
            {
                "words": _("A word has at most %(n)s characters: %(word)s")
                % {"n": text.MAX_WORD_LENGTH, "word": too_long[0]}
            }
        )
    others = SynonymGroup.objects.exclude(pk=exclude_pk) if exclude_pk else SynonymGroup.objects.all()
    for word in words:
        taken = others.filter(words__contains=f" {word} ").first()
        if taken is not None:
            raise ValidationError(
                {"words": _("“%(word)s” is already in the group %(group)s.") % {"word": word, "group": taken}}
            )
    return text.padded(words)


def save_synonym_group(*, words: str, by, group: SynonymGroup | None = None) -> SynonymGroup:
    """Create (``group`` None) or change a synonym group. A word belongs to one group only, so
    a query word expands one way."""
    with transaction.atomic():
        SynonymGroup.objects.select_for_update().filter(pk__in=[group.pk] if group else []).first()
        cleaned = _clean_group(words, exclude_pk=group.pk if group else None)
        group = group or SynonymGroup()
        group.words, group.updated_by = cleaned, by
        group.save()
    return group


def delete_synonym_group(*, group: SynonymGroup) -> None:
    group.delete()
