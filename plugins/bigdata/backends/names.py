"""Labels of what reports group by, looked up once per report (the same for every backend)."""

from __future__ import annotations

from collections.abc import Iterable

from oscar.core.loading import get_model

from core.regions import PROVINCES

_PROVINCES = {p.code: p for p in PROVINCES}


def province_name(code: str) -> str:
    """The province's name in the user's language ("" for an unknown province)."""
    province = _PROVINCES.get(code)
    return province.label if province else ""


def products(product_ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """product id → (SKU of its first offer, title); two queries whatever the number."""
    ids = [pid for pid in set(product_ids) if pid]
    if not ids:
        return {}
    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    skus: dict[int, str] = {}
    for product_id, sku in (
        StockRecord.objects.filter(product_id__in=ids)
        .order_by("product_id", "id")
        .values_list("product_id", "partner_sku")
    ):
        skus.setdefault(product_id, sku)
    found = Product.objects.filter(pk__in=ids).select_related("parent")
    return {p.pk: (skus.get(p.pk, ""), p.get_title()) for p in found}
