"""companies GraphQL types: a company and its people (people only for its admins and operators)."""

import graphene

from companies import selectors
from core.regions import division_code


class CompanyMemberType(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    name = graphene.String(required=True)
    role = graphene.String(required=True)
    role_label = graphene.String(required=True)
    is_active = graphene.Boolean(required=True)
    added_at = graphene.DateTime(required=True)
    handed_over = graphene.List(
        graphene.NonNull(graphene.String),
        required=True,
        description="Right after a deactivation: what happened to the person's work (their basket, their "
        "invitations), one sentence each; empty otherwise.",
    )

    def resolve_email(member, info):
        return member.user.email

    def resolve_name(member, info):
        return member.user.get_full_name() or member.user.email

    def resolve_role_label(member, info):
        return member.get_role_display()

    def resolve_handed_over(member, info):
        return list(getattr(member, "handed_over", []))


class CompanyType(graphene.ObjectType):
    id = graphene.ID(required=True)
    legal_name = graphene.String(required=True)
    uscc = graphene.String(required=True)
    legal_representative = graphene.String(required=True)
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    address = graphene.String(required=True)
    industry = graphene.String(required=True)
    registered_capital = graphene.Decimal(description="万元")
    invoice_title = graphene.String(required=True)
    tax_number = graphene.String(required=True)
    invoice_address_phone = graphene.String(required=True)
    invoice_bank_account = graphene.String(required=True)
    taxpayer_type = graphene.String(required=True)
    customer_code = graphene.String(required=True)
    expected_annual_purchase = graphene.Decimal()
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    status_reason = graphene.String(required=True)
    applied_at = graphene.DateTime(required=True)
    verified_at = graphene.DateTime()
    my_role = graphene.String(description="The asking user's role in this company, if any.")
    people = graphene.List(
        graphene.NonNull(CompanyMemberType), description="The company's people: for its admins and operators only."
    )

    def resolve_status_label(company, info):
        return company.get_status_display()

    def resolve_my_role(company, info):
        membership = selectors.membership_of(info.context.user)
        return membership.role if membership and membership.company_id == company.pk else None

    def resolve_people(company, info):
        if not selectors.can(info.context.user, "view_people", company):
            return None
        members = list(company.members.all())  # prefetched with their users by the queries
        return sorted(members, key=lambda m: (not m.is_active, m.added_at, m.pk))


class CompanyPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(CompanyType), required=True)
    total_count = graphene.Int(required=True)


class CompanyInvitationType(graphene.ObjectType):
    id = graphene.ID(required=True)
    email = graphene.String(required=True)
    role = graphene.String(required=True)
    role_label = graphene.String(required=True)
    status = graphene.String(required=True, description="pending, accepted, revoked or expired")
    status_label = graphene.String(required=True)
    invited_by = graphene.String(description="the e-mail address of the admin who sent it")
    created_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(required=True)
    accepted_at = graphene.DateTime()

    def resolve_role_label(invitation, info):
        return invitation.get_role_display()

    def resolve_status(invitation, info):
        return invitation.effective_status()

    def resolve_status_label(invitation, info):
        return invitation.get_effective_status_display()

    def resolve_invited_by(invitation, info):
        return invitation.invited_by.email if invitation.invited_by else None


class CompanyAddressType(graphene.ObjectType):
    id = graphene.ID(required=True)
    label = graphene.String(required=True)
    consignee = graphene.String(required=True)
    mobile = graphene.String(required=True)
    province = graphene.String(required=True)
    city = graphene.String(required=True)
    district = graphene.String(required=True)
    line = graphene.String(required=True)
    postcode = graphene.String(required=True)
    is_default = graphene.Boolean(required=True)
    division_code = graphene.String(description="GB/T 2260 code of the district (else city, else province)")

    def resolve_division_code(address, info):
        return division_code(address.province, address.city, address.district)


class CompanyInvitationPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(CompanyInvitationType), required=True)
    total_count = graphene.Int(required=True)
