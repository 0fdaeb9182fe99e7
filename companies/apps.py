from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from core.access import DISTRIBUTOR, EVERYONE, OPERATORS, SIGNED_IN
from core.plugins import PluginAppConfig

#: the storefront's company pages are the buyers' (staff and supplier staff belong to no company)
BUYERS = (DISTRIBUTOR,)


class CompaniesConfig(PluginAppConfig):
    """Companies are part of the platform (every plugin may depend on them), declared like a
    plugin: menus, URLs, access, GraphQL and demo data."""

    name = "companies"
    label = "companies"
    verbose_name = _("Companies")
    dashboard_menu = [
        {
            "label": _("Companies"),
            "icon": "fas fa-building",
            "children": [
                {"label": _("Company list"), "url_name": "companies-dashboard:company-list"},
                {"label": _("Verification queue"), "url_name": "companies-dashboard:verification-queue"},
                {"label": _("Customer import"), "url_name": "companies-dashboard:import-upload"},
                {"label": _("Import batches"), "url_name": "companies-dashboard:import-list"},
            ],
        }
    ]
    #: The storefront's 企业中心 is the buyers' (each sees their own company; managing people is
    #: checked per company and role by the views); a licence is downloaded by operators and the
    #: company's admins (a 404 for anyone else); the back office is the operators'.
    access = {
        "companies:register": BUYERS,
        "companies:signup": EVERYONE,  # a new user's account and company; signed in: sent to register
        "companies:mine": BUYERS,
        "companies:member-add": BUYERS,
        "companies:member-action": BUYERS,
        "companies:invite": BUYERS,
        "companies:invitation-action": BUYERS,
        # an invitation's link: the token is the key; a visitor signs up on it, anyone else is told
        # whether they may join (buyers only)
        "companies:invitation": EVERYONE,
        "companies:addresses": BUYERS,
        "companies:address-edit": BUYERS,
        "companies:address-delete": BUYERS,
        "companies:licence": SIGNED_IN,
        # purchase approval: each page scopes to the asker's company and role (selectors, services)
        "companies:approvals": BUYERS,
        "companies:approval-detail": BUYERS,
        "companies:approval-submitted": BUYERS,
        "companies:approval-link": BUYERS,  # anonymous: sent to the login page, then back here
        "companies:approval-rules": BUYERS,
        "companies:approval-rule-edit": BUYERS,
        "companies-dashboard:company-list": OPERATORS,
        "companies-dashboard:verification-queue": OPERATORS,
        "companies-dashboard:company-detail": OPERATORS,
        "companies-dashboard:import-list": OPERATORS,
        "companies-dashboard:import-upload": OPERATORS,
        "companies-dashboard:import-template": OPERATORS,
        "companies-dashboard:import-detail": OPERATORS,
    }
    urls = "companies.urls"
    dashboard_urls = "companies.dashboard.urls"
    graphql_query = "companies.graphql.queries.Query"
    graphql_mutation = "companies.graphql.mutations.Mutation"
    demo_seed = "companies.demo.seed"
    template_slots = {
        "customer.account.tabs": ["companies/slots/account_tab.html"],
    }
    beat_schedule = {
        "companies-expire-approval-requests": {
            "task": "companies.tasks.expire_approval_requests",
            "schedule": timedelta(minutes=10),
        },
    }

    def ready(self):
        super().ready()
        from companies import receivers  # noqa: F401  a deactivated admin's invitations
        from companies.approvals.services import on_member_deactivated
        from companies.signals import member_deactivated

        member_deactivated.connect(on_member_deactivated, dispatch_uid="companies.approvals.member_deactivated")
