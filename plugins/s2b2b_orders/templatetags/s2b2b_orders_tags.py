from django import template

from core.access import is_operator
from plugins.s2b2b_orders.selectors import attach_shipments, supplier_orders_for, supplier_parts_of_order

register = template.Library()


@register.inclusion_tag("s2b2b_orders/storefront/supplier_parts.html", takes_context=True)
def supplier_parts(context, order):
    """Each supplier's part of a distributor's order (the page already scoped the order to them),
    with 确认收货 for a shipped part when the user may act on the order."""
    from storefront.selectors import order_action_refusal

    request = context.get("request")
    user = getattr(request, "user", None)
    may_act = user is not None and user.is_authenticated and order_action_refusal(user, order) is None
    return {"parts": supplier_parts_of_order(order), "may_act": may_act, "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("s2b2b_orders/slots/dashboard_order_parts.html", takes_context=True)
def dashboard_supplier_parts(context, order):
    """The supplier orders of ``order`` that the signed-in user may see (operators: all)."""
    user = context["request"].user
    parts = attach_shipments(user, list(supplier_orders_for(user).filter(order=order).order_by("sequence")))
    return {"parts": parts, "ops": is_operator(user)}


@register.filter
def tracking_link(carrier, number) -> str:
    template_url = getattr(carrier, "tracking_url", "") or ""
    return template_url.replace("{number}", str(number)) if template_url else ""
