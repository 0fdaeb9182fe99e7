"""The buyer's own actions on an order after placing it."""

from django.core.exceptions import ValidationError
from oscar.core.loading import get_model

from core.orders.services import cancel_before_acceptance
from storefront.selectors import order_action_refusal

Order = get_model("order", "Order")


def cancel_as_buyer(*, order: Order, user, reason: str = "") -> Order:
    """Cancel ``order`` (already scoped to ``user``) for its buyer while no supplier has accepted
    it; ValidationError (field ``status``) and nothing changed otherwise."""
    refusal = order_action_refusal(user, order)
    if refusal:
        raise ValidationError({"status": ValidationError(refusal, code="not_permitted")})
    return cancel_before_acceptance(order, reason=reason.strip()[:500], actor=user)
