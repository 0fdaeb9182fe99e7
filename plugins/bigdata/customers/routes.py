"""This area's back-office pages: menu entries under 数据分析, who may open each URL name, Celery beat
entries. Constants only: imported while the app registry loads. Views scope rows further
(``plugins.bigdata.screens.scope``: a salesperson sees only the sales credited to them, and in the
company-based reports their own customers — see ``customers.selectors``)."""

from django.utils.translation import gettext_lazy as _

from core.access import BACK_OFFICE

#: children of the back office's 数据分析 menu: {"label": _(…), "url_name": "bigdata-dashboard:…"}
MENU: list[dict] = [
    {"label": _("Conversion funnel"), "url_name": "bigdata-dashboard:customers-funnel"},
    {"label": _("Sales cycle"), "url_name": "bigdata-dashboard:customers-cycle"},
    {"label": _("Customer value"), "url_name": "bigdata-dashboard:customers-value"},
]
#: URL name → parties (core.access)
ACCESS: dict[str, tuple[str, ...]] = {
    "bigdata-dashboard:customers-funnel": BACK_OFFICE,
    "bigdata-dashboard:customers-cycle": BACK_OFFICE,
    "bigdata-dashboard:customers-value": BACK_OFFICE,
}
#: Celery beat entries (core.plugins.beat_schedule format)
BEAT: dict[str, dict] = {}
