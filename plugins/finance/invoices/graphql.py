"""GraphQL of invoices (发票), scoped to who asks: operators see every request and invoice, a
company's 财务/admin its own; requesting is for the company, issuing for the finance group.
Lists are one page each (lines and orders prefetched: the query count does not grow with the page)."""

import graphene
from django.utils.translation import gettext as _

from core.graphql.access import requires
from core.graphql.mutations import PlatformMutation
from core.graphql.pagination import page
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.models import Refund
from plugins.finance.selectors import invoices as selectors
from plugins.finance.services import invoices as services


def _finance_or_company(user) -> bool:
    from core.access import is_operator

    return is_operator(user) or company_for_finance(user) is not None


class InvoiceLineType(graphene.ObjectType):
    name = graphene.String(required=True)
    tax_code = graphene.String(required=True)
    quantity = graphene.Decimal(required=True)
    unit_price = graphene.Decimal(required=True)
    amount = graphene.Decimal(required=True, description="Excluding tax (negative on a red-letter invoice).")
    rate = graphene.Decimal(required=True)
    tax = graphene.Decimal(required=True)


class InvoiceType(graphene.ObjectType):
    number = graphene.String(required=True, description="20 digits (数电票).")
    kind = graphene.String(required=True)
    is_red = graphene.Boolean(required=True)
    issued_at = graphene.DateTime(required=True)
    amount_excl_tax = graphene.Decimal(required=True)
    tax = graphene.Decimal(required=True)
    amount_incl_tax = graphene.Decimal(required=True)
    buyer_confirmed_at = graphene.DateTime()
    request_number = graphene.String(required=True)

    @staticmethod
    def resolve_request_number(invoice, info):
        return invoice.request.number


class InvoiceRequestType(graphene.ObjectType):
    number = graphene.String(required=True)
    company = graphene.String(required=True)
    kind = graphene.String(required=True)
    state = graphene.String(required=True)
    red_kind = graphene.String(required=True, description="'' blue, 'full' or 'partial' red-letter.")
    blue_invoice_number = graphene.String()
    refund_number = graphene.String()
    buyer_name = graphene.String(required=True)
    buyer_tax_number = graphene.String(required=True)
    amount_excl_tax = graphene.Decimal(required=True)
    tax = graphene.Decimal(required=True)
    amount_incl_tax = graphene.Decimal(required=True)
    rejection_reason = graphene.String(required=True)
    requested_at = graphene.DateTime(required=True)
    order_numbers = graphene.List(graphene.NonNull(graphene.String), required=True)
    lines = graphene.List(graphene.NonNull(InvoiceLineType), required=True)
    invoice = graphene.Field(InvoiceType)

    @staticmethod
    def resolve_company(request, info):
        return request.company.legal_name

    @staticmethod
    def resolve_blue_invoice_number(request, info):
        return request.blue_invoice.number if request.blue_invoice_id else None

    @staticmethod
    def resolve_refund_number(request, info):
        return request.refund.number if request.refund_id else None

    @staticmethod
    def resolve_order_numbers(request, info):
        return [o.number for o in request.orders.all()]

    @staticmethod
    def resolve_lines(request, info):
        return request.lines.all()

    @staticmethod
    def resolve_invoice(request, info):
        return getattr(request, "invoice", None)


class InvoiceRequestPage(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(InvoiceRequestType), required=True)


class InvoicePage(graphene.ObjectType):
    total_count = graphene.Int(required=True)
    items = graphene.List(graphene.NonNull(InvoiceType), required=True)


def _requests(user):
    return selectors.requests_for(user).select_related("invoice").prefetch_related("lines")


class Query(graphene.ObjectType):
    invoice_requests = graphene.Field(
        InvoiceRequestPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        state=graphene.String(),
    )
    invoices = graphene.Field(
        InvoicePage, required=True, first=graphene.Int(default_value=20), offset=graphene.Int(default_value=0)
    )

    @requires(predicate=_finance_or_company)
    def resolve_invoice_requests(root, info, first, offset, state=None):
        rows = _requests(info.context.user)
        if state:
            rows = rows.filter(state=state)
        items, total = page(rows, first, offset)
        return InvoiceRequestPage(items=items, total_count=total)

    @requires(predicate=_finance_or_company)
    def resolve_invoices(root, info, first, offset):
        items, total = page(selectors.invoices_for(info.context.user), first, offset)
        return InvoicePage(items=items, total_count=total)


def _request(user, number: str):
    return PlatformMutation.lookup(
        _requests(user), "number", _("There is no such invoice request."), number=(number or "").strip()
    )


def _invoice(user, number: str):
    return PlatformMutation.lookup(
        selectors.invoices_for(user), "number", _("There is no such invoice."), number=(number or "").strip()
    )


class RequestInvoice(PlatformMutation):
    """A company's 财务/admin asks for an invoice of its paid orders (by number)."""

    allowed = staticmethod(lambda user: company_for_finance(user) is not None)
    error_fields = {"orders": "order_numbers"}

    class Arguments:
        order_numbers = graphene.List(graphene.NonNull(graphene.String), required=True)
        kind = graphene.String(required=True, description="'special' (增值税专用发票) or 'normal' (普通发票).")
        note = graphene.String(default_value="")

    invoice_request = graphene.Field(InvoiceRequestType)

    @classmethod
    def perform(cls, info, user, *, order_numbers, kind, note=""):
        company = company_for_finance(user)
        orders = [
            cls.lookup(selectors.invoiceable_orders(company), "order_numbers", number=str(number).strip())
            for number in order_numbers
        ]
        made = services.request_invoice(company, orders, kind, user, note=note)
        return cls.success(invoice_request=_request(user, made.number))


class IssueInvoice(PlatformMutation):
    allowed = staticmethod(may_manage_finance)

    class Arguments:
        number = graphene.String(required=True, description="The invoice request's number (KP-…).")

    invoice = graphene.Field(InvoiceType)

    @classmethod
    def perform(cls, info, user, *, number):
        return cls.success(invoice=services.issue(_request(user, number), user))


class RejectInvoiceRequest(PlatformMutation):
    allowed = staticmethod(may_manage_finance)

    class Arguments:
        number = graphene.String(required=True)
        reason = graphene.String(required=True)

    invoice_request = graphene.Field(InvoiceRequestType)

    @classmethod
    def perform(cls, info, user, *, number, reason):
        services.reject(_request(user, number), reason, user)
        return cls.success(invoice_request=_request(user, number))


class ConfirmInvoice(PlatformMutation):
    allowed = staticmethod(lambda user: company_for_finance(user) is not None)

    class Arguments:
        number = graphene.String(required=True)

    invoice = graphene.Field(InvoiceType)

    @classmethod
    def perform(cls, info, user, *, number):
        return cls.success(invoice=services.confirm_received(_invoice(user, number), user))


class RequestRedInvoice(PlatformMutation):
    """A red-letter request of a blue invoice: for an executed refund, or none (invoicing error)."""

    allowed = staticmethod(lambda user: may_manage_finance(user) or company_for_finance(user) is not None)
    error_fields = {"invoice": "number", "refund": "refund_number"}

    class Arguments:
        number = graphene.String(required=True, description="The blue invoice's 20-digit number.")
        refund_number = graphene.String()
        note = graphene.String(default_value="")

    invoice_request = graphene.Field(InvoiceRequestType)

    @classmethod
    def perform(cls, info, user, *, number, refund_number=None, note=""):
        invoice = _invoice(user, number)
        refund = None
        if refund_number:
            refund = cls.lookup(
                Refund.objects.filter(company_id=invoice.request.company_id), "refund_number", number=refund_number
            )
        made = services.request_red(invoice, refund=refund, by=user, note=note)
        return cls.success(invoice_request=_request(user, made.number))


class Mutation(graphene.ObjectType):
    request_invoice = RequestInvoice.Field()
    issue_invoice = IssueInvoice.Field()
    reject_invoice_request = RejectInvoiceRequest.Field()
    confirm_invoice = ConfirmInvoice.Field()
    request_red_invoice = RequestRedInvoice.Field()
