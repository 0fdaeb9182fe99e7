from django.utils.translation import gettext_lazy as _

from core.plugins import PluginAppConfig


def _operator(user, *args):
    return user.is_staff


def _admin(user, *args):
    return user.is_staff and user.is_superuser


class MemberTiersConfig(PluginAppConfig):
    name = "plugins.member_tiers"
    label = "member_tiers"
    verbose_name = _("Member tiers")
    dashboard_menu = [
        {
            "label": _("Members"),
            "icon": "fas fa-id-card",
            "children": [
                {"label": _("Member list"), "url_name": "member_tiers:member-list", "access_fn": _operator},
                {"label": _("Member tiers"), "url_name": "member_tiers:tier-list", "access_fn": _admin},
                {"label": _("Price rules"), "url_name": "member_tiers:rule-list", "access_fn": _admin},
                {"label": _("Import price rules"), "url_name": "member_tiers:rule-import", "access_fn": _admin},
                {"label": _("Price explanation"), "url_name": "member_tiers:price-explain", "access_fn": _operator},
                {"label": _("Reassign salesperson"), "url_name": "member_tiers:reassign", "access_fn": _admin},
            ],
        }
    ]
    graphql_query = "plugins.member_tiers.graphql.schema.Query"
    graphql_mutation = "plugins.member_tiers.graphql.schema.Mutation"
    urls = "plugins.member_tiers.urls"
    dashboard_urls = "plugins.member_tiers.dashboard.urls"
    demo_seed = "plugins.member_tiers.demo.seed"

    #: Nightly jobs (times in CELERY_TIMEZONE, Asia/Shanghai).
    beat_schedule = {
        "member-tiers-requalify": {"task": "plugins.member_tiers.tasks.requalify_tiers", "hour": 2, "minute": 0},
        "member-tiers-facts": {"task": "plugins.member_tiers.tasks.recompute_member_facts", "hour": 2, "minute": 30},
        "member-tiers-expire-points": {"task": "plugins.member_tiers.tasks.expire_points", "hour": 3, "minute": 0},
    }

    def ready(self):
        from oscar.apps.order.signals import order_placed

        from core.orders.events import order_cancelled, order_paid
        from plugins.member_tiers import receivers, rule_index

        rule_index.connect()  # keep the compiled price-rule indexes fresh

        order_placed.connect(receivers.order_placed, dispatch_uid="member_tiers.order_placed")
        order_paid.connect(receivers.order_paid, dispatch_uid="member_tiers.order_paid")
        order_cancelled.connect(receivers.order_cancelled, dispatch_uid="member_tiers.order_cancelled")
