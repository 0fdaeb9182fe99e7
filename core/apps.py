from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig, install_dashboard_menu


class CoreConfig(PluginAppConfig):
    name = "core"
    verbose_name = _("Platform core")
    dashboard_menu = [
        {
            "label": _("API tokens"),
            "icon": "fas fa-key",
            "url_name": "dashboard-api-tokens",
            "access_fn": lambda user, *args: user.is_staff,
        },
    ]

    def ready(self):
        install_dashboard_menu()
