"""Template tags of the storefront's contract sections (the order page's slot)."""

from django import template

from plugins.contracts import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def order_contracts(context, order):
    """The contracts of ``order`` the asker may see (scoped by the selectors, not the template)."""
    request = context.get("request")
    if request is None or order is None:
        return []
    return list(selectors.contracts_of_order(request.user, order))
