from django import template

from core.regions import province_choices
from plugins.logistics import selectors

register = template.Library()


def _freight_of(method):
    # Oscar's shipping-offer wrappers keep the wrapped method in ``.method``.
    while method is not None and not hasattr(method, "freight"):
        method = getattr(method, "method", None)
    return getattr(method, "freight", None)


@register.inclusion_tag("logistics/partials/freight_breakdown.html", takes_context=True)
def freight_breakdown(context, method, editable=False):
    request = context.get("request")
    return {
        "freight": _freight_of(method),
        "editable": editable,
        "provinces": province_choices(),
        "request": request,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("logistics/partials/order_tracking.html", takes_context=True)
def order_tracking(context, order):
    """The buyer's view of their own order (the page already scoped the order to them)."""
    return {
        "shipments": list(selectors.shipments_for(order)),
        "freight_parts": list(selectors.order_freight_parts(order)),
        "order": order,
    }


@register.inclusion_tag("logistics/partials/order_tracking.html", takes_context=True)
def dashboard_order_tracking(context, order):
    """The back office's view of an order: the freight parts and shipments the user may see."""
    user = context["request"].user
    parts = selectors.order_freight_parts(order)
    if not selectors.is_operator(user):
        parts = parts.filter(partner_id__in=selectors.partner_ids_of(user))
    return {
        "shipments": list(selectors.visible_shipments(user).filter(order=order).order_by("id")),
        "freight_parts": list(parts),
        "order": order,
        "show_vouchers": True,
    }
