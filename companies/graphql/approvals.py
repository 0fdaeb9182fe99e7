"""companies GraphQL: purchase approval, scoped to the asking person's company and role.

* ``approvalRules``: the company's rules, for its admins, approvers and finance (else forbidden);
* ``approvalRequests(mine | waitingForMe)``: the asker's own requests, or those waiting for
  their decision; without either, every request the asker may see (their own; admins, approvers
  and finance: the company's);
* ``approvalRequest(number)``: null for a request the asker may not see — another company's
  request is the same as a missing one;
* ``createApprovalRule`` / ``updateApprovalRule``: the company's admins;
* ``approveRequest`` / ``rejectRequest``: the services decide who may (``not_found`` on
  ``number`` for a request the asker cannot see).
"""

from decimal import Decimal

import graphene
from django.utils.translation import gettext as _

from companies import selectors
from companies.approvals import selectors as approval_selectors
from companies.approvals import services
from companies.approvals.models import ApprovalRule
from companies.approvals.rules import describe
from core.access import DISTRIBUTOR
from core.graphql.access import requires
from core.graphql.errors import FieldError, forbidden_error
from core.graphql.mutations import PlatformMutation, invalid, lookup
from core.graphql.pagination import page


class ApprovalRuleType(graphene.ObjectType):
    id = graphene.ID(required=True)
    kind = graphene.String(required=True)
    kind_label = graphene.String(required=True)
    threshold = graphene.Decimal()
    buyer_role = graphene.String(required=True)
    buyer_email = graphene.String()
    approver_role = graphene.String(required=True)
    step = graphene.Int(required=True)
    is_active = graphene.Boolean(required=True)
    description = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)

    def resolve_kind_label(rule, info):
        return rule.get_kind_display()

    def resolve_buyer_email(rule, info):
        return rule.buyer.email if rule.buyer_id else None

    def resolve_description(rule, info):
        return describe(rule)


class ApprovalStepType(graphene.ObjectType):
    position = graphene.Int(required=True)
    step = graphene.Int(required=True)
    role = graphene.String(required=True)
    reasons = graphene.List(graphene.NonNull(graphene.String), required=True)
    decision = graphene.String(required=True)
    decided_by = graphene.String(description="The approver's name")
    comment = graphene.String(required=True)
    decided_at = graphene.DateTime()

    def resolve_decided_by(step, info):
        user = step.decided_by
        return (user.get_full_name() or user.email) if user else None


class ApprovalLineType(graphene.ObjectType):
    sku = graphene.String(required=True)
    title = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    unit_price_incl_tax = graphene.Decimal(required=True)
    line_price_incl_tax = graphene.Decimal(required=True)

    def resolve_sku(line, info):
        return line["sku"]

    def resolve_title(line, info):
        return line["title"]

    def resolve_quantity(line, info):
        return line["quantity"]

    def resolve_unit_price_incl_tax(line, info):
        return Decimal(line["unit_price_incl_tax"])

    def resolve_line_price_incl_tax(line, info):
        return Decimal(line["line_price_incl_tax"])


class ApprovalRequestType(graphene.ObjectType):
    number = graphene.String(required=True)
    status = graphene.String(required=True)
    status_label = graphene.String(required=True)
    reason = graphene.String(required=True)
    buyer = graphene.String(required=True, description="The buyer's name")
    lines = graphene.List(graphene.NonNull(ApprovalLineType), required=True)
    freight_incl_tax = graphene.Decimal(required=True)
    total_incl_tax = graphene.Decimal(required=True)
    payment_method = graphene.String(required=True)
    submitted_at = graphene.DateTime(required=True)
    expires_at = graphene.DateTime(required=True)
    order_number = graphene.String(description="The placed order's number, once approved")
    steps = graphene.List(graphene.NonNull(ApprovalStepType), required=True)

    def resolve_status_label(request, info):
        return request.get_status_display()

    def resolve_buyer(request, info):
        return request.buyer.get_full_name() or request.buyer.email

    def resolve_order_number(request, info):
        return request.order.number if request.order_id else None

    def resolve_steps(request, info):
        return list(request.steps.all())  # prefetched by the selectors


class ApprovalRequestPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(ApprovalRequestType), required=True)
    total_count = graphene.Int(required=True)


class ApprovalQuery(graphene.ObjectType):
    approval_rules = graphene.List(
        graphene.NonNull(ApprovalRuleType),
        required=True,
        description="Your company's purchase approval rules (admins, approvers and finance).",
    )
    approval_requests = graphene.Field(
        ApprovalRequestPage,
        required=True,
        mine=graphene.Boolean(default_value=False),
        waiting_for_me=graphene.Boolean(default_value=False),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
    )
    approval_request = graphene.Field(ApprovalRequestType, number=graphene.String(required=True))

    @requires(DISTRIBUTOR)
    def resolve_approval_rules(root, info):
        user = info.context.user
        membership = selectors.membership_of(user)
        if membership is None or not selectors.can(user, "view_approval_rules", membership.company):
            raise forbidden_error()
        return list(approval_selectors.rules_of(user))

    @requires(DISTRIBUTOR)
    def resolve_approval_requests(root, info, mine, waiting_for_me, first, offset):
        user = info.context.user
        if waiting_for_me:
            qs = approval_selectors.waiting_for(user)
        elif mine:
            qs = approval_selectors.my_requests(user)
        else:
            qs = approval_selectors.visible_requests(user)
        items, total = page(qs, first, offset)
        return ApprovalRequestPage(items=items, total_count=total)

    @requires(DISTRIBUTOR)
    def resolve_approval_request(root, info, number):
        return approval_selectors.request_for(info.context.user, number)


def _may_manage_rules(user) -> bool:
    membership = selectors.membership_of(user)
    return membership is not None and selectors.can(user, "manage_approval_rules", membership.company)


class ApprovalRulePayload(graphene.ObjectType):
    rule = graphene.Field(ApprovalRuleType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


class RuleInput(graphene.InputObjectType):
    kind = graphene.String()
    threshold = graphene.Decimal()
    buyer_role = graphene.String()
    buyer_email = graphene.String(description="A monthly budget for one active person of your company")
    approver_role = graphene.String()
    step = graphene.Int()
    is_active = graphene.Boolean()


def _rule_data(user, rule_input, *, partial: bool) -> dict:
    data = {k: v for k, v in dict(rule_input).items() if v is not None or not partial}
    email = data.pop("buyer_email", None)
    if "buyer_email" in dict(rule_input):
        if email:
            from companies.models import CompanyMember

            member = (
                CompanyMember.objects.filter(
                    company=selectors.company_of(user), user__email__iexact=email.strip(), is_active=True
                )
                .select_related("user")
                .first()
            )
            if member is None:
                raise invalid("buyer_email", _("Choose an active person of your company."), "not_found")
            data["buyer"] = member.user
        else:
            data["buyer"] = None
    if not partial:
        data.setdefault("is_active", True)
        data.setdefault("step", 1)
    return data


#: the rule service's fields → this API's input names
RULE_ERROR_FIELDS = {
    **{name: f"input.{name}" for name in ("kind", "threshold", "buyer_role", "approver_role", "step")},
    "buyer": "input.buyer_email",
    "buyer_email": "input.buyer_email",
}


# what a rule's input is stored in: checked by the mutation base before anything runs
RULE_INPUT_FIELDS = {"input.threshold": (ApprovalRule, "threshold"), "input.step": (ApprovalRule, "step")}


class CreateApprovalRule(PlatformMutation):
    allowed = (DISTRIBUTOR,)
    Output = ApprovalRulePayload
    error_fields = RULE_ERROR_FIELDS
    input_fields = RULE_INPUT_FIELDS

    class Arguments:
        input = RuleInput(required=True)

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return _may_manage_rules(user)

    @classmethod
    def perform(cls, info, user, *, input):
        data = _rule_data(user, input, partial=False)
        rule = services.create_rule(company=selectors.company_of(user), by=user, **data)
        return cls.success(rule=rule)


class UpdateApprovalRule(PlatformMutation):
    allowed = (DISTRIBUTOR,)
    Output = ApprovalRulePayload
    error_fields = RULE_ERROR_FIELDS
    input_fields = RULE_INPUT_FIELDS

    class Arguments:
        id = graphene.ID(required=True)
        input = RuleInput(required=True)

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return _may_manage_rules(user)

    @classmethod
    def perform(cls, info, user, *, id, input):
        rule = lookup(approval_selectors.managed_rules(user), "id", _("No such rule in your company."), pk=id)
        rule = services.update_rule(rule=rule, by=user, **_rule_data(user, input, partial=True))
        return cls.success(rule=rule)


class ApprovalRequestPayload(graphene.ObjectType):
    request = graphene.Field(ApprovalRequestType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _request(user, number):
    return lookup(approval_selectors.visible_requests(user), "number", _("No such purchase request."), number=number)


class ApproveRequest(PlatformMutation):
    allowed = (DISTRIBUTOR,)
    Output = ApprovalRequestPayload

    class Arguments:
        number = graphene.String(required=True)
        comment = graphene.String()

    @classmethod
    def perform(cls, info, user, *, number, comment=""):
        request = services.approve(request=_request(user, number), actor=user, comment=comment or "", via="graphql")
        return cls.success(request=approval_selectors.request_for(user, request.number))


class RejectRequest(PlatformMutation):
    allowed = (DISTRIBUTOR,)
    Output = ApprovalRequestPayload

    class Arguments:
        number = graphene.String(required=True)
        comment = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, comment):
        request = services.reject(request=_request(user, number), actor=user, comment=comment, via="graphql")
        return cls.success(request=approval_selectors.request_for(user, request.number))


class ApprovalMutation(graphene.ObjectType):
    create_approval_rule = CreateApprovalRule.Field()
    update_approval_rule = UpdateApprovalRule.Field()
    approve_request = ApproveRequest.Field()
    reject_request = RejectRequest.Field()
