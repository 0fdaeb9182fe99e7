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

    graphql_query = "plugins.logistics.graphql.queries.Query"
    graphql_mutation = "plugins.logistics.graphql.mutations.Mutation"
    urls = "plugins.logistics.urls"
    demo_seed = "plugins.logistics.demo.seed"
    dashboard_urls = "plugins.logistics.dashboard.urls"
    freight_provider = "plugins.logistics.hooks.freight"
    template_slots = {
        "basket.totals.shipping": ["logistics/slots/basket_freight.html"],
        "customer.order_detail.sections": ["logistics/partials/order_logistics.html"],
        "dashboard.order_detail.tabs": ["logistics/slots/dashboard_order_tab.html"],
        "dashboard.order_detail.panes": ["logistics/slots/dashboard_order_pane.html"],
    }
    shipment_provider = "plugins.logistics.hooks.shipments"

    def ready(self):
        from plugins.logistics import receivers  # noqa: F401
