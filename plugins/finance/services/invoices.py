"""Invoices (发票, 数电票): requests for paid orders, issuing through the provider, the buyer's
confirmation, and red-letter invoices (红字确认单) after refunds. Invoices move no money: the
ledger already holds the sale; ``invoices.reconcile`` checks invoiced ≤ total − refunds per order.

Rules (DOMAIN-FACTS "Fapiao (数电票) and refunds"):

- a request covers paid, not cancelled orders of one company that no open blue request covers;
  its lines are the orders' goods lines net of refunds counted before invoicing, then their
  freight, as ``*简称*品名``; each line's tax is split from its tax-inclusive amount
  (``core.pricing.split_tax``: half up to the fen, amount + tax = the line's amount exactly);
- 增值税专用发票 needs all four invoicing details (name, tax number = USCC, address and phone,
  bank and account); a 普通发票 for an enterprise needs its tax number;
- every line needs its 19-digit tax classification code (category or product tax class);
- red-letter: while the buyer has not confirmed the blue invoice, a full red; after the buyer
  confirmed it, a partial red (negative quantities and amounts, positive unit price) only for a
  return (销售退回) or an allowance (销售折让); an invoicing error (开票有误) is always a full red,
  and after confirmation only the buyer may ask for it.

``request_*`` are for the company's 财务/admin (or finance operators on its behalf); ``issue``
and ``reject`` for operators of the finance group.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.money import fen
from core.numbering import next_number
from core.orders import status as order_status
from core.pricing import split_tax
from core.statemachine import StateMachine
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.invoices.providers import ProviderError, get_provider
from plugins.finance.models import Invoice, InvoiceLine, InvoiceRequest, Refund
from plugins.finance.selectors import invoices as selectors
from plugins.finance.selectors.invoices_tax import TaxClass, TaxTable

State = InvoiceRequest.State
Kind = InvoiceRequest.Kind
RedKind = InvoiceRequest.RedKind

MACHINE = StateMachine(
    name="invoice-request",
    transitions={
        State.REQUESTED: frozenset({State.ISSUED, State.REJECTED}),
        State.ISSUED: frozenset(),
        State.REJECTED: frozenset(),
    },
    labels=dict(State.choices),
    subject=gettext_lazy("Invoice request %(subject)s"),
)

ZERO = Decimal("0.00")
QUANTITY = Decimal("0.0001")
UNIT_PRICE = Decimal("0.00000001")


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


# -- invoicing details ------------------------------------------------------------------------


def missing_details(company, kind: str) -> list[str]:
    """The invoicing details ``kind`` needs that ``company`` lacks (their labels)."""
    need = [("invoice_title", _("invoice title")), ("tax_number", _("taxpayer identification number"))]
    if kind == Kind.SPECIAL:
        need += [
            ("invoice_address_phone", _("address and telephone")),
            ("invoice_bank_account", _("bank and account number")),
        ]
    return [label for name, label in need if not (getattr(company, name) or "").strip()]


def _check_details(company, kind: str) -> None:
    missing = missing_details(company, kind)
    if missing:
        what = _("a VAT special invoice") if kind == Kind.SPECIAL else _("a VAT normal invoice for a company")
        raise _error(
            "kind",
            _(
                "%(what)s needs the company's %(missing)s. Your company's administrator fills them in "
                "under Account → Invoices → Invoicing details."
            )
            % {"what": what, "missing": "、".join(missing)},
            "invoicing_details_missing",
        )


# -- lines --------------------------------------------------------------------------------------


@dataclass
class Draft:
    order_id: int
    order_line_id: int | None
    name: str
    quantity: Decimal
    incl_tax: Decimal
    tax: TaxClass

    def as_line(self, request: InvoiceRequest, sign: int = 1) -> InvoiceLine:
        amount, tax = split_tax(self.incl_tax, self.tax.rate)
        quantity = self.quantity.quantize(QUANTITY)
        unit_price = (amount / quantity).quantize(UNIT_PRICE) if quantity else Decimal(0)
        return InvoiceLine(
            request=request,
            order_id=self.order_id,
            order_line_id=self.order_line_id,
            name=self.name[:200],
            quantity=sign * quantity,
            unit_price=unit_price,
            amount=sign * amount,
            rate=self.tax.rate,
            tax=sign * tax,
            tax_code=self.tax.code,
        )


def _label(tax: TaxClass, title: str) -> str:
    return f"*{tax.short_name}*{title}" if tax.short_name else title


def _rate_of(line, table_class: TaxClass) -> TaxClass:
    """The class of an order line at the rate it was priced at (its ``tax_code``), the code and
    short name of today's class."""
    try:
        rate = Decimal(line.tax_code) if line.tax_code else table_class.rate
    except ArithmeticError:
        rate = table_class.rate
    return TaxClass(rate, table_class.code, table_class.short_name, table_class.source)


def order_drafts(orders) -> list[Draft]:
    """The goods lines of ``orders`` net of the refunds counted so far, then each order's freight
    (taxed as the goods it carries: the class of its largest goods line)."""
    Line = get_model("order", "Line")
    order_ids = [o.pk for o in orders]
    lines = list(
        Line.objects.filter(order_id__in=order_ids)
        .select_related("product", "product__parent")
        .order_by("order_id", "id")
    )
    refunds = Refund.objects.filter(order_id__in=order_ids, state__in=selectors.COUNTED_REFUNDS)
    refunded_qty: dict[int, int] = {}
    refunded_amount: dict[int, Decimal] = {}
    refunded_freight: dict[int, Decimal] = {}
    for refund in refunds.prefetch_related("lines"):
        refunded_freight[refund.order_id] = refunded_freight.get(refund.order_id, ZERO) + refund.freight_amount
        for rl in refund.lines.all():
            refunded_qty[rl.order_line_id] = refunded_qty.get(rl.order_line_id, 0) + rl.quantity
            refunded_amount[rl.order_line_id] = refunded_amount.get(rl.order_line_id, ZERO) + rl.amount
    table = TaxTable()
    classes = table.classes([line.product for line in lines if line.product_id])
    fallback = TaxClass(Decimal(0), "", "", "default")
    drafts: list[Draft] = []
    largest: dict[int, Draft] = {}
    for line in lines:
        tax = _rate_of(line, classes.get(line.product_id, fallback) if line.product_id else fallback)
        quantity = Decimal(line.quantity - refunded_qty.get(line.pk, 0))
        incl = fen(line.line_price_incl_tax - refunded_amount.get(line.pk, ZERO))
        if incl <= 0:
            continue
        draft = Draft(line.order_id, line.pk, _label(tax, line.title), max(quantity, Decimal(0)), incl, tax)
        drafts.append(draft)
        if line.order_id not in largest or incl > largest[line.order_id].incl_tax:
            largest[line.order_id] = draft
    for order in orders:
        freight = fen(order.shipping_incl_tax - refunded_freight.get(order.pk, ZERO))
        goods = largest.get(order.pk)
        if freight > 0 and goods is not None:
            drafts.append(Draft(order.pk, None, _label(goods.tax, _("Freight")), Decimal(1), freight, goods.tax))
    return drafts


def _check_codes(drafts: list[Draft]) -> None:
    missing = sorted({d.name for d in drafts if not d.tax.code})
    if missing:
        raise _error(
            "orders",
            _(
                "These goods have no tax classification code yet: %(names)s. The platform's finance sets it "
                "under Finance → Tax rates before the invoice can be requested."
            )
            % {"names": "、".join(missing)},
            "tax_code_missing",
        )


def _totals(request: InvoiceRequest, lines: list[InvoiceLine]) -> None:
    request.amount_excl_tax = sum((line.amount for line in lines), ZERO)
    request.tax = sum((line.tax for line in lines), ZERO)
    request.amount_incl_tax = request.amount_excl_tax + request.tax


def _check_requester(company, by) -> None:
    if may_manage_finance(by):
        return
    mine = company_for_finance(by)
    if mine is None or mine.pk != company.pk:
        raise PermissionDenied(_("Only the company's finance staff or administrator may request its invoices."))


# -- blue invoices --------------------------------------------------------------------------------


def request_invoice(company, orders, kind: str, by, *, note: str = "") -> InvoiceRequest:
    """A blue invoice request for ``orders`` (paid orders of ``company`` not invoiced yet)."""
    _check_requester(company, by)
    if kind not in Kind.values:
        raise _error("kind", _("Choose the invoice type: VAT special invoice or VAT normal invoice."), "invalid")
    _check_details(company, kind)
    order_ids = sorted({o.pk for o in orders})
    if not order_ids:
        raise _error("orders", _("Choose at least one paid order to invoice."), "required")
    Order = get_model("order", "Order")
    with transaction.atomic():
        locked = list(Order.objects.select_for_update().filter(pk__in=order_ids).order_by("pk"))
        if len(locked) != len(order_ids) or any(o.company_id != company.pk for o in locked):
            raise _error("orders", _("Only the company's own orders can be invoiced."), "not_yours")
        allowed = set(selectors.invoiceable_orders(company).filter(pk__in=order_ids).values_list("pk", flat=True))
        refused = [o.number for o in locked if o.pk not in allowed]
        if refused:
            raise _error(
                "orders",
                _("Orders %(numbers)s are not paid, were cancelled or are invoiced already.")
                % {"numbers": "、".join(refused)},
                "not_invoiceable",
            )
        drafts = order_drafts(locked)
        if not drafts:
            raise _error("orders", _("Nothing is left to invoice on these orders (refunded)."), "nothing_left")
        _check_codes(drafts)
        request = InvoiceRequest(
            number=next_number(InvoiceRequest, "KP"),
            company=company,
            kind=kind,
            buyer_name=(company.invoice_title or company.legal_name).strip(),
            buyer_tax_number=(company.tax_number or company.uscc).strip(),
            buyer_address_phone=company.invoice_address_phone.strip(),
            buyer_bank_account=company.invoice_bank_account.strip(),
            note=note.strip()[:200],
            requested_by=by if getattr(by, "is_authenticated", False) else None,
        )
        lines = [d.as_line(request) for d in drafts]
        _totals(request, lines)
        request.save()
        request.orders.set(locked)
        InvoiceLine.objects.bulk_create(lines)
    return request


def issue(request: InvoiceRequest, by) -> Invoice:
    """Issue ``request`` through the provider (finance operators): the invoice, its lines and PDF."""
    if not may_manage_finance(by):
        raise PermissionDenied(_("Only the platform's finance staff may issue invoices."))
    with transaction.atomic():
        locked = InvoiceRequest.objects.select_for_update().get(pk=request.pk)
        MACHINE.check(locked, State.ISSUED)
        if locked.red_kind:
            _check_red_still_fits(locked)
        else:
            cancelled = [o.number for o in locked.orders.select_for_update().filter(status=order_status.CANCELLED)]
            if cancelled:
                raise _error(
                    "state",
                    _("Order %(numbers)s was cancelled after the request: reject the request instead.")
                    % {"numbers": "、".join(cancelled)},
                    "order_cancelled",
                )
        now = timezone.now()
        lines = list(locked.lines.all())
        provider = get_provider()
        try:
            issued = provider.issue(locked, lines=lines, issued_at=now)
        except ProviderError as exc:
            raise _error("state", _("The invoicing service refused: %(reason)s") % {"reason": exc}, "provider") from exc
        if not (len(issued.number) == 20 and issued.number.isdigit()):
            raise _error("state", _("The invoicing service returned an invalid invoice number."), "provider")
        if Invoice.objects.filter(number=issued.number).exists():
            message = _("Invoice number %(number)s exists already.") % {"number": issued.number}
            raise _error("state", message, "provider")
        invoice = Invoice(
            request=locked,
            number=issued.number,
            kind=locked.kind,
            is_red=bool(locked.red_kind),
            issued_at=now,
            provider=str(getattr(provider, "name", type(provider).__name__))[:32],
            amount_excl_tax=locked.amount_excl_tax,
            tax=locked.tax,
            amount_incl_tax=locked.amount_incl_tax,
        )
        invoice.pdf.save(f"{issued.number}.pdf", ContentFile(issued.pdf_bytes), save=False)
        invoice.save()
        locked.lines.update(invoice=invoice)
        MACHINE.transition(
            locked, State.ISSUED, actor=by, now=now, changes={"decided_by": by, "decided_at": now}, lock=False
        )
    request.refresh_from_db()
    return invoice


def reject(request: InvoiceRequest, reason: str, by) -> InvoiceRequest:
    if not may_manage_finance(by):
        raise PermissionDenied(_("Only the platform's finance staff may reject invoice requests."))
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Give the reason for rejecting the request."), "required")
    now = timezone.now()
    return MACHINE.transition(
        request,
        State.REJECTED,
        actor=by,
        reason=reason,
        now=now,
        changes={"decided_by": by, "decided_at": now, "rejection_reason": reason[:255]},
    )


def confirm_received(invoice: Invoice, by) -> Invoice:
    """The buyer confirms the blue invoice (用途确认): afterwards only partial reds for returns
    and allowances, or a full red the buyer asks for."""
    company = company_for_finance(by)
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().select_related("request").get(pk=invoice.pk)
        if company is None or locked.request.company_id != company.pk:
            raise PermissionDenied(_("Only the buyer's finance staff or administrator may confirm its invoices."))
        if locked.is_red:
            raise _error("invoice", _("A red-letter invoice is not confirmed."), "red")
        if locked.buyer_confirmed_at is not None:
            raise _error("invoice", _("The invoice was confirmed already."), "confirmed")
        if locked.red_requests.filter(red_kind=RedKind.FULL).exclude(state=State.REJECTED).exists():
            raise _error("invoice", _("The invoice is being reversed by a full red-letter invoice."), "reversed")
        locked.buyer_confirmed_at = timezone.now()
        locked.buyer_confirmed_by = by
        locked.save(update_fields=["buyer_confirmed_at", "buyer_confirmed_by"])
    invoice.buyer_confirmed_at, invoice.buyer_confirmed_by = locked.buyer_confirmed_at, by
    return invoice


# -- red-letter -------------------------------------------------------------------------------------


def _check_red_still_fits(red: InvoiceRequest) -> None:
    """A red request may not take back more than its blue invoice has left."""
    blue = red.blue_invoice
    others = -(
        sum(
            (r.amount_incl_tax for r in blue.red_requests.filter(state=State.ISSUED).exclude(pk=red.pk)),
            ZERO,
        )
    )
    if others - red.amount_incl_tax > blue.amount_incl_tax:
        raise _error("refund", _("The red-letter invoices would exceed the blue invoice."), "exceeds_blue")


def red_kind_for(invoice: Invoice, refund: Refund | None) -> str:
    """FULL or PARTIAL by the rules, or a ValidationError saying why neither is allowed."""
    if refund is None or refund.reason == Refund.Reason.INVOICE_ERROR:
        return RedKind.FULL
    if invoice.buyer_confirmed_at is None:
        return RedKind.FULL
    if refund.reason in (Refund.Reason.RETURN, Refund.Reason.ALLOWANCE):
        return RedKind.PARTIAL
    raise _error("refund", _("This refund cannot be offset by a red-letter invoice."), "red_not_allowed")


def request_red(invoice: Invoice, *, refund: Refund | None, by, note: str = "") -> InvoiceRequest:
    """A red-letter request (红字确认单) offsetting ``invoice`` for ``refund`` (None: an invoicing
    error without money given back, always a full red).

    Full red: the whole blue invoice, negated (its orders may then be invoiced again, net of the
    refund). Partial red: the refund's lines (negative quantities of returned goods, an allowance
    without quantity) and freight, at their lines' rates."""
    with transaction.atomic():
        blue = Invoice.objects.select_for_update().select_related("request", "request__company").get(pk=invoice.pk)
        company = blue.request.company
        operator = may_manage_finance(by)
        mine = company_for_finance(by)
        is_buyer = mine is not None and mine.pk == company.pk
        if by is not None and not (operator or is_buyer):
            raise PermissionDenied(
                _("Only the platform's finance staff or the buyer may ask for a red-letter invoice.")
            )
        if blue.is_red:
            raise _error("invoice", _("A red-letter invoice cannot itself be offset."), "red")
        live = blue.red_requests.exclude(state=State.REJECTED)
        if live.filter(red_kind=RedKind.FULL).exists():
            raise _error("invoice", _("The invoice is fully reversed already."), "reversed")
        if refund is not None:
            refund = Refund.objects.select_for_update().get(pk=refund.pk)
            if refund.state != Refund.State.REFUNDED:
                raise _error("refund", _("Only a refund that was paid back can be offset."), "refund_not_executed")
            if not blue.request.orders.filter(pk=refund.order_id).exists():
                raise _error("refund", _("The refund is for an order this invoice does not cover."), "other_order")
            if InvoiceRequest.objects.filter(refund=refund).exclude(state=State.REJECTED).exists():
                raise _error("refund", _("This refund has a red-letter request already."), "duplicate")
        kind = red_kind_for(blue, refund)
        if kind == RedKind.FULL and blue.buyer_confirmed_at is not None and not is_buyer:
            raise _error(
                "refund",
                _(
                    "The buyer confirmed this invoice: only the buyer may ask for a full red-letter invoice; "
                    "returns and allowances are offset in part."
                ),
                "buyer_confirmed",
            )
        request = InvoiceRequest(
            number=next_number(InvoiceRequest, "KP"),
            company=company,
            kind=blue.kind,
            red_kind=kind,
            blue_invoice=blue,
            refund=refund,
            buyer_name=blue.request.buyer_name,
            buyer_tax_number=blue.request.buyer_tax_number,
            buyer_address_phone=blue.request.buyer_address_phone,
            buyer_bank_account=blue.request.buyer_bank_account,
            note=(note or "").strip()[:200],
            requested_by=by if getattr(by, "is_authenticated", False) else None,
        )
        if kind == RedKind.FULL:
            lines = [_negated(line, request) for line in blue.lines.all()]
        else:
            lines = _partial_lines(blue, refund, request)
        _totals(request, lines)
        left = blue.amount_incl_tax - selectors.red_total(blue)
        if -request.amount_incl_tax > left:
            raise _error(
                "refund",
                _("The red-letter amount %(amount)s exceeds what the invoice has left (%(left)s).")
                % {"amount": -request.amount_incl_tax, "left": left},
                "exceeds_blue",
            )
        request.save()
        request.orders.set(blue.request.orders.all() if kind == RedKind.FULL else [refund.order_id])
        InvoiceLine.objects.bulk_create(lines)
    return request


def _negated(line: InvoiceLine, request: InvoiceRequest) -> InvoiceLine:
    return InvoiceLine(
        request=request,
        order_id=line.order_id,
        order_line_id=line.order_line_id,
        name=line.name,
        specification=line.specification,
        unit=line.unit,
        quantity=-line.quantity,
        unit_price=line.unit_price,
        amount=-line.amount,
        rate=line.rate,
        tax=-line.tax,
        tax_code=line.tax_code,
    )


def _partial_lines(blue: Invoice, refund: Refund, request: InvoiceRequest) -> list[InvoiceLine]:
    blue_lines = {line.order_line_id: line for line in blue.lines.filter(order_id=refund.order_id)}
    freight_line = next((line for line in blue_lines.values() if line.order_line_id is None), None)
    lines = []
    for rl in refund.lines.all():
        source = blue_lines.get(rl.order_line_id)
        if source is None:
            raise _error("refund", _("A refunded line is not on this invoice."), "line_not_invoiced")
        tax = TaxClass(source.rate, source.tax_code, "", "invoice")
        quantity = Decimal(rl.quantity) if refund.reason == Refund.Reason.RETURN else Decimal(0)
        draft = Draft(refund.order_id, rl.order_line_id, source.name, quantity, rl.amount, tax)
        lines.append(draft.as_line(request, sign=-1))
    if refund.freight_amount > 0:
        if freight_line is None:
            raise _error("refund", _("The refunded freight is not on this invoice."), "line_not_invoiced")
        tax = TaxClass(freight_line.rate, freight_line.tax_code, "", "invoice")
        draft = Draft(refund.order_id, None, freight_line.name, Decimal(0), refund.freight_amount, tax)
        lines.append(draft.as_line(request, sign=-1))
    if not lines:
        raise _error("refund", _("The refund has no lines to offset."), "empty")
    return lines


def red_for_refund(refund: Refund) -> InvoiceRequest | None:
    """An executed refund's red-letter request, made by the system when an issued blue invoice
    covers its order and the rules allow it without the buyer (otherwise the buyer asks for it)."""
    blue = (
        Invoice.objects.filter(is_red=False, request__orders=refund.order_id, request__state=State.ISSUED)
        .exclude(red_requests__red_kind=RedKind.FULL, red_requests__state__in=[State.REQUESTED, State.ISSUED])
        .order_by("-issued_at")
        .first()
    )
    if blue is None:
        return None
    try:
        return request_red(blue, refund=refund, by=None)
    except ValidationError:
        return None
