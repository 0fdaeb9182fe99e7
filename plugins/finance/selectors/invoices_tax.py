"""Tax classes (税率 and 税收分类编码) of what is sold: a product's own ``ProductTax``, else its
parent's (a variant is filed under its parent), else the deepest of its categories (or their
ancestors) with a ``TaxCategory``, else the default rate ``FINANCE_DEFAULT_VAT_RATE`` (13 %, most
goods) with no classification code (an invoice then names what operators must fill in).

``TaxTable`` reads the category classes once (one query) and the products it is asked about in
batches (one query per batch, whatever its size); the pricing strategy loads one per request
and asks it only for the products whose tax a page shows (a basket's lines together).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from oscar.core.loading import get_model

from plugins.finance.models import TaxCategory


@dataclass(frozen=True)
class TaxClass:
    rate: Decimal
    code: str  # 19 digits, or "" when neither the product nor a category states one
    short_name: str
    source: str  # "product", "category" or "default"

    @property
    def percent(self) -> str:
        return f"{(self.rate * 100).normalize():f}%"


def default_rate() -> Decimal:
    return Decimal(str(getattr(settings, "FINANCE_DEFAULT_VAT_RATE", "0.13")))


def _owner_id(product) -> int:
    return product.parent_id if getattr(product, "parent_id", None) and product.is_child else product.pk


class TaxTable:
    """The tax class of products, for one request or one document."""

    def __init__(self):
        self._categories: dict[str, TaxClass] | None = None
        self._classes: dict[int, TaxClass] = {}

    @property
    def categories(self) -> dict[str, TaxClass]:
        """category path → its tax class (a few rows; one query)."""
        if self._categories is None:
            self._categories = {
                path: TaxClass(rate, code, short, "category")
                for path, rate, code, short in TaxCategory.objects.values_list(
                    "category__path", "rate", "code", "short_name"
                )
            }
        return self._categories

    def _from_paths(self, paths: list[str]) -> TaxClass | None:
        best, depth = None, -1
        for path in paths:
            for prefix_len in range(len(path), 0, -4):  # treebeard: 4 characters per level
                found = self.categories.get(path[:prefix_len])
                if found is not None:
                    if prefix_len > depth:
                        best, depth = found, prefix_len
                    break
        return best

    def classes(self, products) -> dict[int, TaxClass]:
        """product id → TaxClass for ``products`` (answered together)."""
        products = [p for p in products if p is not None and p.pk is not None]
        missing = [p for p in products if p.pk not in self._classes]
        if missing:
            ids = {p.pk for p in missing} | {_owner_id(p) for p in missing}
            # one query: each product's own class and (when categories have classes) its categories
            fields = ["pk", "tax__rate", "tax__code", "tax__short_name"]
            if self.categories:
                fields.append("categories__path")
            overrides: dict[int, TaxClass] = {}
            paths: dict[int, list[str]] = {}
            Product = get_model("catalogue", "Product")
            for pid, rate, code, short, *path in Product.objects.filter(pk__in=ids).values_list(*fields):
                if rate is not None:
                    overrides[pid] = TaxClass(rate, code, short, "product")
                if path and path[0]:
                    paths.setdefault(pid, []).append(path[0])
            fallback = TaxClass(default_rate(), "", "", "default")
            for product in missing:
                owner = _owner_id(product)
                self._classes[product.pk] = (
                    overrides.get(product.pk)
                    or overrides.get(owner)
                    or self._from_paths(paths.get(owner, []))
                    or fallback
                )
        return {p.pk: self._classes[p.pk] for p in products}

    def class_of(self, product) -> TaxClass:
        return self.classes([product])[product.pk]

    def rates(self, products) -> dict[int, Decimal]:
        """core.pricing.TaxRates: product id → VAT rate."""
        return {pk: tax.rate for pk, tax in self.classes(products).items()}


class FinanceTaxProvider:
    """The ``tax_rate`` kernel hook (core.pricing.TaxProvider)."""

    def tax_rates(self) -> TaxTable:
        return TaxTable()


provider = FinanceTaxProvider()
