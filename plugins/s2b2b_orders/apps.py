from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, EVERYONE, OPERATORS, PORTAL, SUPPLIER
from core.plugins import PluginAppConfig


class S2B2BOrdersConfig(PluginAppConfig):
    name = "plugins.s2b2b_orders"
    label = "s2b2b_orders"
    verbose_name = _("Supplier orders")
    #: Entries show to whoever may open their page (the access rules below).
    dashboard_menu = [
        {
            "label": _("Supplier orders"),
            "icon": "fas fa-truck-loading",
            "children": [
                {"label": _("All supplier orders"), "url_name": "s2b2b-ops-orders"},
                {"label": _("Escalations"), "url_name": "s2b2b-ops-escalations"},
                {"label": _("Supplier profiles"), "url_name": "s2b2b-ops-profiles"},
                {"label": _("Supplier scorecard"), "url_name": "s2b2b-ops-scorecard"},
                {"label": _("Product approval"), "url_name": "s2b2b-ops-review"},
                {"label": _("Suppliers' legal details"), "url_name": "s2b2b-ops-legal"},
            ],
        },
        {"label": _("My supplier orders"), "icon": "fas fa-truck-loading", "url_name": "s2b2b-portal-orders"},
        {"label": _("My products"), "icon": "fas fa-boxes", "url_name": "s2b2b-portal-products"},
        {"label": _("Company details"), "icon": "fas fa-id-card", "url_name": "s2b2b-portal-legal"},
        {"label": _("API tokens"), "icon": "fas fa-key", "url_name": "s2b2b-portal-api-tokens"},
    ]
    #: Who may open each page (core.urlaccess). Portal pages are the supplier's staff's, scoped
    #: to their supplier by the selectors; the back office is the operators'.
    access = {
        "s2b2b-portal-orders": (SUPPLIER,),
        "s2b2b-portal-order": (SUPPLIER,),
        "s2b2b-portal-products": (SUPPLIER,),
        "s2b2b-portal-product-create": (SUPPLIER,),
        "s2b2b-portal-product": (SUPPLIER,),
        "s2b2b-packing-slip": PORTAL,
        # 企业资料: the supplier's own legal details; its licence for its staff and operators
        "s2b2b-portal-legal": (SUPPLIER,),
        "s2b2b-legal-licence": PORTAL,
        # API 令牌: the staff member's own tokens for the supplier API (found under that user only)
        "s2b2b-portal-api-tokens": (SUPPLIER,),
        "s2b2b-portal-api-token-revoke": (SUPPLIER,),
        # Oscar's product editor: operators edit live, a supplier is sent to its portal page
        "s2b2b-oscar-product": PORTAL,
        "s2b2b-oscar-product-create": PORTAL,
        "s2b2b-oscar-product-create-class": PORTAL,
        "s2b2b-ops-orders": OPERATORS,
        "s2b2b-ops-order": OPERATORS,
        "s2b2b-ops-escalations": OPERATORS,
        "s2b2b-ops-escalation": OPERATORS,
        "s2b2b-ops-profiles": OPERATORS,
        "s2b2b-ops-profile-create": OPERATORS,
        "s2b2b-ops-profile": OPERATORS,
        "s2b2b-ops-scorecard": OPERATORS,
        "s2b2b-ops-review": OPERATORS,
        "s2b2b-ops-review-action": OPERATORS,
        "s2b2b-ops-legal": OPERATORS,
        "s2b2b-ops-legal-review": OPERATORS,
        # the storefront's product page and add-to-basket, hiding products under review
        "s2b2b-product-detail": EVERYONE,
        "s2b2b-basket-add": EVERYONE,
        # 确认收货: the buyer of the order (scoped by selectors.buyer_supplier_order)
        "s2b2b-confirm-receipt": (DISTRIBUTOR,),
    }
    dashboard_home = {SUPPLIER: "s2b2b-portal-orders"}
    graphql_query = "plugins.s2b2b_orders.graphql.queries.Query"
    graphql_mutation = "plugins.s2b2b_orders.graphql.mutations.Mutation"
    urls = "plugins.s2b2b_orders.urls"
    dashboard_urls = "plugins.s2b2b_orders.dashboard.urls"
    demo_seed = "plugins.s2b2b_orders.demo.seed"
    template_slots = {
        "customer.order_detail.summary": ["s2b2b_orders/slots/order_supplier_parts.html"],
        "dashboard.order_detail.summary": ["s2b2b_orders/slots/dashboard_order.html"],
    }
    outbox_deliverers = {"webhook": "plugins.s2b2b_orders.services.outbox.SupplierWebhook"}
    beat_schedule = {
        "s2b2b-escalate-overdue": {
            "task": "plugins.s2b2b_orders.tasks.escalate_overdue_supplier_orders",
            "schedule": timedelta(minutes=5),
        },
        # 确认收货 on the buyer's behalf, SUPPLIER_ORDER_AUTO_CONFIRM_DAYS after delivery
        "s2b2b-auto-confirm-receipts": {
            "task": "plugins.s2b2b_orders.tasks.auto_confirm_receipts",
            "schedule": timedelta(hours=1),
        },
    }

    def ready(self):
        from core.orders.events import order_cancelled, payment_secured
        from core.shipments import shipment_delivered
        from plugins.s2b2b_orders import receivers
        from plugins.s2b2b_orders.selectors import hide_unapproved
        from plugins.s2b2b_orders.signals import supplier_order_transitioned
        from storefront import selectors as storefront_selectors

        payment_secured.connect(receivers.on_payment_secured, dispatch_uid="s2b2b_orders.split")
        order_cancelled.connect(receivers.on_order_cancelled, dispatch_uid="s2b2b_orders.cancel_parts")
        supplier_order_transitioned.connect(
            receivers.on_supplier_order_transitioned, dispatch_uid="s2b2b_orders.escalate_rejected"
        )
        shipment_delivered.connect(receivers.on_shipment_delivered, dispatch_uid="s2b2b_orders.delivered")
        if hide_unapproved not in storefront_selectors.visibility_filters:
            storefront_selectors.visibility_filters.append(hide_unapproved)
