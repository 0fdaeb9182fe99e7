from django import template

from core.orders.payments import payment_state_label
from core.orders.status import status_label
from storefront.payments import method_label

register = template.Library()


@register.filter
def order_status(status: str) -> str:
    return status_label(status)


@register.filter
def payment_state(order) -> str:
    """Unpaid / payment secured, not yet paid / paid (core.orders.payments)."""
    return payment_state_label(order)


@register.filter
def payment_method(source) -> str:
    return method_label(source.source_type.code)


@register.filter
def supplier_remarks(order) -> list[tuple[str, str]]:
    """(supplier name, remark) of what the buyer wrote to each supplier at checkout, in line order."""
    remarks = getattr(order, "supplier_remarks", None) or {}
    if not remarks:
        return []
    names: dict[str, str] = {}
    for line in order.lines.all():
        if line.partner_id is not None:
            names.setdefault(str(line.partner_id), line.partner_name)
    return [(names.get(key, ""), remark) for key, remark in remarks.items() if remark]


@register.simple_tag(takes_context=True)
def buyer_may_cancel(context, order) -> bool:
    """Whether the signed-in user may cancel ``order`` now: their role acts on orders and no
    supplier has accepted it (the service checks again, under the order's lock)."""
    from core.orders.status import BUYER_CANCELLABLE
    from storefront.selectors import order_action_refusal

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or order.status not in BUYER_CANCELLABLE:
        return False
    return order_action_refusal(user, order) is None
