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
    return {
        "shipments": list(selectors.shipments_for(order)),
        "freight_parts": list(selectors.order_freight_parts(order)),
        "order": order,
    }
