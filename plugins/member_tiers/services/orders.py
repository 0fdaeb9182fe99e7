"""Order events: record which rule priced each line; points when paid; credit and points back on cancellation."""

from oscar.core.loading import get_model

from core.orders.services import release_payment
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


def on_paid(order) -> None:
    """Points for a paid order (once per order)."""
    points.earn_for_order(order)


def on_cancelled(order, *, actor=None) -> None:
    """A cancelled order gives back the credit it reserved and the points it redeemed, and takes
    back the points it earned if it had been paid."""
    released = credit.revert_order(order.number)
    if released is not None:
        release_payment(order, amount=-released.amount, reference=f"credit:{released.pk}", actor=actor)
    points.restore_redemption(order)
    points.withdraw_earned(order)
