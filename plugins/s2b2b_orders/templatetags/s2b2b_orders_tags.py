from django import template

from core.access import is_operator
from plugins.s2b2b_orders.selectors import attach_shipments, supplier_orders_for, supplier_parts_of_order

register = template.Library()


@register.inclusion_tag("s2b2b_orders/storefront/supplier_parts.html")
def supplier_parts(order):
    """Each supplier's part of a distributor's order (the page already scoped the order to them)."""
    return {"parts": supplier_parts_of_order(order)}


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
