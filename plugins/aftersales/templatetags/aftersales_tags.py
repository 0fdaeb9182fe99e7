from django import template

from core.access import DISTRIBUTOR, party_of

register = template.Library()


@register.simple_tag(takes_context=True)
def aftersales_parts(context, order):
    """The order's supplier parts with their after-sales state, for the buyer's order page."""
    request = context.get("request")
    if order is None or request is None or party_of(request.user) != DISTRIBUTOR:
        return []
    from plugins.aftersales.selectors import parts_of_order

    return parts_of_order(order)


@register.simple_tag(takes_context=True)
def aftersales_tab_shown(context) -> bool:
    request = context.get("request")
    return request is not None and party_of(request.user) == DISTRIBUTOR
