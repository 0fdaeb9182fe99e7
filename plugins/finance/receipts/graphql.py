"""GraphQL of receipts, scoped to who asks: operators see every receipt and the whole 待认领 queue;
a company's 财务/admin sees its company's receipts and the unclaimed transfers paid in its name
(amount hidden, account masked: claiming asks for them as proof). Recording, approving and
allocating are for the finance group; claiming for a company's 财务/admin."""

from datetime import date
from decimal import Decimal

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from core.access import DISTRIBUTOR, OPERATOR, OPERATORS, is_operator
from core.graphql.access import requires
from core.graphql.errors import FieldError
from core.graphql.mutations import PlatformMutation, invalid, lookup
from core.orders import status as order_status
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.models import Receipt as ReceiptModel
from plugins.finance.receipts.forms import orders_of
from plugins.finance.selectors.receipts import mask_account, receipts_for, unapplied_of, unclaimed_for
from plugins.finance.services import receipts as service

Order = get_model("order", "Order")


def _refusal(exc: PermissionDenied) -> ValidationError:
    return invalid(None, str(exc) or _("You may not do this."), code="forbidden")


class ReceiptAllocation(graphene.ObjectType):
    order_number = graphene.String(required=True)
    amount = graphene.Decimal(required=True)


class Receipt(graphene.ObjectType):
    number = graphene.String(required=True)
    bank_reference = graphene.String(required=True)
    received_on = graphene.Date(required=True)
    amount = graphene.Decimal(required=True)
    payer_name = graphene.String(required=True)
    payer_account = graphene.String(required=True, description="Masked (last four digits) for a company.")
    memo = graphene.String(required=True)
    state = graphene.String(required=True)
    matched_by = graphene.String(required=True)
    company_name = graphene.String()
    left = graphene.Decimal(required=True, description="What is not applied to an order.")
    allocations = graphene.List(graphene.NonNull(ReceiptAllocation), required=True)

    @staticmethod
    def of(receipt: ReceiptModel, user) -> "Receipt":
        operator = is_operator(user)
        allocations = list(receipt.allocations.all())
        return Receipt(
            number=receipt.number,
            bank_reference=receipt.bank_reference,
            received_on=receipt.received_on,
            amount=receipt.amount,
            payer_name=receipt.payer_name,
            payer_account=receipt.payer_account if operator else mask_account(receipt.payer_account),
            memo=receipt.memo,
            state=receipt.state,
            matched_by=receipt.matched_by,
            company_name=receipt.company.legal_name if receipt.company_id else None,
            # from the prefetched allocations (a list costs no query per receipt): what is not
            # applied to a standing order, as selectors.receipts.left_of
            left=receipt.amount
            - sum((a.amount for a in allocations if a.order.status != order_status.CANCELLED), Decimal("0.00")),
            allocations=[ReceiptAllocation(order_number=a.order.number, amount=a.amount) for a in allocations],
        )


class UnclaimedReceipt(graphene.ObjectType):
    """A transfer waiting to be claimed, as a company sees it (the proof is not shown)."""

    received_on = graphene.Date(required=True)
    payer_name = graphene.String(required=True)
    payer_account = graphene.String(required=True)
    amount = graphene.Decimal(description="Operators only.")
    number = graphene.String(description="Operators only.")


class Query(graphene.ObjectType):
    receipts = graphene.List(
        graphene.NonNull(Receipt), required=True, state=graphene.String(), first=graphene.Int(default_value=50)
    )
    unclaimed_receipts = graphene.List(graphene.NonNull(UnclaimedReceipt), required=True)
    unapplied_balance = graphene.Decimal(description="Your company's unapplied receipts (a company's 财务/admin).")

    @staticmethod
    @requires(OPERATOR, DISTRIBUTOR)
    def resolve_receipts(root, info, state=None, first=50):
        user = info.context.user
        qs = receipts_for(user).prefetch_related("allocations__order")
        if state:
            qs = qs.filter(state=state)
        return [Receipt.of(r, user) for r in qs[: max(0, min(first, 200))]]

    @staticmethod
    @requires(OPERATOR, DISTRIBUTOR)
    def resolve_unclaimed_receipts(root, info):
        user = info.context.user
        operator = is_operator(user)
        return [
            UnclaimedReceipt(
                received_on=r.received_on,
                payer_name=r.payer_name,
                payer_account=r.payer_account if operator else mask_account(r.payer_account),
                amount=r.amount if operator else None,
                number=r.number if operator else None,
            )
            for r in unclaimed_for(user)[:200]
        ]

    @staticmethod
    @requires(DISTRIBUTOR)
    def resolve_unapplied_balance(root, info):
        company = company_for_finance(info.context.user)
        return unapplied_of(company) if company is not None else None


class ReceiptPayload(graphene.ObjectType):
    receipt = graphene.Field(Receipt)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


def _receipt(number: str) -> ReceiptModel:
    return lookup(ReceiptModel.objects.all(), "number", _("There is no such receipt."), number=number)


class RecordReceipt(PlatformMutation):
    """Record money that reached the bank (finance group); matched automatically unless
    ``orderNumbers`` say which orders it pays."""

    allowed = OPERATORS
    error_fields = {"orders": "order_numbers"}
    input_fields = {"amount": (ReceiptModel, "amount")}

    class Arguments:
        bank_reference = graphene.String(required=True)
        received_on = graphene.Date(required=True)
        amount = graphene.Decimal(required=True)
        payer_name = graphene.String(required=True)
        payer_account = graphene.String()
        payer_bank = graphene.String()
        memo = graphene.String()
        order_numbers = graphene.List(graphene.NonNull(graphene.String))

    Output = ReceiptPayload

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return may_manage_finance(user)

    @classmethod
    def perform(cls, info, user, *, bank_reference, received_on: date, amount, payer_name, order_numbers=None, **rest):
        orders = list(Order.objects.filter(number__in=order_numbers or []))
        if len(orders) != len(set(order_numbers or [])):
            raise invalid("order_numbers", _("Unknown order number."))
        try:
            made = service.record_receipt(
                bank_reference=bank_reference,
                received_on=received_on,
                amount=amount,
                payer_name=payer_name,
                payer_account=rest.get("payer_account") or "",
                payer_bank=rest.get("payer_bank") or "",
                memo=rest.get("memo") or "",
                company=orders[0].company if orders else None,
                orders=orders,
                by=user,
            )
        except PermissionDenied as exc:
            raise _refusal(exc) from exc
        return cls.success(receipt=Receipt.of(made, user))


class ApproveReceipt(PlatformMutation):
    allowed = OPERATORS
    error_fields = {"receipt": "number"}

    class Arguments:
        number = graphene.String(required=True)

    Output = ReceiptPayload

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return may_manage_finance(user)

    @classmethod
    def perform(cls, info, user, *, number):
        made = service.approve(_receipt(number), user)
        return cls.success(receipt=Receipt.of(made, user))


class AllocateReceipt(PlatformMutation):
    """Apply a receipt's unapplied money to an order of its company (finance group)."""

    allowed = OPERATORS
    error_fields = {"receipt": "number", "order": "order_number", "orders": "order_number"}
    input_fields = {"amount": (ReceiptModel, "amount")}

    class Arguments:
        number = graphene.String(required=True)
        order_number = graphene.String(required=True)
        amount = graphene.Decimal(required=True)

    Output = ReceiptPayload

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return may_manage_finance(user)

    @classmethod
    def perform(cls, info, user, *, number, order_number, amount):
        receipt = _receipt(number)
        order = lookup(
            Order.objects.filter(company_id=receipt.company_id) if receipt.company_id else Order.objects.none(),
            "order_number",
            _("No order of this company has that number."),
            number=order_number,
        )
        service.allocate(receipt, order, amount, user)
        return cls.success(
            receipt=Receipt.of(ReceiptModel.objects.prefetch_related("allocations__order").get(pk=receipt.pk), user)
        )


class ClaimReceipt(PlatformMutation):
    """A company's 财务/admin claims an unclaimed transfer, proving it with the date, the exact
    amount and the full payer account; it then waits for finance's approval."""

    allowed = (DISTRIBUTOR,)
    error_fields = {"receipt": None, "orders": "order_numbers"}
    input_fields = {"amount": (ReceiptModel, "amount")}

    class Arguments:
        received_on = graphene.Date(required=True)
        amount = graphene.Decimal(required=True)
        payer_account = graphene.String(required=True)
        order_numbers = graphene.List(graphene.NonNull(graphene.String))

    Output = ReceiptPayload

    @classmethod
    def permits(cls, user, inputs) -> bool:
        return company_for_finance(user) is not None

    @classmethod
    def perform(cls, info, user, *, received_on, amount, payer_account, order_numbers=None):
        company = company_for_finance(user)
        try:
            orders = orders_of(" ".join(order_numbers or []), company)
        except ValidationError as exc:
            raise invalid("order_numbers", " ".join(exc.messages)) from exc
        found = service.find_claimable(received_on=received_on, amount=amount, payer_account=payer_account)
        if found is None:
            raise invalid("payer_account", _("No transfer awaiting claim has this date, amount and payer account."))
        try:
            made = service.claim(
                found,
                company=company,
                orders=orders,
                by=user,
                amount=amount,
                payer_account=payer_account,
                received_on=received_on,
            )
        except PermissionDenied as exc:
            raise _refusal(exc) from exc
        return cls.success(receipt=Receipt.of(made, user))


class Mutation(graphene.ObjectType):
    record_receipt = RecordReceipt.Field()
    approve_receipt = ApproveReceipt.Field()
    allocate_receipt = AllocateReceipt.Field()
    claim_receipt = ClaimReceipt.Field()
