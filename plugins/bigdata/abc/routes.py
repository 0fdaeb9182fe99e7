"""This area's back-office pages: menu entries under 数据分析, who may open each URL name, Celery beat
entries. Constants only: imported while the app registry loads. Views scope rows further
(``plugins.bigdata.screens.scope``: a salesperson sees only the sales credited to them).

The live analyses (ABC, ABC-XYZ) are for the back office (a salesperson's are computed on their own
sales only); stored runs, their comparison and the latest product classes are computed over every
sale, so they are the operators' alone."""

from django.utils.translation import gettext_lazy as _

from core.access import BACK_OFFICE, OPERATORS

#: children of the back office's 数据分析 menu: {"label": _(…), "url_name": "bigdata-dashboard:…"}
MENU: list[dict] = [
    {"label": _("ABC analysis"), "url_name": "bigdata-dashboard:abc"},
    {"label": _("ABC-XYZ matrix"), "url_name": "bigdata-dashboard:abc-xyz"},
    {"label": _("ABC runs"), "url_name": "bigdata-dashboard:abc-runs"},
    {"label": _("Product classes"), "url_name": "bigdata-dashboard:abc-classes"},
]
#: URL name → parties (core.access)
ACCESS: dict[str, tuple[str, ...]] = {
    "bigdata-dashboard:abc": BACK_OFFICE,
    "bigdata-dashboard:abc-xyz": BACK_OFFICE,
    "bigdata-dashboard:abc-run-create": OPERATORS,
    "bigdata-dashboard:abc-runs": OPERATORS,
    "bigdata-dashboard:abc-run": OPERATORS,
    "bigdata-dashboard:abc-compare": OPERATORS,
    "bigdata-dashboard:abc-classes": OPERATORS,
}
#: Celery beat entries (core.plugins.beat_schedule format): daily at 02:30 Asia/Shanghai
BEAT: dict[str, dict] = {
    "bigdata-abc-daily": {"task": "plugins.bigdata.abc.tasks.scheduled_abc_run", "hour": 2, "minute": 30},
}
