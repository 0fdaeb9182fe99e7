"""This area's back-office pages: menu entries under 数据分析, who may open each URL name, Celery beat
entries. Constants only: imported while the app registry loads. Views scope rows further
(``plugins.bigdata.screens.scope``: a salesperson sees only the sales credited to them)."""

from django.utils.translation import gettext_lazy as _

from core.access import BACK_OFFICE, OPERATORS

#: children of the back office's 数据分析 menu: {"label": _(…), "url_name": "bigdata-dashboard:…"}
MENU: list[dict] = [{"label": _("Marketing return"), "url_name": "bigdata-dashboard:marketing"}]
#: URL name → parties (core.access)
ACCESS: dict[str, tuple[str, ...]] = {
    # a salesperson sees the campaigns over their own customers' orders (budgets left out)
    "bigdata-dashboard:marketing": BACK_OFFICE,
    "bigdata-dashboard:marketing-activity-create": OPERATORS,
    "bigdata-dashboard:marketing-activity-edit": OPERATORS,
}
#: Celery beat entries (core.plugins.beat_schedule format)
BEAT: dict[str, dict] = {}
