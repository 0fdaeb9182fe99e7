from datetime import timedelta

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig
from plugins.bigdata import routes


class BigdataConfig(PluginAppConfig):
    """Sales facts, their monthly rollup and the analytics backends (issue 12). Works with any of
    member_tiers (tier, salesperson), s2b2b_orders (supplier cost, re-routing) and finance
    (refunds) installed or not: it reads them through their selectors only when they are."""

    name = "plugins.bigdata"
    label = "bigdata"
    verbose_name = _("Analytics")
    demo_seed = "plugins.bigdata.demo.seed"
    #: the analytics screens (数据分析), assembled from the areas' ``routes`` modules
    dashboard_menu = routes.menu()
    access = routes.access()
    dashboard_urls = "plugins.bigdata.dashboard.urls"
    graphql_query = "plugins.bigdata.graphql.Query"
    beat_schedule = {
        "bigdata-drain-fact-queue": {
            "task": "plugins.bigdata.tasks.drain_fact_queue",
            "schedule": timedelta(minutes=1),
        },
        # the Elasticsearch index's outbox (services.search_index), only when a cluster is set
        **(
            {"bigdata-index-facts": {"task": "plugins.bigdata.tasks.index_facts", "schedule": timedelta(minutes=1)}}
            if settings.ELASTICSEARCH_URL
            else {}
        ),
        **routes.beat(),
    }

    def ready(self):
        from core.orders.events import order_cancelled, order_paid, payment_secured
        from core.statemachine import state_changed
        from plugins.bigdata import receivers

        payment_secured.connect(receivers.on_order_event, dispatch_uid="bigdata.payment_secured")
        order_paid.connect(receivers.on_order_event, dispatch_uid="bigdata.order_paid")
        order_cancelled.connect(receivers.on_order_event, dispatch_uid="bigdata.order_cancelled")
        state_changed.connect(receivers.on_state_changed, dispatch_uid="bigdata.state_changed")
