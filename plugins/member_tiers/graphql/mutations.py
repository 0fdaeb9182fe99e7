"""member_tiers GraphQL mutations: operators change a member's tier, points and credit line and
create price rules (a salesperson reads their members but changes nothing here)."""

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from companies.selectors import find_company
from core.access import OPERATOR, SALESPERSON
from core.graphql.errors import FieldError
from core.graphql.mutations import PlatformMutation, lookup
from plugins.member_tiers import selectors
from plugins.member_tiers.graphql.types import FollowUpType, MembershipType, PriceRuleNode
from plugins.member_tiers.models import CreditAccount, PriceRule, Tier
from plugins.member_tiers.services import credit, followups, members, points, rules
from storefront import selectors as storefront_selectors


class MemberPayload(graphene.ObjectType):
    member = graphene.Field(MembershipType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class MemberMutation(PlatformMutation):
    """A change to one member, by an operator."""

    class Meta:
        abstract = True

    allowed = (OPERATOR,)
    Output = MemberPayload

    @classmethod
    def member(cls, user, member_id):
        return lookup(selectors.members_visible_to(user), "member_id", _("No such member."), pk=member_id)

    @classmethod
    def changed(cls, user, member_id):
        """The member as it is now."""
        return MemberPayload(member=cls.member(user, member_id), errors=[])


class ChangeTier(MemberMutation):
    error_fields = {"tier": "tier_code"}

    class Arguments:
        member_id = graphene.ID(required=True)
        tier_code = graphene.String(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, member_id, tier_code, reason):
        membership = cls.member(user, member_id)
        tier = lookup(Tier.objects.all(), "tier_code", _("No tier with this code."), code=tier_code)
        members.change_tier(membership, tier, reason=reason, by=user)
        return cls.changed(user, member_id)


class AdjustPoints(MemberMutation):
    class Arguments:
        member_id = graphene.ID(required=True)
        points = graphene.Int(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, member_id, reason, **inputs):
        membership = cls.member(user, member_id)
        points.adjust(membership, inputs["points"], reason=reason, by=user)
        return cls.changed(user, member_id)


class SetCreditLine(MemberMutation):
    input_fields = {"limit": (CreditAccount, "limit"), "payment_terms_days": (CreditAccount, "payment_terms_days")}

    class Arguments:
        member_id = graphene.ID(required=True)
        limit = graphene.Decimal(required=True)
        payment_terms_days = graphene.Int(required=True)
        allow_exceed = graphene.Boolean(default_value=False)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, member_id, limit, payment_terms_days, allow_exceed, reason):
        membership = cls.member(user, member_id)
        credit.set_credit_line(
            membership,
            limit=limit,
            payment_terms_days=payment_terms_days,
            allow_exceed=allow_exceed,
            reason=reason,
            by=user,
        )
        return cls.changed(user, member_id)


class PriceRulePayload(graphene.ObjectType):
    rule = graphene.Field(PriceRuleNode)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class CreatePriceRule(PlatformMutation):
    allowed = (OPERATOR,)
    error_fields = {"tier": "tier_code", "company": "company", "product": "sku", "category": None}
    input_fields = {
        "value": (PriceRule, "value"),
        "min_quantity": (PriceRule, "min_quantity"),
        "floor_margin_percent": (PriceRule, "floor_margin_percent"),
    }

    class Arguments:
        tier_code = graphene.String()
        company = graphene.String(description="USCC, customer code or a person's e-mail")
        sku = graphene.String()
        kind = graphene.String(required=True, description="fixed or percent")
        value = graphene.Decimal(required=True)
        min_quantity = graphene.Int(default_value=1)
        valid_from = graphene.Date()
        valid_until = graphene.Date()
        floor_margin_percent = graphene.Decimal()
        floor_override_reason = graphene.String(
            description="Only to price below the floor (cost plus margin): why (recorded with who and when)"
        )

    Output = PriceRulePayload

    @classmethod
    def perform(cls, info, user, *, kind, value, min_quantity, tier_code=None, company=None, sku=None, **kwargs):
        kwargs["floor_override_reason"] = kwargs.get("floor_override_reason") or ""
        rule = PriceRule(kind=kind, value=value, min_quantity=min_quantity, **kwargs)
        missing = {}
        if tier_code:
            rule.tier = Tier.objects.filter(code=tier_code).first()
            if rule.tier is None:
                missing["tier_code"] = ValidationError(_("No tier with this code."), code="not_found")
        if company:
            rule.company = find_company(company)
            if rule.company is None:
                missing["company"] = ValidationError(_("No such company."), code="not_found")
        if sku:
            rule.product = storefront_selectors.product_by_sku(sku)
            if rule.product is None:
                missing["sku"] = ValidationError(_("Unknown SKU “%(sku)s”.") % {"sku": sku}, code="not_found")
        if missing:
            raise ValidationError(missing)
        rules.save_rule(rule, by=user)
        return cls.success(rule=rule)


class FollowUpPayload(graphene.ObjectType):
    follow_up = graphene.Field(FollowUpType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class RecordFollowUp(PlatformMutation):
    """A salesperson records a visit or a call to a company they own; operators to any company."""

    allowed = (OPERATOR, SALESPERSON)

    class Arguments:
        company_id = graphene.ID(required=True)
        kind = graphene.String(required=True, description="visit, call or other")
        happened_at = graphene.DateTime(required=True)
        note = graphene.String(required=True)
        outcome = graphene.String(default_value="")
        next_step = graphene.String(default_value="")
        next_step_on = graphene.Date()

    Output = FollowUpPayload

    @classmethod
    def perform(cls, info, user, *, company_id, **inputs):
        membership = lookup(
            selectors.members_visible_to(user), "company_id", _("No such company."), company_id=company_id
        )
        follow_up = followups.record(membership=membership, by=user, **inputs)
        return cls.success(follow_up=follow_up)


class Mutation(graphene.ObjectType):
    member_change_tier = ChangeTier.Field()
    member_adjust_points = AdjustPoints.Field()
    member_set_credit_line = SetCreditLine.Field()
    price_rule_create = CreatePriceRule.Field()
    record_follow_up = RecordFollowUp.Field()
