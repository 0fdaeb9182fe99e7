"""Platform plugins (member_tiers, s2b2b_orders, logistics, contracts, finance, bigdata).

Each plugin is a Django app whose AppConfig subclasses core.plugins.PluginAppConfig, so
it can declare its dashboard menu entries and GraphQL parts without editing config/.
"""
