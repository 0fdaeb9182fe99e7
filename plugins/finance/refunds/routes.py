"""This area's pages: back-office menu entries (under 财务), supplier-portal menu entries, template
slots and who may open each URL name (core.access party sets; views scope rows further).
Constants only: imported while the app registry loads."""

#: children of the back office's 财务 menu: {"label": _(…), "url_name": "finance-dashboard:…"}
MENU: list[dict] = []
#: top-level supplier-portal entries: {"label", "icon", "url_name"}
PORTAL_MENU: list[dict] = []
#: URL name → parties (core.access): storefront names "finance:…", dashboard "finance-dashboard:…"
ACCESS: dict[str, tuple[str, ...]] = {}
#: template slot → templates (e.g. "customer.account.tabs", "customer.order_detail.sections")
SLOTS: dict[str, list[str]] = {}
#: Celery beat entries (core.plugins.beat_schedule format: {"name": {"task", "hour", "minute"}})
BEAT: dict[str, dict] = {}
