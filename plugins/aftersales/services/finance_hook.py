"""The one place after-sales talks to finance, so the plugin works without it: with finance
installed a refund is handed to its refund service (退款单, approved and paid out by the finance
team, allocated to the supplier order and clawed back from a settled one); without it the
after-sales request is marked refunded and the money is the platform's business outside it."""

from collections.abc import Sequence
from decimal import Decimal

from django.apps import apps

from core.money import ZERO


def installed() -> bool:
    return apps.is_installed("plugins.finance")


def committed_by_line(order) -> dict[int, Decimal]:
    """order line id → amount finance's live refunds hold on it (none without finance)."""
    if not installed():
        return {}
    from plugins.finance.selectors import refunds

    return {line_id: taken.amount for line_id, taken in refunds.lines_committed(order).items()}


def request_refund(*, order, lines: Sequence[tuple[object, int, Decimal]], goods_back: bool, note: str, by) -> str:
    """Ask finance for a refund of ``lines`` (order line, quantity, amount); returns its number.
    Goods that come back are a sales return (销售退回); money without goods an allowance (销售折让,
    quantity 0). Finance's ValidationError (above what was received …) propagates: nothing moves."""
    from plugins.finance.models import Refund
    from plugins.finance.services import refunds

    requested = [
        refunds.LineRequest(line, quantity if goods_back else 0, amount)
        for line, quantity, amount in lines
        if amount > ZERO
    ]
    refund = refunds.request_refund(
        order,
        reason=Refund.Reason.RETURN if goods_back else Refund.Reason.ALLOWANCE,
        lines=requested,
        freight_amount=ZERO,
        note=note,
        by=by,
        system=True,
    )
    return refund.number
