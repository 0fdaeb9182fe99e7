"""companies GraphQL mutations: a company's admin manages its people (add an existing buyer by
e-mail, change a role, deactivate, reactivate), its e-mail invitations (invite, resend, revoke) and
its shared delivery addresses. Anyone else: ``forbidden``; another company's person, invitation or
address: ``not_found`` on the id, as a missing one. A buyer accepts an invitation by its token."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from companies import selectors
from companies.graphql.approvals import ApprovalMutation
from companies.graphql.types import CompanyAddressType, CompanyInvitationType, CompanyMemberType
from companies.services import addresses, invitations, people
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


def _base_url(info) -> str:
    return info.context.build_absolute_uri("/").rstrip("/")


class CompanyInvitationPayload(graphene.ObjectType):
    invitation = graphene.Field(CompanyInvitationType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class InvitationMutation(PeopleMutation):
    class Meta:
        abstract = True

    Output = CompanyInvitationPayload

    @classmethod
    def invitation(cls, user, invitation_id):
        return lookup(selectors.own_invitations(user), "id", _("No such invitation in your company."), pk=invitation_id)


class InviteMember(InvitationMutation):
    class Arguments:
        email = graphene.String(required=True)
        role = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, email, role):
        sent = invitations.invite(
            company=selectors.company_of(user), email=email, role=role, by=user, base_url=_base_url(info)
        )
        return cls.success(invitation=sent.invitation)


class ResendInvitation(InvitationMutation):
    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, user, *, id):
        sent = invitations.resend(invitation=cls.invitation(user, id), by=user, base_url=_base_url(info))
        return cls.success(invitation=sent.invitation)


class RevokeInvitation(InvitationMutation):
    class Arguments:
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, user, *, id):
        return cls.success(invitation=invitations.revoke(invitation=cls.invitation(user, id), by=user))


class AcceptInvitation(PlatformMutation):
    """The signed-in buyer joins the company of the invitation whose link carries ``token``: the
    account's e-mail must be the invited one. Errors on ``token`` with a code: not_found, used,
    revoked, expired, company_closed, inviter_not_admin, wrong_account, has_company."""

    allowed = (DISTRIBUTOR,)
    Output = CompanyMemberPayload

    class Arguments:
        token = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, token):
        try:
            member = invitations.accept(token=token, user=user)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                raise
            raise ValidationError({"token": exc.error_list}) from None
        return cls.success(member=member)


class CompanyAddressPayload(graphene.ObjectType):
    address = graphene.Field(CompanyAddressType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class _AddressAdmin:
    @classmethod
    def permits(cls, user, inputs) -> bool:
        membership = selectors.membership_of(user)
        return membership is not None and selectors.can(user, "manage_addresses", membership.company)

    @classmethod
    def address(cls, user, address_id):
        return lookup(selectors.own_addresses(user), "id", _("No such address in your company."), pk=address_id)


class AddressMutation(_AddressAdmin, PlatformMutation):
    class Meta:
        abstract = True

    allowed = (DISTRIBUTOR,)
    Output = CompanyAddressPayload


class AddressFields:
    label = graphene.String(required=True)
    consignee = graphene.String(required=True)
    mobile = graphene.String(required=True)
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    district = graphene.String()
    line = graphene.String(required=True)
    postcode = graphene.String()
    is_default = graphene.Boolean()


class CreateCompanyAddress(AddressMutation):
    class Arguments(AddressFields):
        pass

    @classmethod
    def perform(cls, info, user, **details):
        address = addresses.create(company=selectors.company_of(user), details=details, by=user)
        return cls.success(address=address)


class UpdateCompanyAddress(AddressMutation):
    class Arguments(AddressFields):
        id = graphene.ID(required=True)

    @classmethod
    def perform(cls, info, user, *, id, **details):
        address = addresses.update(address=cls.address(user, id), details=details, by=user)
        return cls.success(address=address)


class DeleteCompanyAddress(_AddressAdmin, PlatformMutation):
    allowed = (DISTRIBUTOR,)

    class Arguments:
        id = graphene.ID(required=True)

    deleted_id = graphene.ID(description="the id of the address deleted")

    @classmethod
    def perform(cls, info, user, *, id):
        address = cls.address(user, id)
        deleted_id = address.pk
        addresses.delete(address=address, by=user)
        return cls.success(deleted_id=deleted_id)


class Mutation(ApprovalMutation, graphene.ObjectType):
    company_member_add = AddMember.Field()
    company_member_change_role = ChangeRole.Field()
    company_member_deactivate = Deactivate.Field()
    company_member_reactivate = Reactivate.Field()
    invite_member = InviteMember.Field()
    resend_invitation = ResendInvitation.Field()
    revoke_invitation = RevokeInvitation.Field()
    accept_invitation = AcceptInvitation.Field()
    create_company_address = CreateCompanyAddress.Field()
    update_company_address = UpdateCompanyAddress.Field()
    delete_company_address = DeleteCompanyAddress.Field()
