"""This area's pages: back-office menu entries (under 财务), supplier-portal menu entries, template
slots and who may open each URL name (core.access party sets; views scope rows further).
Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from core.access import OPERATORS, SUPPLIER

#: children of the back office's 财务 menu: {"label": _(…), "url_name": "finance-dashboard:…"}
MENU: list[dict] = [
    {"label": _("Settlement batches"), "url_name": "finance-dashboard:settlement-batches"},
    {"label": _("Commission rates"), "url_name": "finance-dashboard:settlement-rates"},
    {"label": _("Commission income"), "url_name": "finance-dashboard:settlement-income"},
]
#: top-level supplier-portal entries: {"label", "icon", "url_name"}
PORTAL_MENU: list[dict] = [
    {
        "label": _("My settlements"),
        "icon": "fas fa-file-invoice-dollar",
        "url_name": "finance-dashboard:settlement-portal-batches",
    },
]
#: URL name → parties (core.access): storefront names "finance:…", dashboard "finance-dashboard:…"
ACCESS: dict[str, tuple[str, ...]] = {
    "finance-dashboard:settlement-batches": OPERATORS,
    "finance-dashboard:settlement-batch-new": OPERATORS,
    "finance-dashboard:settlement-rates": OPERATORS,
    "finance-dashboard:settlement-supplier-rates": OPERATORS,
    "finance-dashboard:settlement-income": OPERATORS,
    "finance-dashboard:settlement-batch": OPERATORS,
    "finance-dashboard:settlement-export": OPERATORS,
    "finance-dashboard:settlement-portal-batches": (SUPPLIER,),
    "finance-dashboard:settlement-portal-batch": (SUPPLIER,),
    "finance-dashboard:settlement-portal-export": (SUPPLIER,),
}
#: template slot → templates (e.g. "customer.account.tabs", "customer.order_detail.sections")
SLOTS: dict[str, list[str]] = {}
#: Celery beat entries (core.plugins.beat_schedule format: {"name": {"task", "hour", "minute"}})
BEAT: dict[str, dict] = {}
