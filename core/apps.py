from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.access import ANONYMOUS, EVERYONE, MEMBERS, OPERATOR, OPERATORS, SALESPERSON, SIGNED_IN, SUPPLIER
from core.plugins import PluginAppConfig, beat_schedule, install_dashboard_menu


class CoreConfig(PluginAppConfig):
    name = "core"
    verbose_name = _("Platform core")
    dashboard_menu = [
        {"label": _("API tokens"), "icon": "fas fa-key", "url_name": "dashboard-api-tokens"},
        {"label": _("Outbox deliveries"), "icon": "fas fa-paper-plane", "url_name": "core-outbox"},
        {"label": _("Sign-in lockouts"), "icon": "fas fa-user-lock", "url_name": "dashboard-lockouts"},
    ]
    #: Oscar's routes, Django's and core's own (plugins declare theirs on their AppConfig);
    #: enforced by core.middleware.AccessMiddleware, see core/urlaccess.py.
    access = {
        # the storefront (Oscar): browsing is open; checkout and the account pages need a sign-in
        # and are not supplier staff's (they land in their portal); every signed-in user keeps
        # their password and their notification inbox (suppliers are notified of new orders)
        "home": EVERYONE,
        "set_language": EVERYONE,
        "catalogue:*": EVERYONE,
        "search:*": EVERYONE,
        "offer:*": EVERYONE,
        "basket:*": EVERYONE,
        "wishlists:*": EVERYONE,  # a shared wish list, found by its key
        "checkout:*": MEMBERS,
        "customer:*": MEMBERS,
        "customer:change-password": SIGNED_IN,
        "customer:notifications-inbox": SIGNED_IN,
        "customer:notifications-archive": SIGNED_IN,
        "customer:notifications-update": SIGNED_IN,
        "customer:notifications-detail": SIGNED_IN,
        "customer:login": EVERYONE,
        "customer:logout": EVERYONE,
        "customer:register": EVERYONE,
        "customer:anon-order": EVERYONE,  # found by number and a signed hash
        "customer:anon-order-form": EVERYONE,
        "customer:alerts-confirm": EVERYONE,  # found by a secret key
        "customer:alerts-cancel-by-key": EVERYONE,
        # Oscar forbids these to a signed-in user; the rule says so, and the answer is the usual one
        "password-reset": (ANONYMOUS,),
        "password-reset-done": (ANONYMOUS,),
        "password-reset-confirm": (ANONYMOUS,),
        "password-reset-complete": (ANONYMOUS,),
        # GraphQL answers for itself (JSON errors; each resolver checks the asker)
        "graphql": EVERYONE,
        # Django's admin and Oscar's whole dashboard (orders, statistics, reports, catalogue,
        # partners, users, offers, vouchers, pages, ranges, reviews, e-mails, shipping): operators.
        "admin:*": OPERATORS,
        "dashboard:*": OPERATORS,
        "dashboard:login": EVERYONE,
        "dashboard:logout": EVERYONE,
        # /dashboard/ sends a supplier or a salesperson to the home page its plugin declares
        "dashboard-home": (OPERATOR, SALESPERSON, SUPPLIER),
        # core's back-office pages
        "dashboard-api-tokens": OPERATORS,
        "dashboard-api-token-revoke": OPERATORS,
        "dashboard-lockouts": OPERATORS,
        "dashboard-lockout-lift": OPERATORS,
        "core-outbox": OPERATORS,
        "core-outbox-detail": OPERATORS,
        "core-outbox-redrive": OPERATORS,
    }
    outbox_deliverers = {"email": "core.outbox.deliverers.Email", "notification": "core.outbox.deliverers.Notification"}
    beat_schedule = {"core-drain-outbox": {"task": "core.tasks.drain_outbox", "schedule": timedelta(minutes=1)}}

    def ready(self):
        from config.celery import app as celery_app
        from core import checks, receivers  # noqa: F401  the access check; the kernel's own listeners

        install_dashboard_menu()
        celery_app.conf.beat_schedule = beat_schedule()
        _display_addresses_the_chinese_way()
        _leave_access_to_the_platform_rules()


def _leave_access_to_the_platform_rules() -> None:
    """Oscar wraps each dashboard view in a decorator built from its app's ``permissions_map``
    (staff, or partner users with ``partner.dashboard_access``, on orders and catalogue pages).
    The platform declares who may open each route once (``access`` on the AppConfigs) and checks
    it in one place (core.middleware.AccessMiddleware), so Oscar's second, different opinion is
    switched off before the URL patterns are built."""
    from django.apps import apps
    from oscar.core.application import OscarDashboardConfig

    for config in apps.get_app_configs():
        if isinstance(config, OscarDashboardConfig):
            config.permissions_map = {}
            config.default_permissions = None


def _display_addresses_the_chinese_way() -> None:
    """Show addresses from province down to street, then company and consignee.

    Oscar joins `base_fields` to display an address; the hashing fields that de-duplicate
    addresses (`hash_fields`) are left as Oscar defines them.
    """
    from oscar.core.loading import get_model

    order = ["state", "line4", "line3", "line1", "line2", "salutation", "postcode"]
    for app_label, model_name in (
        ("address", "UserAddress"),
        ("order", "ShippingAddress"),
        ("order", "BillingAddress"),
        ("partner", "PartnerAddress"),
    ):
        get_model(app_label, model_name).base_fields = order
