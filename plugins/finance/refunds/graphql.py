"""GraphQL of refunds, scoped to who asks: ``refunds`` / ``refund`` (operators: all; a company's
财务/admin: its company's; anyone else: none), mutations ``requestRefund`` (operators, or a
company's 财务/admin for its own orders), ``approveRefund`` / ``rejectRefund`` /
``executeRefund`` (the finance team)."""

import graphene
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.access import DISTRIBUTOR, OPERATOR, is_operator
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.mutations import PlatformMutation, invalid
from core.graphql.pagination import page
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.models import Refund
from plugins.finance.selectors import refunds as selectors
from plugins.finance.services import refunds as services

Order = get_model("order", "Order")


class RefundLineType(graphene.ObjectType):
    line_id = graphene.ID(required=True)
    title = graphene.String(required=True)
    sku = graphene.String(required=True)
    quantity = graphene.Int(required=True, description="0: an allowance on the line's price")
    amount = graphene.Decimal(required=True)

    @staticmethod
    def of(line) -> "RefundLineType":
        return RefundLineType(
            line_id=line.order_line_id,
            title=line.order_line.title,
            sku=line.order_line.partner_sku or "",
            quantity=line.quantity,
            amount=line.amount,
        )


class RefundType(graphene.ObjectType):
    number = graphene.String(required=True)
    order_number = graphene.String(required=True)
    company = graphene.String()
    reason = graphene.String(
        required=True, description="return (销售退回), allowance (销售折让), invoice_error (开票有误)"
    )
    reason_label = graphene.String(required=True)
    state = graphene.String(required=True, description="requested, approved, refunded, rejected")
    state_label = graphene.String(required=True)
    method = graphene.String(required=True, description="on-account (credit restored) or bank-transfer")
    goods_amount = graphene.Decimal(required=True)
    freight_amount = graphene.Decimal(required=True)
    amount = graphene.Decimal(required=True)
    note = graphene.String(required=True)
    rejection_reason = graphene.String(required=True)
    payout_reference = graphene.String(required=True)
    requested_at = graphene.DateTime(required=True)
    decided_at = graphene.DateTime()
    refunded_at = graphene.DateTime()
    lines = graphene.List(graphene.NonNull(RefundLineType), required=True)

    @staticmethod
    def of(refund: Refund) -> "RefundType":
        return RefundType(
            number=refund.number,
            order_number=refund.order.number,
            company=refund.company.legal_name if refund.company_id else None,
            reason=refund.reason,
            reason_label=refund.get_reason_display(),
            state=refund.state,
            state_label=refund.get_state_display(),
            method=refund.method,
            goods_amount=refund.goods_amount,
            freight_amount=refund.freight_amount,
            amount=refund.amount,
            note=refund.note,
            rejection_reason=refund.rejection_reason,
            payout_reference=refund.payout_reference,
            requested_at=refund.requested_at,
            decided_at=refund.decided_at,
            refunded_at=refund.refunded_at,
            lines=[RefundLineType.of(line) for line in refund.lines.all()],
        )


class RefundPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(RefundType), required=True)
    total_count = graphene.Int(required=True)


def _refunds(user):
    return selectors.refunds_for(user).prefetch_related("lines__order_line")


class Query(graphene.ObjectType):
    refunds = graphene.Field(
        RefundPage,
        required=True,
        state=graphene.String(),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="Refunds the asker may see, newest first: operators all; a company's 财务/admin its own.",
    )
    refund = graphene.Field(RefundType, number=graphene.String(required=True))

    @requires(OPERATOR, DISTRIBUTOR)
    def resolve_refunds(root, info, first, offset, state=None):
        if state and state not in Refund.State.values:
            raise input_error("state", _("Unknown state “%(value)s”.") % {"value": state}, "invalid")
        qs = _refunds(info.context.user)
        if state:
            qs = qs.filter(state=state)
        items, total = page(qs, first, offset)
        return RefundPage(items=[RefundType.of(r) for r in items], total_count=total)

    @requires(OPERATOR, DISTRIBUTOR)
    def resolve_refund(root, info, number):
        refund = _refunds(info.context.user).filter(number=number).first()
        return RefundType.of(refund) if refund is not None else None


class RefundLineInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True)
    quantity = graphene.Int(required=True)
    amount = graphene.Decimal(description="Empty: unit price × quantity")


class RefundMutation(PlatformMutation):
    class Meta:
        abstract = True

    error_fields = {"amount": None, "state": None}
    refund = graphene.Field(RefundType)


class RequestRefund(RefundMutation):
    allowed = (OPERATOR, DISTRIBUTOR)
    input_fields = {"freight_amount": (Refund, "freight_amount"), "lines.amount": (Refund, "amount")}

    class Arguments:
        order_number = graphene.String(required=True)
        reason = graphene.String(required=True)
        lines = graphene.List(graphene.NonNull(RefundLineInput), default_value=[])
        freight_amount = graphene.Decimal(default_value=0)
        note = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, user, *, order_number, reason, lines, freight_amount, note):
        if is_operator(user):
            orders = Order.objects.all()
        else:
            company = company_for_finance(user)
            orders = Order.objects.filter(company=company) if company is not None else Order.objects.none()
        order = cls.lookup(orders, "order_number", number=order_number)
        by_id = {str(line.pk): line for line in order.lines.all()}
        requested = []
        for item in lines:
            line = by_id.get(str(item.line_id))
            if line is None:
                raise invalid("lines", _("A line of another order cannot be refunded here."), "not_found")
            requested.append(services.LineRequest(line, item.quantity, item.amount))
        refund = services.request_refund(
            order, reason=reason, lines=requested, freight_amount=freight_amount, note=note, by=user
        )
        return cls.success(refund=RefundType.of(refund))


def _decision(number):
    return RefundMutation.lookup(Refund.objects.select_related("order"), "number", number=number)


class ApproveRefund(RefundMutation):
    allowed = staticmethod(may_manage_finance)

    class Arguments:
        number = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number):
        refund = services.approve(_decision(number), user)
        return cls.success(refund=RefundType.of(refund))


class RejectRefund(RefundMutation):
    allowed = staticmethod(may_manage_finance)

    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, reason):
        refund = services.reject(_decision(number), reason, user)
        return cls.success(refund=RefundType.of(refund))


class ExecuteRefund(RefundMutation):
    allowed = staticmethod(may_manage_finance)

    class Arguments:
        number = graphene.String(required=True)
        payout_reference = graphene.String(default_value="")

    @classmethod
    def perform(cls, info, user, *, number, payout_reference):
        refund = services.execute(_decision(number), payout_reference=payout_reference, by=user)
        return cls.success(refund=RefundType.of(Refund.objects.get(pk=refund.pk)))


class Mutation(graphene.ObjectType):
    request_refund = RequestRefund.Field()
    approve_refund = ApproveRefund.Field()
    reject_refund = RejectRefund.Field()
    execute_refund = ExecuteRefund.Field()
