from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig


def _operator_or_supplier(user, *args):
    return user.is_staff or user.has_perm("partner.dashboard_access")


def _operator(user, *args):
    return user.is_staff


class LogisticsConfig(PluginAppConfig):
    name = "plugins.logistics"
    label = "logistics"
    verbose_name = _("Logistics")
    dashboard_menu = [
        {
            "label": _("Logistics"),
            "icon": "fas fa-truck",
            "access_fn": _operator_or_supplier,
            "children": [
                {
                    "label": _("Freight templates"),
                    "url_name": "logistics-dashboard:template-list",
                    "access_fn": _operator_or_supplier,
                },
                {
                    "label": _("Shipments"),
                    "url_name": "logistics-dashboard:shipment-list",
                    "access_fn": _operator_or_supplier,
                },
                {
                    "label": _("Carriers"),
                    "url_name": "logistics-dashboard:carrier-list",
                    "access_fn": _operator_or_supplier,
                },
            ],
        }
    ]

    graphql_query = "plugins.logistics.graphql.schema.Query"
    graphql_mutation = "plugins.logistics.graphql.schema.Mutation"
    urls = "plugins.logistics.urls"
    demo_seed = "plugins.logistics.demo.seed"
    dashboard_urls = "plugins.logistics.dashboard.urls"
    outbox_deliverers = {"kuaidi100": "plugins.logistics.services.tracking.Kuaidi100Subscriptions"}

    def ready(self):
        from plugins.logistics import receivers  # noqa: F401
