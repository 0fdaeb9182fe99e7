"""This area's pages: back-office menu entries (under 财务), supplier-portal menu entries, template
slots and who may open each URL name (core.access party sets; views scope rows further).
Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, OPERATORS, SUPPLIER

#: children of the back office's 财务 menu: {"label": _(…), "url_name": "finance-dashboard:…"}
MENU: list[dict] = [
    {"label": _("Statements"), "url_name": "finance-dashboard:statement-list"},
    {"label": _("Statement disputes"), "url_name": "finance-dashboard:statement-disputes"},
    {"label": _("Closed periods"), "url_name": "finance-dashboard:statement-periods"},
    {"label": _("General ledger"), "url_name": "finance-dashboard:ledger"},
]
#: top-level supplier-portal entries: {"label", "icon", "url_name"}
PORTAL_MENU: list[dict] = [
    {"label": _("My statements"), "icon": "fas fa-file-invoice", "url_name": "finance-dashboard:statement-portal-list"},
]
#: URL name → parties (core.access): storefront names "finance:…", dashboard "finance-dashboard:…"
ACCESS: dict[str, tuple[str, ...]] = {
    "finance:statement-list": (DISTRIBUTOR,),
    "finance:statement-detail": (DISTRIBUTOR,),
    "finance:statement-export": (DISTRIBUTOR,),
    "finance-dashboard:statement-list": OPERATORS,
    "finance-dashboard:statement-issue": OPERATORS,
    "finance-dashboard:statement-disputes": OPERATORS,
    "finance-dashboard:statement-periods": OPERATORS,
    "finance-dashboard:statement-detail": OPERATORS,
    "finance-dashboard:statement-export": OPERATORS,
    "finance-dashboard:statement-portal-list": (SUPPLIER,),
    "finance-dashboard:statement-portal-detail": (SUPPLIER,),
    "finance-dashboard:statement-portal-export": (SUPPLIER,),
}
#: template slot → templates (e.g. "customer.account.tabs", "customer.order_detail.sections")
SLOTS: dict[str, list[str]] = {"customer.account.tabs": ["finance/statements/slots/account_tab.html"]}
#: Celery beat entries (core.plugins.beat_schedule format: {"name": {"task", "hour", "minute"}})
BEAT: dict[str, dict] = {}
