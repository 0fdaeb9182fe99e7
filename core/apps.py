from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig, beat_schedule, install_dashboard_menu


def _operator(user, *args) -> bool:
    from core.access import is_operator

    return is_operator(user)


class CoreConfig(PluginAppConfig):
    name = "core"
    verbose_name = _("Platform core")
    dashboard_menu = [
        {
            "label": _("API tokens"),
            "icon": "fas fa-key",
            "url_name": "dashboard-api-tokens",
            "access_fn": lambda user, *args: user.is_staff,
        },
        {
            "label": _("Outbox deliveries"),
            "icon": "fas fa-paper-plane",
            "url_name": "core-outbox",
            "access_fn": _operator,
        },
    ]
    access = {"core-outbox": ("operator",), "core-outbox-detail": ("operator",), "core-outbox-redrive": ("operator",)}
    outbox_deliverers = {"email": "core.outbox.deliverers.Email", "notification": "core.outbox.deliverers.Notification"}
    beat_schedule = {"core-drain-outbox": {"task": "core.tasks.drain_outbox", "schedule": timedelta(minutes=1)}}

    def ready(self):
        from config.celery import app as celery_app
        from core import receivers  # noqa: F401  the kernel's own listeners

        install_dashboard_menu()
        celery_app.conf.beat_schedule = beat_schedule()
        _display_addresses_the_chinese_way()


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
