"""companies GraphQL queries: the asking buyer's company; the operators' list of companies."""

import graphene
from django.db.models import Prefetch

from companies import selectors
from companies.graphql.approvals import ApprovalQuery
from companies.graphql.types import CompanyAddressType, CompanyInvitationPage, CompanyPage, CompanyType
from companies.models import Company, CompanyMember
from core.access import DISTRIBUTOR, OPERATOR
from core.graphql.access import requires
from core.graphql.pagination import page


def _is_company_admin(user) -> bool:
    membership = selectors.membership_of(user)
    return membership is not None and selectors.can(user, "manage_people", membership.company)


def _with_people(qs):
    return qs.prefetch_related(Prefetch("members", queryset=CompanyMember.objects.select_related("user")))


class Query(ApprovalQuery, graphene.ObjectType):
    my_company = graphene.Field(
        CompanyType, description="The asking buyer's company (null without one); its people if the asker is its admin."
    )
    company_invitations = graphene.Field(
        CompanyInvitationPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        pending_only=graphene.Boolean(default_value=True),
        description="The invitations of the asker's company (its admins only), newest first; "
        "pendingOnly (default) lists those waiting, expired ones included.",
    )
    company_addresses = graphene.List(
        graphene.NonNull(CompanyAddressType),
        required=True,
        description="The shared delivery addresses of the asker's company (any active member); "
        "empty without a company.",
    )
    companies = graphene.Field(
        CompanyPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        status=graphene.String(),
        province=graphene.String(),
        search=graphene.String(description="legal name, unified social credit code or customer code"),
    )

    @requires(DISTRIBUTOR)
    def resolve_my_company(root, info):
        company = selectors.company_of(info.context.user)
        if company is None:
            return None
        return _with_people(Company.objects.filter(pk=company.pk)).first()

    @requires(predicate=_is_company_admin)
    def resolve_company_invitations(root, info, first, offset, pending_only=True):
        user = info.context.user
        qs = selectors.pending_invitations(user) if pending_only else selectors.own_invitations(user)
        items, total = page(qs, first, offset)
        return CompanyInvitationPage(items=items, total_count=total)

    @requires(DISTRIBUTOR)
    def resolve_company_addresses(root, info):
        return list(selectors.company_addresses(info.context.user))

    @requires(OPERATOR)
    def resolve_companies(root, info, first, offset, status=None, province=None, search=None):
        qs = selectors.companies_for_operator(status=status or "", province=province or "", search=search or "")
        items, total = page(_with_people(qs), first, offset)
        return CompanyPage(items=items, total_count=total)
