"""This area's pages: back-office menu entries (under 财务), supplier-portal menu entries, template
slots and who may open each URL name (core.access party sets; views scope rows further).
Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, OPERATORS

#: children of the back office's 财务 menu: {"label": _(…), "url_name": "finance-dashboard:…"}
MENU: list[dict] = [
    {"label": _("Receipts"), "url_name": "finance-dashboard:receipt-list"},
    {"label": _("Awaiting claim"), "url_name": "finance-dashboard:receipt-unclaimed"},
    {"label": _("Bank statement import"), "url_name": "finance-dashboard:receipt-import"},
]
#: top-level supplier-portal entries: {"label", "icon", "url_name"}
PORTAL_MENU: list[dict] = []
#: URL name → parties (core.access): storefront names "finance:…", dashboard "finance-dashboard:…"
ACCESS: dict[str, tuple[str, ...]] = {
    "finance-dashboard:receipt-list": OPERATORS,
    "finance-dashboard:receipt-unclaimed": OPERATORS,
    "finance-dashboard:receipt-create": OPERATORS,
    "finance-dashboard:receipt-import": OPERATORS,
    "finance-dashboard:receipt-import-preview": OPERATORS,
    "finance-dashboard:receipt-detail": OPERATORS,
    # a company's 财务/admin (the views answer others with a page saying so)
    "finance:receipt-list": (DISTRIBUTOR,),
    "finance:receipt-claim": (DISTRIBUTOR,),
}
#: template slot → templates (e.g. "customer.account.tabs", "customer.order_detail.sections")
SLOTS: dict[str, list[str]] = {
    "customer.account.tabs": ["finance/receipts/slots/account_tab.html"],
    # the order page's payment: its receipts and "record a receipt for this order" (prefilled)
    "dashboard.order_detail.payment": ["finance/receipts/slots/order_payment.html"],
}
#: Celery beat entries (core.plugins.beat_schedule format: {"name": {"task", "hour", "minute"}})
BEAT: dict[str, dict] = {}
