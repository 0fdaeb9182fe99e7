"""Template helpers of the invoices area: a VAT rate as a percentage, an order's tax by rate."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


@register.filter
def vat_percent(rate) -> str:
    """0.1300 → "13%", "0.0900" → "9%" (the way invoices print a rate)."""
    try:
        value = Decimal(str(rate)) * 100
    except (InvalidOperation, TypeError, ValueError):
        return ""
    return f"{value.normalize():f}%"


@register.simple_tag
def order_tax_summary(order) -> dict:
    from plugins.finance.selectors.invoices import order_tax_summary as summary

    return summary(order)


@register.filter
def sees_company_invoices(user) -> bool:
    """Whether ``user`` is a company's 财务 or admin (the account tab 发票)."""
    from plugins.finance.access import company_for_finance

    return company_for_finance(user) is not None
