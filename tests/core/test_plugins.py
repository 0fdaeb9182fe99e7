"""The plugin registry: an app declares menu entries and GraphQL parts on its AppConfig."""

import types

import graphene
import pytest
from django.conf import settings
from django.urls import reverse

from config.schema import schema
from core.plugins import (
    PluginAppConfig,
    dashboard_menu_entries,
    demo_seeders,
    graphql_roots,
    install_dashboard_menu,
    url_modules,
)
from tests import factories


class SampleQuery(graphene.ObjectType):
    sample_plugin_ping = graphene.String()

    def resolve_sample_plugin_ping(root, info):
        return "pong"


def make_plugin(**attrs):
    module = types.ModuleType("sample_plugin")
    module.__file__ = __file__
    config_class = type("SamplePluginConfig", (PluginAppConfig,), {"path": "/tmp", **attrs})
    return config_class("sample_plugin", module)


def test_plugins_contribute_menu_entries_and_graphql_roots():
    entry = {"label": "样例", "url_name": "dashboard:index"}
    plugin = make_plugin(dashboard_menu=[entry], graphql_query=f"{__name__}.SampleQuery")
    assert dashboard_menu_entries([plugin]) == [entry]
    assert graphql_roots("query", [plugin]) == [SampleQuery]
    assert graphql_roots("mutation", [plugin]) == []


def test_plugins_contribute_url_modules():
    plugin = make_plugin(urls="sample_plugin.urls", dashboard_urls="sample_plugin.dashboard.urls")
    assert url_modules("urls", [plugin, make_plugin()]) == ["sample_plugin.urls"]
    assert url_modules("dashboard_urls", [plugin]) == ["sample_plugin.dashboard.urls"]


def sample_seed(report, *, now, seed):
    report.notes.append(f"sample plugin seeded with {seed}")


def test_plugins_contribute_demo_data_seeders():
    plugin = make_plugin(demo_seed=f"{__name__}.sample_seed")
    assert demo_seeders([plugin]) == [sample_seed]
    assert demo_seeders([make_plugin()]) == []


def test_installing_the_menu_twice_adds_each_entry_once(settings):
    settings.OSCAR_DASHBOARD_NAVIGATION = list(settings.OSCAR_DASHBOARD_NAVIGATION)
    plugin = make_plugin(dashboard_menu=[{"label": "样例", "url_name": "dashboard:index"}])
    install_dashboard_menu([plugin])
    install_dashboard_menu([plugin])
    assert [e["label"] for e in settings.OSCAR_DASHBOARD_NAVIGATION].count("样例") == 1


def test_the_root_schema_is_assembled_from_the_installed_apps():
    fields = schema.graphql_schema.query_type.fields
    assert {"products", "categories", "basket", "myOrders", "order", "viewer"} <= set(fields)
    assert {"basketAddLine", "basketSetLineQuantity", "basketRemoveLine"} <= set(
        schema.graphql_schema.mutation_type.fields
    )


def test_core_menu_entry_shows_for_operators_only(db, client):
    labels = [str(e["label"]) for e in settings.OSCAR_DASHBOARD_NAVIGATION]
    assert "API 令牌" in labels or "API tokens" in labels

    client.force_login(factories.operator())
    body = client.get(reverse("dashboard:index")).content.decode()
    assert reverse("dashboard-api-tokens") in body

    partner = factories.supplier("jg")
    client.force_login(factories.supplier_staff(partner))
    response = client.get(reverse("dashboard:index"), follow=True)  # a supplier's home is its portal
    assert response.status_code == 200
    assert reverse("dashboard-api-tokens") not in response.content.decode()


@pytest.mark.django_db
def test_the_dashboard_is_in_chinese(client):
    client.force_login(factories.operator())
    body = client.get(reverse("dashboard:index")).content.decode()
    assert "控制面板" in body and "订单" in body


def test_no_two_graphql_types_of_the_plugins_share_a_name():
    """graphene keeps one of two same-named types silently; queries on the other then fail."""
    import config.schema  # noqa: F401  imports every plugin's types

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [
        t
        for base in (graphene.ObjectType, graphene.InputObjectType, graphene.Enum, graphene.Interface)
        for t in subclasses(base)
        if t.__module__.split(".")[0] in ("core", "storefront", "plugins", "config") and hasattr(t, "_meta")
    ]
    names = {}
    for t in ours:
        names.setdefault(t._meta.name, set()).add(f"{t.__module__}.{t.__qualname__}")
    roots = ("Query", "Mutation")  # each plugin's roots are merged into one on purpose
    assert {name: where for name, where in names.items() if len(where) > 1 and name not in roots} == {}
