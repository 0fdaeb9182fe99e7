"""This area's back-office pages: menu entries under 数据分析, who may open each URL name, Celery beat
entries. Constants only: imported while the app registry loads. Views scope rows further
(``plugins.bigdata.screens.scope``: a salesperson sees only the sales credited to them)."""

from django.utils.translation import gettext_lazy as _

from core.access import BACK_OFFICE, OPERATORS

#: children of the back office's 数据分析 menu: {"label": _(…), "url_name": "bigdata-dashboard:…"}
MENU: list[dict] = [
    {"label": _("Sales performance"), "url_name": "bigdata-dashboard:performance"},
    {"label": _("Sales targets"), "url_name": "bigdata-dashboard:performance-targets"},
    {"label": _("Target editor"), "url_name": "bigdata-dashboard:performance-target-editor"},
]
#: URL name → parties (core.access)
ACCESS: dict[str, tuple[str, ...]] = {
    "bigdata-dashboard:performance": BACK_OFFICE,
    "bigdata-dashboard:performance-targets": BACK_OFFICE,
    # targets and the score's weights are set by operators (the services refuse anyone else too)
    "bigdata-dashboard:performance-target-editor": OPERATORS,
    "bigdata-dashboard:performance-weights": OPERATORS,
}
#: Celery beat entries (core.plugins.beat_schedule format)
BEAT: dict[str, dict] = {}
