from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig


class StorefrontConfig(PluginAppConfig):
    name = "storefront"
    verbose_name = _("Storefront")
    graphql_query = "storefront.graphql.schema.Query"
    graphql_mutation = "storefront.graphql.schema.Mutation"
