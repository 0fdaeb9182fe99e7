"""Plugin registry.

A plugin app declares what it adds to the platform on its AppConfig; the platform
collects those declarations from the installed apps, so adding a plugin never means
editing config/:

    class MemberTiersConfig(PluginAppConfig):
        name = "plugins.member_tiers"
        dashboard_menu = [{"label": _("Members"), "icon": "fas fa-id-card", "children": [...]}]
        graphql_query = "plugins.member_tiers.graphql.queries.Query"
        graphql_mutation = "plugins.member_tiers.graphql.mutations.Mutation"
        graphql_types = ["plugins.member_tiers.graphql.types.TierRulePrice"]
        demo_seed = "plugins.member_tiers.demo.seed"
        outbox_deliverers = {"webhook": "plugins.s2b2b_orders.services.outbox.SupplierWebhook"}

A plugin keeps the Chinese of its own strings in ``<plugin>/zh_hans_terms.py`` (a ``ZH_HANS``
dict like locale/zh_hans_terms.py); bin/translations reads them all.
"""

from collections.abc import Iterable
from importlib import import_module

from django.apps import AppConfig, apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string


class PluginAppConfig(AppConfig):
    #: Entries in Oscar's OSCAR_DASHBOARD_NAVIGATION format, appended to the back-office menu.
    dashboard_menu: list[dict] = []
    #: Dotted paths of graphene ObjectTypes whose fields are merged into the root Query/Mutation.
    graphql_query: str | None = None
    graphql_mutation: str | None = None
    #: Extra graphene types the schema must know (e.g. interface implementations).
    graphql_types: list[str] = []
    #: Dotted paths of URL modules: ``urls`` is included at the site root (storefront pages),
    #: ``dashboard_urls`` under /dashboard/ (back office and supplier portal pages).
    urls: str | None = None
    dashboard_urls: str | None = None
    #: Dotted path of ``seed(report, *, now, seed)`` run by ``manage.py seed_demo`` after the core
    #: demo data (suppliers, catalogue, distributors, order history) exists. Must be idempotent;
    #: it may append (role, email, password) to ``report.logins`` and lines to ``report.notes``.
    demo_seed: str | None = None
    #: Dotted path of ``finish(report, *, now)`` run after every plugin's ``demo_seed``: for steps
    #: that must see the whole demo, such as closing a month (nothing may be posted into it after).
    demo_finish: str | None = None
    #: Periodic jobs: name → {"task": dotted task name, "schedule": timedelta | crontab}, or
    #: {"task": …, "hour": h, "minute": m} for a daily job (Asia/Shanghai). Collected into
    #: Celery's beat schedule at start-up (``beat_schedule()``); settings are never edited.
    beat_schedule: dict[str, dict] = {}
    #: Who may reach each URL name the plugin adds: url name → parties (``core.access``), e.g.
    #: {"s2b2b-portal-orders": (SUPPLIER,)}; a namespaced name as Django resolves it
    #: ("logistics-dashboard:template-list"), or "<namespace>:*" for every route of a namespace.
    #: Enforced for every request by core.middleware.AccessMiddleware (core.urlaccess) and used
    #: for the menus; under /dashboard/ a route without a rule is for operators only.
    access: dict[str, tuple[str, ...]] = {}
    #: Where /dashboard/ sends a party that is not an operator: party → url name, e.g.
    #: {SUPPLIER: "s2b2b-portal-orders"}. A party with no home is refused the dashboard.
    dashboard_home: dict[str, str] = {}
    #: Sections the plugin adds to shared pages: slot name → template names, rendered by
    #: ``{% slot "<name>" %}`` (core.templatetags.slots) with the page's context. The slots the
    #: shared templates declare are listed in core/templatetags/slots.py.
    template_slots: dict[str, list[str]] = {}
    #: Outbox channels the plugin delivers: channel → dotted path of a ``core.outbox.Deliverer``
    #: (class or instance) or of a function ``fn(message) -> Outcome``, e.g.
    #: {"webhook": "plugins.s2b2b_orders.services.outbox.SupplierWebhook"} (core.outbox.registry).
    outbox_deliverers: dict[str, str] = {}

    # -- kernel hooks --------------------------------------------------------------------------
    # What the platform asks a plugin instead of importing it. Each is the dotted path of an
    # object implementing the protocol in the named kernel module; at most one installed plugin
    # provides each, and without one the kernel's plain fallback applies, so removing the plugin
    # removes the behaviour and nothing else.

    #: Prices for a signed-in buyer (core.pricing.PriceProvider). Fallback: list prices.
    price_provider: str | None = None
    #: Freight of a basket and of a placed order (core.freight.FreightProvider). Fallback: free shipping.
    freight_provider: str | None = None
    #: Recording and reading suppliers' shipments (core.shipments.ShipmentProvider). Fallback:
    #: a shipment is its carrier and tracking numbers in the supplier order's audit trail.
    shipment_provider: str | None = None
    #: The payment sources of an order at checkout (storefront.payments.CheckoutPayments), e.g.
    #: points and credit. Fallback: one source for the chosen method, nothing reserved.
    checkout_payments: str | None = None
    #: Why a company's negotiated terms (its credit line and its tier) do not apply yet, or None
    #: (``fn(company) -> str | None``), e.g. "an effective framework agreement is required" from
    #: contracts. Fallback: they always apply.
    terms_gate: str | None = None
    #: The VAT rate included in products' prices (core.pricing.TaxProvider: ``tax_rates()`` loaded
    #: once per strategy, answering many products at once), e.g. finance's category and product
    #: tax classes. Fallback: no tax (the whole price is shown as the price, tax ¥0).
    tax_rate: str | None = None
    #: Further ways to pay (dotted paths of storefront.payments.PaymentMethod objects) offered
    #: beside the platform's bank transfer.
    payment_methods: list[str] = []


def plugin_configs(app_configs: Iterable[AppConfig] | None = None) -> list[PluginAppConfig]:
    configs = apps.get_app_configs() if app_configs is None else app_configs
    return [c for c in configs if isinstance(c, PluginAppConfig)]


def dashboard_menu_entries(app_configs: Iterable[AppConfig] | None = None) -> list[dict]:
    return [entry for config in plugin_configs(app_configs) for entry in config.dashboard_menu]


def install_dashboard_menu(app_configs: Iterable[AppConfig] | None = None) -> None:
    """Append the plugins' entries to Oscar's navigation once (Oscar reads it on every request)."""
    navigation = settings.OSCAR_DASHBOARD_NAVIGATION
    for entry in dashboard_menu_entries(app_configs):
        if entry not in navigation:
            navigation.append(entry)


def graphql_roots(kind: str, app_configs: Iterable[AppConfig] | None = None) -> list[type]:
    """The Query (kind="query") or Mutation (kind="mutation") classes the plugins declare."""
    attribute = {"query": "graphql_query", "mutation": "graphql_mutation"}[kind]
    paths = [getattr(c, attribute) for c in plugin_configs(app_configs)]
    return [import_string(path) for path in paths if path]


def graphql_types(app_configs: Iterable[AppConfig] | None = None) -> list[type]:
    return [import_string(path) for c in plugin_configs(app_configs) for path in c.graphql_types]


def demo_seeders(app_configs: Iterable[AppConfig] | None = None) -> list:
    return [import_string(c.demo_seed) for c in plugin_configs(app_configs) if c.demo_seed]


def demo_finishers(app_configs: Iterable[AppConfig] | None = None) -> list:
    return [import_string(c.demo_finish) for c in plugin_configs(app_configs) if c.demo_finish]


def url_modules(kind: str, app_configs: Iterable[AppConfig] | None = None) -> list[str]:
    """The URL modules (kind="urls" or "dashboard_urls") the plugins declare, in app order."""
    return [getattr(c, kind) for c in plugin_configs(app_configs) if getattr(c, kind)]


def beat_schedule(app_configs: Iterable[AppConfig] | None = None) -> dict[str, dict]:
    """Celery beat entries of every plugin, in Celery's format."""
    from celery.schedules import crontab

    schedule = {}
    for config in plugin_configs(app_configs):
        for name, job in config.beat_schedule.items():
            entry = {"task": job["task"]}
            if "schedule" in job:
                entry["schedule"] = job["schedule"]
            else:
                entry["schedule"] = crontab(hour=job["hour"], minute=job.get("minute", 0))
            for key in ("args", "kwargs", "options"):
                if key in job:
                    entry[key] = job[key]
            schedule[name] = entry
    return schedule


def access_rules(app_configs: Iterable[AppConfig] | None = None) -> dict[str, tuple[str, ...]]:
    """url name → parties, from every plugin (a later plugin may not redefine a name)."""
    rules: dict[str, tuple[str, ...]] = {}
    for config in plugin_configs(app_configs):
        for name, parties in config.access.items():
            if name in rules and rules[name] != tuple(parties):
                raise ValueError(f"access for URL name {name!r} declared twice with different parties")
            rules[name] = tuple(parties)
    return rules


def dashboard_homes(app_configs: Iterable[AppConfig] | None = None) -> dict[str, str]:
    """party → url name of its dashboard home page (the first plugin declaring one wins)."""
    homes: dict[str, str] = {}
    for config in plugin_configs(app_configs):
        for party, url_name in config.dashboard_home.items():
            homes.setdefault(party, url_name)
    return homes


def slot_templates(slot: str, app_configs: Iterable[AppConfig] | None = None) -> list[str]:
    return [t for c in plugin_configs(app_configs) for t in c.template_slots.get(slot, [])]


def provider(hook: str, app_configs: Iterable[AppConfig] | None = None):
    """The object the one plugin providing ``hook`` (e.g. "price_provider") names, or None.

    Two installed plugins providing the same hook is a configuration error, not a silent choice.
    """
    declared = [(c.name, getattr(c, hook)) for c in plugin_configs(app_configs) if getattr(c, hook, None)]
    if not declared:
        return None
    if len(declared) > 1:
        names = ", ".join(name for name, _path in declared)
        raise ImproperlyConfigured(f"{hook} is provided by more than one plugin ({names}); install one of them")
    return _object_or_module(declared[0][1])


def _object_or_module(path: str):
    """What a dotted path names: an object of a module, or a module itself (a hook such as
    "plugins.member_tiers.services.checkout" names a module, which ``import_string`` finds only
    once something else imported it)."""
    try:
        return import_string(path)
    except ImportError:
        return import_module(path)


def provided_objects(hook: str, app_configs: Iterable[AppConfig] | None = None) -> list:
    """Every object the plugins list under ``hook`` (e.g. "payment_methods"), in app order."""
    return [import_string(path) for c in plugin_configs(app_configs) for path in getattr(c, hook, ())]


def outbox_deliverers(app_configs: Iterable[AppConfig] | None = None) -> dict[str, str]:
    """channel → dotted path of its deliverer, from every plugin (a channel is declared once)."""
    found: dict[str, str] = {}
    for config in plugin_configs(app_configs):
        for channel, path in config.outbox_deliverers.items():
            if channel in found and found[channel] != path:
                raise ValueError(f"outbox channel {channel!r} declared twice ({found[channel]} and {path})")
            found[channel] = path
    return found
