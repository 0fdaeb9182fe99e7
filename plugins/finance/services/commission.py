"""Commission rates: a supplier's rate (SupplierProfile.commission_rate), overridden for a category
(CategoryCommission; a product in several categories or under a sub-category takes the override of
its most specific category). Loaded for many suppliers and products in a fixed number of queries,
so a settlement batch or a refund never asks per line."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from oscar.core.loading import get_model

from core.money import fen
from plugins.finance.models import CategoryCommission

DEFAULT_RATE = Decimal("0.0500")


def commission_of(amount: Decimal, rate: Decimal) -> Decimal:
    """The commission on ``amount`` at ``rate``, to the fen by the kernel's one rounding rule."""
    return fen(Decimal(amount) * Decimal(rate))


@dataclass
class RateTable:
    supplier_rates: dict[int, Decimal] = field(default_factory=dict)
    #: (supplier id, category path) → rate
    overrides: dict[tuple[int, str], Decimal] = field(default_factory=dict)
    #: product id → paths of its categories
    product_paths: dict[int, list[str]] = field(default_factory=dict)

    def rate(self, supplier_id: int, product_id: int | None) -> Decimal:
        """The rate for a product of a supplier: the override of the product's deepest category
        (or of the nearest ancestor with one), else the supplier's own rate."""
        best: tuple[int, Decimal] | None = None
        for path in self.product_paths.get(product_id, []) if product_id else []:
            # treebeard's materialised path: every ancestor's path is a prefix of 4-char steps
            for depth in range(len(path), 0, -4):
                found = self.overrides.get((supplier_id, path[:depth]))
                if found is not None:
                    if best is None or depth > best[0]:
                        best = (depth, found)
                    break
        if best is not None:
            return best[1]
        return self.supplier_rates.get(supplier_id, DEFAULT_RATE)


def rate_table(supplier_ids: Iterable[int], product_ids: Iterable[int]) -> RateTable:
    """Every rate needed for these suppliers' lines of these products (at most four queries)."""
    from plugins.s2b2b_orders.models import SupplierProfile

    supplier_ids, product_ids = set(supplier_ids), set(product_ids)
    table = RateTable()
    table.supplier_rates = dict(
        SupplierProfile.objects.filter(partner_id__in=supplier_ids).values_list("partner_id", "commission_rate")
    )
    for supplier_id, path, rate in CategoryCommission.objects.filter(supplier_id__in=supplier_ids).values_list(
        "supplier_id", "category__path", "rate"
    ):
        table.overrides[(supplier_id, path)] = rate
    if table.overrides and product_ids:
        # a variant has no categories of its own: it takes its parent's
        Product = get_model("catalogue", "Product")
        ProductCategory = get_model("catalogue", "ProductCategory")
        rows = Product.objects.filter(pk__in=product_ids).values_list("pk", "parent")
        owner = {pk: parent or pk for pk, parent in rows}
        paths: dict[int, list[str]] = {}
        for product_id, path in ProductCategory.objects.filter(product_id__in=set(owner.values())).values_list(
            "product_id", "category__path"
        ):
            paths.setdefault(product_id, []).append(path)
        table.product_paths = {pk: paths.get(parent, []) for pk, parent in owner.items()}
    return table


def rate_for(supplier_id: int, product_id: int | None) -> Decimal:
    """One line's rate (a convenience for single lines; use ``rate_table`` for many)."""
    return rate_table([supplier_id], [product_id] if product_id else []).rate(supplier_id, product_id)
