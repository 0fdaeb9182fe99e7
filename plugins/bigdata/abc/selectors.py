"""Reading stored runs and the latest product classes (operators only: callers check)."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from plugins.bigdata.abc.analysis import Item
from plugins.bigdata.abc.models import AbcRun, ProductClass

ITEM_FIELDS = (
    "scope_key",
    "scope_name",
    "product_id",
    "sku",
    "title",
    "value",
    "cumulative_before",
    "grade",
    "xyz",
    "variation",
)
GRADE_COUNTS = {f"count_{g}": Count("items", filter=Q(items__grade=g)) for g in "ABCN"}


def runs() -> QuerySet[AbcRun]:
    """Every run, newest first, with its products per class (one query)."""
    return AbcRun.objects.select_related("created_by").annotate(products=Count("items"), **GRADE_COUNTS)


def run_items(run: AbcRun, scope_key: str | None = None) -> list[Item]:
    """The run's items in rank order within each group (``scope_key``: one group only)."""
    qs = run.items.all()
    if scope_key is not None:
        qs = qs.filter(scope_key=scope_key)
    rows = qs.order_by("scope_key", "grade", "-value", "product_id").values_list(
        "scope_key",
        "scope_name",
        "product_id",
        "sku",
        "title",
        "value",
        "cumulative_before",
        "grade",
        "xyz",
        "variation",
    )
    return [Item(*row) for row in rows.iterator(chunk_size=2000)]


def run_groups(run: AbcRun) -> list[tuple[str, str]]:
    """(scope key, name) of the run's groups, by key."""
    return list(run.items.order_by("scope_key").values_list("scope_key", "scope_name").distinct())


def product_classes(*, grade: str = "", xyz: str = "", query: str = "") -> QuerySet[ProductClass]:
    qs = ProductClass.objects.select_related("run").order_by("grade", "-value", "product_id")
    if grade:
        qs = qs.filter(grade=grade)
    if xyz:
        qs = qs.filter(xyz="" if xyz == "-" else xyz)
    if query:
        qs = qs.filter(Q(sku__icontains=query) | Q(title__icontains=query))
    return qs
