"""Order events: record which rule priced each line; points on payment; release on cancellation."""

from oscar.core.loading import get_model

from plugins.member_tiers.models import OrderLinePrice
from plugins.member_tiers.pricing import PriceBook
from plugins.member_tiers.services import credit, points

OrderLine = get_model("order", "Line")


def record_line_prices(order) -> list[OrderLinePrice]:
    """Snapshot, per order line, the rule that produced its unit price (for the price explanation)."""
    if order.user_id is None:
        return []
    book = PriceBook(order.user, today=order.date_placed.date() if order.date_placed else None)
    rows = []
    lines = (
        OrderLine.objects.filter(order=order)
        .select_related("product", "stockrecord")
        .prefetch_related("product__categories", "product__parent__categories")
    )
    for line in lines:
        if line.product is None or line.stockrecord is None:
            continue
        resolution = book.resolve(line.product, line.stockrecord, line.quantity)
        explanation = resolution.explanation
        if resolution.unit_price != line.unit_price_incl_tax:
            explanation = f"{explanation} (≠ ¥{line.unit_price_incl_tax})"
        rows.append(
            OrderLinePrice(
                line=line,
                rule=resolution.rule,
                source=resolution.source,
                tier_name=resolution.tier_name,
                list_price=resolution.list_price,
                unit_price=line.unit_price_incl_tax or resolution.unit_price,
                explanation=explanation[:255],
            )
        )
    return OrderLinePrice.objects.bulk_create(rows, ignore_conflicts=True)


def on_status_changed(order, old_status: str, new_status: str) -> None:
    if new_status == "Paid":
        points.earn_for_order(order)
    elif new_status == "Cancelled":
        credit.revert_order(order.number)
        points.restore_redemption(order)
