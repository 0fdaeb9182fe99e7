"""This area's pages: back-office menu entries (under 财务), supplier-portal menu entries, template
slots and who may open each URL name (core.access party sets; views scope rows further).
Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, OPERATORS

#: children of the back office's 财务 menu: {"label": _(…), "url_name": "finance-dashboard:…"}
MENU: list[dict] = [
    {"label": _("Invoice requests"), "url_name": "finance-dashboard:invoice-request-list"},
    {"label": _("Tax rates"), "url_name": "finance-dashboard:invoice-tax-rates"},
]
#: top-level supplier-portal entries: {"label", "icon", "url_name"}
PORTAL_MENU: list[dict] = []
#: URL name → parties (core.access): storefront names "finance:…", dashboard "finance-dashboard:…"
ACCESS: dict[str, tuple[str, ...]] = {
    "finance:invoice-list": (DISTRIBUTOR,),
    "finance:invoice-details": (DISTRIBUTOR,),
    "finance:invoice-pdf": (DISTRIBUTOR,),
    "finance:invoice-confirm": (DISTRIBUTOR,),
    "finance:invoice-red": (DISTRIBUTOR,),
    "finance-dashboard:invoice-request-list": OPERATORS,
    "finance-dashboard:invoice-request-detail": OPERATORS,
    "finance-dashboard:invoice-pdf": OPERATORS,
    "finance-dashboard:invoice-red": OPERATORS,
    "finance-dashboard:invoice-tax-rates": OPERATORS,
    "finance-dashboard:invoice-tax-category": OPERATORS,
    "finance-dashboard:invoice-tax-product": OPERATORS,
}
#: template slot → templates (e.g. "customer.account.tabs", "customer.order_detail.sections")
SLOTS: dict[str, list[str]] = {
    "catalogue.price": ["finance/invoices/slots/price_tax.html"],
    "basket.totals.shipping": ["finance/invoices/slots/basket_tax.html"],
    "customer.order_detail.sections": ["finance/invoices/slots/order_tax.html"],
    "dashboard.order_detail.summary": ["finance/invoices/slots/order_tax.html"],
    "customer.account.tabs": ["finance/invoices/slots/account_tab.html"],
}
#: Celery beat entries (core.plugins.beat_schedule format: {"name": {"task", "hour", "minute"}})
BEAT: dict[str, dict] = {}
