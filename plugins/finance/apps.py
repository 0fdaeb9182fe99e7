from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig
from plugins.finance import routes


class FinanceConfig(PluginAppConfig):
    name = "plugins.finance"
    label = "finance"
    verbose_name = _("Finance")
    #: assembled from the areas' ``routes`` modules (receipts, refunds, settlement, statements,
    #: invoices): the back office's 财务 menu, supplier-portal entries, who may open each page
    dashboard_menu = routes.menu()
    access = routes.access()
    template_slots = routes.slots()
    beat_schedule = routes.beat()
    urls = "plugins.finance.urls"
    dashboard_urls = "plugins.finance.dashboard.urls"
    graphql_query = "plugins.finance.graphql.Query"
    graphql_mutation = "plugins.finance.graphql.Mutation"
    demo_seed = "plugins.finance.demo.seed"
    demo_finish = "plugins.finance.statements.demo.close_month"
    #: the VAT rate inside prices: category tax classes and product overrides (发票 area)
    tax_rate = "plugins.finance.selectors.invoices_tax.provider"

    def ready(self):
        from django.apps import apps

        from core.orders.events import order_cancelled, order_paid, payment_secured
        from plugins.finance import receivers

        payment_secured.connect(receivers.payment_secured, dispatch_uid="finance.payment_secured")
        order_paid.connect(receivers.order_paid, dispatch_uid="finance.order_paid")
        order_cancelled.connect(receivers.order_cancelled, dispatch_uid="finance.order_cancelled")
        from plugins.finance.refunds import receivers as refund_receivers

        order_cancelled.connect(refund_receivers.order_cancelled, dispatch_uid="finance.refunds.order_cancelled")
        from django.db.models.signals import post_save

        from plugins.finance.invoices import receivers as invoice_receivers
        from plugins.finance.models import Refund

        post_save.connect(invoice_receivers.refund_saved, sender=Refund, dispatch_uid="finance.invoices.refund_saved")
        if apps.is_installed("plugins.member_tiers"):
            from plugins.member_tiers.signals import credit_moved

            credit_moved.connect(receivers.credit_moved, dispatch_uid="finance.credit_moved")
