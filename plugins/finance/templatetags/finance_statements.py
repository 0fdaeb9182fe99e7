"""Template filters of the statements area: fen (integer) shown as yuan."""

from django import template

from core.money import from_fen

register = template.Library()


@register.filter
def yuan(cents) -> str:
    """12345 → "123.45" (thousands separated); empty for None."""
    if cents is None or cents == "":
        return ""
    return f"{from_fen(int(cents)):,.2f}"


@register.filter
def negate(cents):
    return -int(cents or 0)


@register.filter
def kind_label(kind: str) -> str:
    """An entry kind in the reader's language."""
    from plugins.finance import chart

    return str(dict(chart.KINDS).get(kind, kind))
