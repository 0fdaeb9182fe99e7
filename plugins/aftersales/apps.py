from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, PORTAL, SIGNED_IN
from core.plugins import PluginAppConfig


class AfterSalesConfig(PluginAppConfig):
    name = "plugins.aftersales"
    label = "aftersales"
    verbose_name = _("After-sales")
    #: one entry: operators see every request, a supplier's staff their supplier's (selectors)
    dashboard_menu = [{"label": _("After-sales"), "icon": "fas fa-undo", "url_name": "aftersales-dashboard:list"}]
    #: Who may open each page (core.urlaccess). The storefront pages are the buyers' (their
    #: company's orders, companies.selectors.order_scope); the portal pages the suppliers' and the
    #: operators' (a supplier's staff see only their supplier's requests); a photo is for whoever
    #: may see its request (a 404 for anyone else).
    access = {
        "aftersales:list": (DISTRIBUTOR,),
        "aftersales:create": (DISTRIBUTOR,),
        "aftersales:detail": (DISTRIBUTOR,),
        "aftersales:photo": SIGNED_IN,
        "aftersales-dashboard:list": PORTAL,
        "aftersales-dashboard:detail": PORTAL,
    }
    urls = "plugins.aftersales.urls"
    dashboard_urls = "plugins.aftersales.dashboard_urls"
    graphql_query = "plugins.aftersales.graphql.Query"
    graphql_mutation = "plugins.aftersales.graphql.Mutation"
    demo_seed = "plugins.aftersales.demo.seed"
    template_slots = {
        "customer.order_detail.sections": ["aftersales/slots/customer_order.html"],
        "customer.account.tabs": ["aftersales/slots/account_tab.html"],
    }

    def ready(self):
        from core.statemachine import state_changed
        from plugins.aftersales import receivers

        # finance's refunds move on the kernel's state machine: follow them without importing finance
        state_changed.connect(receivers.refund_moved, dispatch_uid="aftersales.refund_moved")
