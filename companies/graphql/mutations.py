"""companies GraphQL mutations: a company's admin manages its people (add an existing buyer by
e-mail, change a role, deactivate, reactivate). Anyone else: ``forbidden``; a person of another
company: ``not_found`` on ``memberId``."""

import graphene
from django.utils.translation import gettext as _

from companies import selectors
from companies.graphql.approvals import ApprovalMutation
from companies.graphql.types import CompanyMemberType
from companies.services import people
from core.access import DISTRIBUTOR
from core.graphql.errors import FieldError
from core.graphql.mutations import PlatformMutation, lookup


def _is_company_admin(user) -> bool:
    membership = selectors.membership_of(user)
    return membership is not None and selectors.can(user, "manage_people", membership.company)


class CompanyMemberPayload(graphene.ObjectType):
    member = graphene.Field(CompanyMemberType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class PeopleMutation(PlatformMutation):
    class Meta:
        abstract = True

    allowed = (DISTRIBUTOR,)
    Output = CompanyMemberPayload

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return _is_company_admin(user)

    @classmethod
    def member(cls, user, member_id):
        return lookup(selectors.own_members(user), "member_id", _("No such person in your company."), pk=member_id)


class AddMember(PeopleMutation):
    class Arguments:
        email = graphene.String(required=True)
        role = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, email, role):
        person = people.find_user(email)
        member = people.add_member(company=selectors.company_of(user), user=person, role=role, by=user)
        return cls.success(member=member)


class ChangeRole(PeopleMutation):
    class Arguments:
        member_id = graphene.ID(required=True)
        role = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, member_id, role):
        member = people.change_role(member=cls.member(user, member_id), role=role, by=user)
        return cls.success(member=member)


class Deactivate(PeopleMutation):
    error_fields = {"member": "member_id"}

    class Arguments:
        member_id = graphene.ID(required=True)
        reason = graphene.String()

    @classmethod
    def perform(cls, info, user, *, member_id, reason=""):
        member = people.deactivate(member=cls.member(user, member_id), by=user, reason=reason or "")
        return cls.success(member=member)


class Reactivate(PeopleMutation):
    class Arguments:
        member_id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, user, *, member_id):
        member = people.reactivate(member=cls.member(user, member_id), by=user)
        return cls.success(member=member)


class Mutation(ApprovalMutation, graphene.ObjectType):
    company_member_add = AddMember.Field()
    company_member_change_role = ChangeRole.Field()
    company_member_deactivate = Deactivate.Field()
    company_member_reactivate = Reactivate.Field()
