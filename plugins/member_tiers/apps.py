from django.utils.translation import gettext_lazy as _

from core.access import BACK_OFFICE, MEMBERS, OPERATORS, SALESPERSON
from core.plugins import PluginAppConfig


class MemberTiersConfig(PluginAppConfig):
    name = "plugins.member_tiers"
    label = "member_tiers"
    verbose_name = _("Member tiers")
    #: Entries show to whoever may open their page (the access rules below).
    dashboard_menu = [
        {
            "label": _("Members"),
            "icon": "fas fa-id-card",
            "children": [
                {"label": _("Member list"), "url_name": "member_tiers:member-list"},
                {"label": _("Member tiers"), "url_name": "member_tiers:tier-list"},
                {"label": _("Price rules"), "url_name": "member_tiers:rule-list"},
                {"label": _("Import price rules"), "url_name": "member_tiers:rule-import"},
                {"label": _("Price floor"), "url_name": "member_tiers:pricing-policy"},
                {"label": _("Price explanation"), "url_name": "member_tiers:price-explain"},
                {"label": _("Reassign salesperson"), "url_name": "member_tiers:reassign"},
            ],
        }
    ]
    #: Who may open each page (core.urlaccess). A salesperson opens the member pages, which show
    #: only the customers they own (selectors); tiers, price rules and ownership are the operators'.
    access = {
        "member_tiers:member-list": BACK_OFFICE,
        "member_tiers:member-detail": BACK_OFFICE,
        "member_tiers:member-action": BACK_OFFICE,  # per action: MemberActionView.action_parties
        "member_tiers:price-explain": BACK_OFFICE,
        "member_tiers:tier-list": OPERATORS,
        "member_tiers:tier-create": OPERATORS,
        "member_tiers:tier-edit": OPERATORS,
        "member_tiers:rule-list": OPERATORS,
        "member_tiers:rule-create": OPERATORS,
        "member_tiers:rule-edit": OPERATORS,
        "member_tiers:rule-delete": OPERATORS,
        "member_tiers:rule-import": OPERATORS,
        "member_tiers:rule-import-status": OPERATORS,
        "member_tiers:pricing-policy": OPERATORS,
        "member_tiers:reassign": OPERATORS,
        "membership:mine": MEMBERS,
        "membership:redeem-points": MEMBERS,
    }
    dashboard_home = {SALESPERSON: "member_tiers:member-list"}
    graphql_query = "plugins.member_tiers.graphql.queries.Query"
    graphql_mutation = "plugins.member_tiers.graphql.mutations.Mutation"
    urls = "plugins.member_tiers.urls"
    dashboard_urls = "plugins.member_tiers.dashboard.urls"
    demo_seed = "plugins.member_tiers.demo.seed"
    price_provider = "plugins.member_tiers.hooks.pricing"
    template_slots = {
        "catalogue.price": ["member_tiers/slots/price_note.html"],
        "checkout.payment_details.methods": ["member_tiers/slots/on_account_terms.html"],
        "checkout.preview.payment": ["member_tiers/slots/points_redeem.html"],
        "customer.account.tabs": ["member_tiers/slots/account_tab.html"],
        "companies.company_detail.sections": ["member_tiers/slots/company_membership.html"],
        # item 8's filters by tier, salesperson and grade live on the member list (it lists companies)
        "companies.company_list.links": ["member_tiers/slots/company_list_links.html"],
    }
    checkout_payments = "plugins.member_tiers.services.checkout"
    payment_methods = ["plugins.member_tiers.hooks.ON_ACCOUNT_METHOD"]

    #: Nightly jobs (times in CELERY_TIMEZONE, Asia/Shanghai).
    beat_schedule = {
        "member-tiers-requalify": {"task": "plugins.member_tiers.tasks.requalify_tiers", "hour": 2, "minute": 0},
        "member-tiers-facts": {"task": "plugins.member_tiers.tasks.recompute_member_facts", "hour": 2, "minute": 30},
        "member-tiers-expire-points": {"task": "plugins.member_tiers.tasks.expire_points", "hour": 3, "minute": 0},
    }

    def ready(self):
        from oscar.apps.order.signals import order_placed

        from companies.signals import company_imported
        from core.orders.events import order_cancelled, order_paid
        from plugins.member_tiers import receivers, rule_index

        rule_index.connect()  # keep the compiled price-rule indexes fresh

        order_placed.connect(receivers.order_placed, dispatch_uid="member_tiers.order_placed")
        order_paid.connect(receivers.order_paid, dispatch_uid="member_tiers.order_paid")
        order_cancelled.connect(receivers.order_cancelled, dispatch_uid="member_tiers.order_cancelled")
        company_imported.connect(receivers.company_imported, dispatch_uid="member_tiers.company_imported")
