from django import template

from plugins.s2b2b_orders.selectors import supplier_parts_of_order

register = template.Library()


@register.inclusion_tag("s2b2b_orders/storefront/supplier_parts.html")
def supplier_parts(order):
    """Each supplier's part of a distributor's order (the page already scoped the order to them)."""
    return {"parts": supplier_parts_of_order(order)}


@register.filter
def tracking_link(carrier, number) -> str:
    template_url = getattr(carrier, "tracking_url", "") or ""
    return template_url.replace("{number}", str(number)) if template_url else ""
