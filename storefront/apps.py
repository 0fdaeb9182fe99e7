from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, SIGNED_IN
from core.plugins import PluginAppConfig


class StorefrontConfig(PluginAppConfig):
    name = "storefront"
    verbose_name = _("Storefront")
    #: Who may open each page (core.urlaccess); a user's tokens are found under that user only.
    access = {
        "storefront:quick-order": SIGNED_IN,
        "storefront:api-tokens": SIGNED_IN,
        "storefront:api-token-revoke": SIGNED_IN,
        "storefront:order-export": (DISTRIBUTOR,),
        # the buyer cancels their own order before a supplier accepted it (scoped by orders_of)
        "storefront:order-cancel": (DISTRIBUTOR,),
    }
    graphql_query = "storefront.graphql.queries.Query"
    graphql_mutation = "storefront.graphql.mutations.Mutation"

    def ready(self):
        _label_statuses_in_the_dashboard_order_search()
        from storefront import receivers  # noqa: F401  a deactivated person's baskets


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
