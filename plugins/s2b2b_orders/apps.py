from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig


def _operator(user, *args):
    return user.is_staff


def _supplier(user, *args):
    from plugins.s2b2b_orders.selectors import is_supplier_staff

    return not user.is_staff and is_supplier_staff(user)


class S2B2BOrdersConfig(PluginAppConfig):
    name = "plugins.s2b2b_orders"
    label = "s2b2b_orders"
    verbose_name = _("Supplier orders")
    dashboard_menu = [
        {
            "label": _("Supplier orders"),
            "icon": "fas fa-truck-loading",
            "access_fn": _operator,
            "children": [
                {"label": _("All supplier orders"), "url_name": "s2b2b-ops-orders", "access_fn": _operator},
                {"label": _("Escalations"), "url_name": "s2b2b-ops-escalations", "access_fn": _operator},
                {"label": _("Outbox deliveries"), "url_name": "s2b2b-ops-outbox", "access_fn": _operator},
                {"label": _("Supplier profiles"), "url_name": "s2b2b-ops-profiles", "access_fn": _operator},
                {"label": _("Supplier scorecard"), "url_name": "s2b2b-ops-scorecard", "access_fn": _operator},
                {"label": _("Product approval"), "url_name": "s2b2b-ops-review", "access_fn": _operator},
            ],
        },
        {
            "label": _("My supplier orders"),
            "icon": "fas fa-truck-loading",
            "url_name": "s2b2b-portal-orders",
            "access_fn": _supplier,
        },
        {
            "label": _("My products"),
            "icon": "fas fa-boxes",
            "url_name": "s2b2b-portal-products",
            "access_fn": _supplier,
        },
    ]
    graphql_query = "plugins.s2b2b_orders.graphql.schema.Query"
    graphql_mutation = "plugins.s2b2b_orders.graphql.schema.Mutation"
    urls = "plugins.s2b2b_orders.urls"
    dashboard_urls = "plugins.s2b2b_orders.dashboard.urls"
    demo_seed = "plugins.s2b2b_orders.demo.seed"
    beat_schedule = {
        "s2b2b-drain-outbox": {"task": "plugins.s2b2b_orders.tasks.drain_outbox", "schedule": timedelta(minutes=1)},
        "s2b2b-escalate-overdue": {
            "task": "plugins.s2b2b_orders.tasks.escalate_overdue_supplier_orders",
            "schedule": timedelta(minutes=5),
        },
    }

    def ready(self):
        from core.orders.events import order_cancelled, payment_secured
        from plugins.logistics.signals import shipment_delivered
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
