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


@register.filter(name="reading_html")
def reading_html_filter(html: str):
    """The contract's HTML reduced to text and table elements, for the reading pane."""
    from django.utils.safestring import mark_safe

    from plugins.contracts.reading_html import reading_html

    return mark_safe(reading_html(html))  # noqa: S308 - only allowlisted tags, every text escaped
