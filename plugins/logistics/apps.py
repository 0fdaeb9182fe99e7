from django.utils.translation import gettext_lazy as _

from core.access import EVERYONE, PORTAL, SIGNED_IN
from core.plugins import PluginAppConfig


class LogisticsConfig(PluginAppConfig):
    name = "plugins.logistics"
    label = "logistics"
    verbose_name = _("Logistics")
    #: Entries show to whoever may open their page (the access rules below).
    dashboard_menu = [
        {
            "label": _("Logistics"),
            "icon": "fas fa-truck",
            "children": [
                {"label": _("Freight templates"), "url_name": "logistics-dashboard:template-list"},
                {"label": _("Shipments"), "url_name": "logistics-dashboard:shipment-list"},
                {"label": _("Carriers"), "url_name": "logistics-dashboard:carrier-list"},
            ],
        }
    ]
    #: Who may open each page (core.urlaccess): the back-office pages are the operators' and the
    #: suppliers' (a supplier's staff see and change only their own templates and shipments, the
    #: selectors scope every query); the storefront's province chooser is anyone's, Kuaidi100's
    #: push is checked by its signature, and a shipment voucher is downloaded by whoever may see
    #: its shipment (operators, the supplier's staff, the buyer; a 404 for anyone else).
    access = {
        "logistics-dashboard:template-list": PORTAL,
        "logistics-dashboard:template-create": PORTAL,
        "logistics-dashboard:template-edit": PORTAL,
        "logistics-dashboard:template-delete": PORTAL,
        "logistics-dashboard:template-products": PORTAL,
        "logistics-dashboard:template-preview": PORTAL,
        "logistics-dashboard:carrier-list": PORTAL,
        "logistics-dashboard:shipment-list": PORTAL,
        "logistics-dashboard:shipment-detail": PORTAL,
        "logistics:choose-province": EVERYONE,
        "logistics:kuaidi100-push": EVERYONE,
        "logistics:voucher": SIGNED_IN,
    }

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
    outbox_deliverers = {"kuaidi100": "plugins.logistics.services.tracking.Kuaidi100Subscriptions"}

    def ready(self):
        from plugins.logistics import receivers  # noqa: F401
