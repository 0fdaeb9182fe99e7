from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, MEMBERS, OPERATORS
from core.plugins import PluginAppConfig


class StorefrontConfig(PluginAppConfig):
    name = "storefront"
    verbose_name = _("Storefront")
    #: Who may open each page (core.urlaccess); a user's tokens are found under that user only
    #: (supplier staff keep theirs in the portal: core's dashboard-my-api-tokens).
    access = {
        "storefront:quick-order": MEMBERS,
        "storefront:api-tokens": MEMBERS,
        "storefront:api-token-revoke": MEMBERS,
        "storefront:order-export": (DISTRIBUTOR,),
        # product search's synonym groups are kept by operators
        "storefront-dashboard:synonym-list": OPERATORS,
        "storefront-dashboard:synonym-edit": OPERATORS,
        "storefront-dashboard:synonym-delete": OPERATORS,
        # the buyer cancels their own order before a supplier accepted it (scoped by orders_of)
        "storefront:order-cancel": (DISTRIBUTOR,),
    }
    dashboard_urls = "storefront.search.dashboard.urls"
    dashboard_menu = [
        {
            "label": _("Search synonyms"),
            "icon": "fas fa-search",
            "url_name": "storefront-dashboard:synonym-list",
        }
    ]
    graphql_query = "storefront.graphql.queries.Query"
    graphql_mutation = "storefront.graphql.mutations.Mutation"

    def ready(self):
        _label_statuses_in_the_dashboard_order_search()
        from storefront import receivers  # noqa: F401  a deactivated person's baskets
        from storefront.search import receivers as search_receivers

        search_receivers.connect()


def _label_statuses_in_the_dashboard_order_search() -> None:
    """Oscar's order search offers the raw status keys; offer their labels (evaluated per form,
    so in the operator's language)."""
    from oscar.core.loading import get_class, get_model

    from core.orders.status import status_label

    Order = get_model("order", "Order")
    OrderSearchForm = get_class("dashboard.orders.forms", "OrderSearchForm")
    OrderSearchForm.base_fields["status"].choices = lambda: (
        [("", "---------")] + [(status, status_label(status)) for status in Order.all_statuses()]
    )
