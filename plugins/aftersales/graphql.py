"""GraphQL of after-sales, scoped to who asks (selectors.requests_for): ``afterSalesRequests`` /
``afterSalesRequest`` (operators all, a supplier's staff their supplier's, a buyer their orders');
a buyer opens (``requestAfterSales``) and cancels (``cancelAfterSales``); a supplier approves
(``approveAfterSales``) and rejects (``rejectAfterSales``). Another party's request or supplier
order is ``not_found``."""

import graphene
from django.utils.translation import gettext as _

from core.access import DISTRIBUTOR, OPERATOR, SUPPLIER
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.mutations import NotFound, PlatformMutation, lookup
from core.graphql.pagination import page
from plugins.aftersales import selectors
from plugins.aftersales.models import AfterSalesRequest, State
from plugins.aftersales.services import requests as services
from plugins.aftersales.services.requests import VIA_API


class AfterSalesLineType(graphene.ObjectType):
    line_id = graphene.ID(required=True, description="the supplier order line")
    sku = graphene.String(required=True)
    name = graphene.String(required=True)
    quantity = graphene.Int(required=True)
    amount = graphene.Decimal(required=True)


class AfterSalesRequestType(graphene.ObjectType):
    number = graphene.String(required=True)
    order_number = graphene.String(required=True)
    supplier_order_number = graphene.String(required=True)
    supplier = graphene.String(required=True)
    kind = graphene.String(required=True, description="return (退货退款), exchange (换货), refund (仅退款)")
    kind_label = graphene.String(required=True)
    reason = graphene.String(required=True)
    reason_label = graphene.String(required=True)
    description = graphene.String(required=True)
    state = graphene.String(required=True)
    state_label = graphene.String(required=True)
    refund_amount = graphene.Decimal(required=True)
    refund_number = graphene.String(required=True)
    rejection_reason = graphene.String(required=True)
    return_carrier = graphene.String(required=True)
    return_tracking = graphene.String(required=True)
    created_at = graphene.DateTime(required=True)
    lines = graphene.List(graphene.NonNull(AfterSalesLineType), required=True)

    @staticmethod
    def of(req: AfterSalesRequest) -> "AfterSalesRequestType":
        return AfterSalesRequestType(
            number=req.number,
            order_number=str(req.order.number),
            supplier_order_number=req.supplier_order.number,
            supplier=req.partner.name,
            kind=req.kind,
            kind_label=req.get_kind_display(),
            reason=req.reason,
            reason_label=req.get_reason_display(),
            description=req.description,
            state=req.state,
            state_label=req.get_state_display(),
            refund_amount=req.refund_amount,
            refund_number=req.refund_number,
            rejection_reason=req.rejection_reason,
            return_carrier=req.return_carrier,
            return_tracking=req.return_tracking,
            created_at=req.created_at,
            lines=[
                AfterSalesLineType(
                    line_id=line.supplier_order_line_id,
                    sku=line.supplier_order_line.sku,
                    name=line.supplier_order_line.name,
                    quantity=line.quantity,
                    amount=line.amount,
                )
                for line in req.lines.all()
            ],
        )


class AfterSalesPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(AfterSalesRequestType), required=True)
    total_count = graphene.Int(required=True)


class Query(graphene.ObjectType):
    after_sales_requests = graphene.Field(
        AfterSalesPage,
        required=True,
        state=graphene.String(),
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="After-sales requests the asker may see, newest first.",
    )
    after_sales_request = graphene.Field(AfterSalesRequestType, number=graphene.String(required=True))

    @requires(OPERATOR, SUPPLIER, DISTRIBUTOR)
    def resolve_after_sales_requests(root, info, first, offset, state=None):
        if state and state not in State.values:
            raise input_error("state", _("Unknown state “%(value)s”.") % {"value": state}, "invalid")
        items, total = page(selectors.requests_for(info.context.user, state=state or ""), first, offset)
        return AfterSalesPage(items=[AfterSalesRequestType.of(r) for r in items], total_count=total)

    @requires(OPERATOR, SUPPLIER, DISTRIBUTOR)
    def resolve_after_sales_request(root, info, number):
        req = selectors.request_for(info.context.user, number)
        return AfterSalesRequestType.of(req) if req is not None else None


class AfterSalesLineInput(graphene.InputObjectType):
    line_id = graphene.ID(required=True, description="a line of the supplier order")
    quantity = graphene.Int(required=True)


class AfterSalesMutation(PlatformMutation):
    class Meta:
        abstract = True

    error_fields = {"supplier_order": "supplier_order_number", "state": None}
    after_sales_request = graphene.Field(AfterSalesRequestType)


def _reload(req) -> AfterSalesRequestType:
    return AfterSalesRequestType.of(selectors._base().get(pk=req.pk))


class RequestAfterSales(AfterSalesMutation):
    allowed = (DISTRIBUTOR,)
    input_fields = {
        "refund_amount": (AfterSalesRequest, "refund_amount"),
        "description": (AfterSalesRequest, "description"),
    }

    class Arguments:
        supplier_order_number = graphene.String(required=True)
        kind = graphene.String(required=True, description="return, exchange or refund")
        reason = graphene.String(required=True, description="quality, damaged, wrong_item, short, not_needed, other")
        lines = graphene.List(graphene.NonNull(AfterSalesLineInput), required=True)
        description = graphene.String(default_value="")
        refund_amount = graphene.Decimal(description="Empty: what was paid for these units")

    @classmethod
    def perform(cls, info, user, *, supplier_order_number, kind, reason, lines, description, refund_amount=None):
        so = selectors.buyer_supplier_order(user, supplier_order_number)
        if so is None:
            raise NotFound("supplier_order_number")
        req = services.create_request(
            supplier_order=so,
            kind=kind,
            reason=reason,
            description=description,
            refund_amount=refund_amount,
            lines=[(item.line_id, item.quantity) for item in lines],
            by=user,
            via=VIA_API,
        )
        return cls.success(after_sales_request=_reload(req))


def _lookup(user, number):
    return lookup(selectors.requests_for(user), "number", number=number)


class CancelAfterSales(AfterSalesMutation):
    allowed = (DISTRIBUTOR,)

    class Arguments:
        number = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number):
        req = services.cancel(_lookup(user, number), by=user, via=VIA_API)
        return cls.success(after_sales_request=_reload(req))


class ApproveAfterSales(AfterSalesMutation):
    allowed = (SUPPLIER,)

    class Arguments:
        number = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number):
        req = services.approve(_lookup(user, number), by=user, via=VIA_API)
        return cls.success(after_sales_request=_reload(req))


class RejectAfterSales(AfterSalesMutation):
    allowed = (SUPPLIER,)
    input_fields = {"reason": (AfterSalesRequest, "rejection_reason")}

    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, reason):
        req = services.reject(_lookup(user, number), reason=reason, by=user, via=VIA_API)
        return cls.success(after_sales_request=_reload(req))


class Mutation(graphene.ObjectType):
    request_after_sales = RequestAfterSales.Field()
    cancel_after_sales = CancelAfterSales.Field()
    approve_after_sales = ApproveAfterSales.Field()
    reject_after_sales = RejectAfterSales.Field()
