"""Template tags of the refunds slots: an order's refunds and what is still refundable, scoped to
who asks (operators: any order; a company's 财务/admin: its own orders; anyone else: nothing)."""

from django import template

from core.access import is_operator
from plugins.finance.access import company_for_finance
from plugins.finance.selectors import refunds as selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def order_refunds(context, order) -> dict | None:
    """{"refunds", "received", "refundable", "may_request"} for the order, or None when the asker
    may not see its refunds."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if order is None or user is None or not user.is_authenticated:
        return None
    if not is_operator(user):
        company = company_for_finance(user)
        if company is None or order.company_id != company.pk:
            return None
    refundable = selectors.refundable_for_order(order)
    return {
        "refunds": selectors.refunds_of_order(order),
        "received": selectors.received_for_order(order),
        "refundable": refundable,
        "may_request": refundable > 0,
    }


@register.simple_tag(takes_context=True)
def may_see_refunds(context) -> bool:
    """Whether the account tab "Refunds" is shown: the company's 财务 or admin."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and company_for_finance(user) is not None)
