"""This area's pages: back-office menu entries (under 财务), supplier-portal menu entries, template
slots and who may open each URL name (core.access party sets; views scope rows further).
Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, OPERATORS

#: children of the back office's 财务 menu: {"label": _(…), "url_name": "finance-dashboard:…"}
MENU: list[dict] = [{"label": _("Refunds"), "url_name": "finance-dashboard:refund-list"}]
#: top-level supplier-portal entries: {"label", "icon", "url_name"}
PORTAL_MENU: list[dict] = []
#: URL name → parties (core.access): storefront names "finance:…", dashboard "finance-dashboard:…"
#: (the storefront pages further require the company's 财务 or admin: anyone else is denied)
ACCESS: dict[str, tuple[str, ...]] = {
    "finance-dashboard:refund-list": OPERATORS,
    "finance-dashboard:refund-detail": OPERATORS,
    "finance-dashboard:refund-request": OPERATORS,
    "finance:refund-list": (DISTRIBUTOR,),
    "finance:refund-detail": (DISTRIBUTOR,),
    "finance:refund-request": (DISTRIBUTOR,),
}
#: template slot → templates (e.g. "customer.account.tabs", "customer.order_detail.sections")
SLOTS: dict[str, list[str]] = {
    "dashboard.order_detail.summary": ["finance/refunds/slots/dashboard_order.html"],
    "customer.order_detail.sections": ["finance/refunds/slots/customer_order.html"],
    "customer.account.tabs": ["finance/refunds/slots/account_tab.html"],
}
#: Celery beat entries (core.plugins.beat_schedule format: {"name": {"task", "hour", "minute"}})
BEAT: dict[str, dict] = {}
