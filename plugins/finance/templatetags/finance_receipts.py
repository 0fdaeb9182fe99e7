"""Template tags of the receipts slots (read-only; the pages are the operators')."""

from django import template

from plugins.finance.models import ReceiptAllocation

register = template.Library()


@register.simple_tag
def receipts_of_order(order) -> list:
    """The receipt allocations paying ``order`` (its receipts not void), oldest first."""
    return list(
        ReceiptAllocation.objects.filter(order=order)
        .exclude(receipt__state="void")
        .select_related("receipt")
        .order_by("id")
    )
