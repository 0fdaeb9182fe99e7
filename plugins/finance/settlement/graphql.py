"""GraphQL of settlement, scoped to who asks: operators see every batch, a supplier's staff only
their supplier's (another supplier's batch is ``not_found``). Drafting and paying are finance's
(the service refuses other operators with an error on ``number``/``supplierId``); confirming and
disputing are the supplier's staff's."""

import graphene
from django.utils.translation import gettext as _

from core.access import OPERATOR, SUPPLIER
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.mutations import PlatformMutation
from core.graphql.pagination import page
from plugins.finance.models import SettlementBatch as BatchModel
from plugins.finance.selectors import settlement as selectors
from plugins.finance.services import settlement as service


class SettlementLine(graphene.ObjectType):
    supplier_order_number = graphene.String(required=True)
    refund_number = graphene.String(description="Set on a clawback line (a refund after settlement).")
    goods = graphene.Decimal(required=True)
    commission_rate = graphene.Decimal(required=True)
    commission = graphene.Decimal(required=True)
    freight = graphene.Decimal(required=True)
    refunds = graphene.Decimal(required=True)
    payable = graphene.Decimal(required=True)

    @staticmethod
    def of(line):
        so = line.supplier_order or line.refund_allocation.supplier_order
        return SettlementLine(
            supplier_order_number=so.number,
            refund_number=line.refund_allocation.refund.number if line.refund_allocation_id else None,
            goods=line.goods,
            commission_rate=line.commission_rate,
            commission=line.commission,
            freight=line.freight,
            refunds=line.refunds,
            payable=line.payable,
        )


class SettlementBatch(graphene.ObjectType):
    number = graphene.String(required=True)
    supplier_id = graphene.ID(required=True)
    supplier_name = graphene.String(required=True)
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    state = graphene.String(required=True)
    state_label = graphene.String(required=True)
    goods = graphene.Decimal(required=True)
    commission = graphene.Decimal(required=True)
    freight = graphene.Decimal(required=True)
    refunds = graphene.Decimal(required=True)
    netted = graphene.Decimal(required=True)
    payable = graphene.Decimal(required=True)
    dispute_reason = graphene.String(required=True)
    payout_reference = graphene.String(required=True)
    confirmed_at = graphene.DateTime()
    paid_at = graphene.DateTime()
    lines = graphene.List(
        graphene.NonNull(SettlementLine),
        required=True,
        first=graphene.Int(default_value=100),
        offset=graphene.Int(default_value=0),
        description="One query per batch asked for (ask for lines on one batch, not on a list).",
    )

    @staticmethod
    def resolve_supplier_id(batch, info):
        return batch.supplier_id

    @staticmethod
    def resolve_supplier_name(batch, info):
        return batch.supplier.name

    @staticmethod
    def resolve_state_label(batch, info):
        return batch.get_state_display()

    @staticmethod
    def resolve_lines(batch, info, first, offset):
        items, _total = page(selectors.lines_of(batch), first, offset)
        return [SettlementLine.of(line) for line in items]


class SettlementBatchPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(SettlementBatch), required=True)
    total_count = graphene.Int(required=True)


class Query(graphene.ObjectType):
    settlement_batches = graphene.Field(
        SettlementBatchPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        state=graphene.String(description="draft, confirmed, disputed, paid, cancelled"),
    )
    settlement_batch = graphene.Field(SettlementBatch, number=graphene.String(required=True))

    @requires(OPERATOR, SUPPLIER)
    def resolve_settlement_batches(root, info, first, offset, state=None):
        if state and state not in BatchModel.State.values:
            raise input_error("state", _("Unknown state “%(state)s”.") % {"state": state}, "invalid_choice")
        items, total = page(selectors.batches_for(info.context.user, state=state or ""), first, offset)
        return SettlementBatchPage(items=items, total_count=total)

    @requires(OPERATOR, SUPPLIER)
    def resolve_settlement_batch(root, info, number):
        return selectors.batch_for(info.context.user, number)


class _BatchMutation(PlatformMutation):
    class Meta:
        abstract = True

    batch = graphene.Field(SettlementBatch)
    #: the service's non-field refusals ("batch") are about the batch the caller named
    error_fields = {"batch": "number", "state": "number"}

    @classmethod
    def batch_of(cls, user, number):
        return cls.lookup(selectors.batches_for(user), "number", number=number)


class DraftSettlement(_BatchMutation):
    allowed = (OPERATOR,)
    error_fields = {"batch": "supplier_id", "supplier": "supplier_id"}

    class Arguments:
        supplier_id = graphene.ID(required=True)
        period_start = graphene.Date(required=True)
        period_end = graphene.Date(required=True)

    @classmethod
    def perform(cls, info, user, *, supplier_id, period_start, period_end):
        supplier = cls.lookup(selectors.suppliers(), "supplier_id", pk=supplier_id)
        batch = service.draft_batch(supplier, period_start=period_start, period_end=period_end, by=user)
        return cls.success(batch=batch)


class ConfirmSettlement(_BatchMutation):
    allowed = (SUPPLIER,)

    class Arguments:
        number = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number):
        batch = service.confirm(cls.batch_of(user, number), by=user)
        return cls.success(batch=batch)


class DisputeSettlement(_BatchMutation):
    allowed = (SUPPLIER,)

    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, reason):
        batch = service.dispute(cls.batch_of(user, number), reason=reason, by=user)
        return cls.success(batch=batch)


class PaySettlement(_BatchMutation):
    allowed = (OPERATOR,)

    class Arguments:
        number = graphene.String(required=True)
        payout_reference = graphene.String(required=True)

    @classmethod
    def perform(cls, info, user, *, number, payout_reference):
        batch = service.pay(cls.batch_of(user, number), payout_reference=payout_reference, by=user)
        return cls.success(batch=batch)


class Mutation(graphene.ObjectType):
    draft_settlement = DraftSettlement.Field()
    confirm_settlement = ConfirmSettlement.Field()
    dispute_settlement = DisputeSettlement.Field()
    pay_settlement = PaySettlement.Field()
