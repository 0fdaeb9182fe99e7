from django.apps import apps
from django.utils.translation import gettext_lazy as _

from core.access import EVERYONE, SIGNED_IN
from core.plugins import PluginAppConfig


class ContractsConfig(PluginAppConfig):
    name = "plugins.contracts"
    label = "contracts"
    verbose_name = _("Contracts")
    dashboard_menu = [
        {
            "label": _("Contracts"),
            "icon": "fas fa-file-signature",
            "children": [
                {"label": _("Contracts"), "url_name": "contracts-dashboard:contract-list"},
                {"label": _("Awaiting countersignature"), "url_name": "contracts-dashboard:countersign-batch"},
                {"label": _("New framework agreement"), "url_name": "contracts-dashboard:framework-create"},
                {"label": _("Contract policies"), "url_name": "contracts-dashboard:policy-list"},
                {"label": _("Contract templates"), "url_name": "contracts-dashboard:template-list"},
            ],
        }
    ]
    #: The back office is the operators' (the default under /dashboard/). In the storefront a
    #: signed-in person reaches only the contracts ``selectors.visible_contracts`` gives them (a
    #: 404 otherwise); the verification page and the platform's root certificate are public.
    access = {
        "contracts:list": SIGNED_IN,
        "contracts:detail": SIGNED_IN,
        "contracts:document": SIGNED_IN,
        "contracts:reading": SIGNED_IN,
        "contracts:request-code": SIGNED_IN,
        "contracts:sign": SIGNED_IN,
        "contracts:comment": SIGNED_IN,
        "contracts:approve-seal": SIGNED_IN,
        "contracts:evidence-report": SIGNED_IN,
        "contracts:signers": SIGNED_IN,
        "contracts:verify": EVERYONE,
        "contracts:root-certificate": EVERYONE,
    }
    urls = "plugins.contracts.urls"
    dashboard_urls = "plugins.contracts.dashboard.urls"
    graphql_query = "plugins.contracts.graphql.queries.Query"
    graphql_mutation = "plugins.contracts.graphql.mutations.Mutation"
    demo_seed = "plugins.contracts.demo.seed"
    template_slots = {
        "customer.order_detail.sections": ["contracts/slots/order_contracts.html"],
        "companies.company_detail.sections": ["contracts/slots/company_contracts.html"],
        "customer.account.tabs": ["contracts/slots/account_tab.html"],
    }
    terms_gate = "plugins.contracts.hooks.terms_gate"
    beat_schedule = {
        "contracts-daily": {"task": "plugins.contracts.tasks.daily_contracts", "hour": 1, "minute": 30},
        "contracts-archive": {"task": "plugins.contracts.tasks.archive_contracts", "hour": 2, "minute": 40},
    }

    def ready(self):
        from oscar.apps.order.signals import order_placed

        from core.orders.events import order_cancelled
        from plugins.contracts import checks, receivers  # noqa: F401 - checks register themselves

        order_placed.connect(receivers.on_order_placed, dispatch_uid="contracts.order_placed")
        order_cancelled.connect(receivers.on_order_cancelled, dispatch_uid="contracts.order_cancelled")
        if apps.is_installed("plugins.s2b2b_orders"):
            from plugins.s2b2b_orders.signals import supplier_order_transitioned

            supplier_order_transitioned.connect(
                receivers.on_supplier_order_transitioned, dispatch_uid="contracts.supplier_order_changed"
            )
