"""The buyer confirms receipt of a supplier's part of their order (确认收货)."""

from django.core.exceptions import ValidationError

from plugins.s2b2b_orders.models import SupplierOrder
from plugins.s2b2b_orders.services import lifecycle
from storefront.selectors import order_action_refusal


def confirm_receipt_as_buyer(*, supplier_order: SupplierOrder, user, via: str = lifecycle.VIA_PORTAL) -> SupplierOrder:
    """Complete a shipped or delivered part (already scoped to ``user``'s orders) for its buyer;
    ValidationError and nothing changed when the user's role may not, or the part is not shipped
    in full yet (a partially shipped part still has goods on the way)."""
    refusal = order_action_refusal(user, supplier_order.order)
    if refusal:
        raise ValidationError({"status": ValidationError(refusal, code="not_permitted")})
    return lifecycle.confirm_receipt(supplier_order, actor=user, via=via)
