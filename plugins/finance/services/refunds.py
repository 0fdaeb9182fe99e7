"""退款单: request, approve or reject, execute to the original method; allocation to supplier
orders; clawback after settlement. The only code that writes refunds.

Lifecycle (``MACHINE``): requested → approved → refunded, requested/approved → rejected. Every
step locks the order row first (``SELECT … FOR UPDATE``; the kernel's payment, cancellation and
receipts lock the same row) and re-checks the ceiling under that lock, so two concurrent requests
over what was received cannot both pass, and a cancellation in between is seen.

Ceiling (selectors.refunds): requested + approved + refunded ≤ received for the order; per line,
quantities ≤ the line's quantity and amounts ≤ its price; freight ≤ the order's shipping charge.

Allocation: each refund line's amount belongs to the live supplier order holding that line; the
freight share is split over the order's live supplier orders by their freight with the kernel's
largest-remainder ``allocate`` (none when no supplier order carries freight: the platform's own
shipping charge). Each supplier order's commission share is the commission on its goods at the
rates of ``services.commission`` (per line, rounded per supplier order as settlement does).

Executing posts (chart.py, "Refunds"): a transfer Dr 6001 / Cr 1002; on account member_tiers'
credit refund for what the order still owes and Dr 6001 / Cr 2203 for the rest (then Dr 2203 /
Cr 1002 when it is paid back by transfer); an order cancelled before the refund was executed had
its money moved to 2203 already, so the refund pays it out Dr 2203 / Cr 1002. A share of a
supplier order already settled (a SettlementLine in a confirmed or paid batch) is clawed back:
``clawback:<allocation id>``.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.money import ZERO, allocate, fen, to_fen
from core.numbering import next_number
from core.orders import status as order_status
from core.statemachine import StateMachine
from plugins.finance import chart
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.models import JournalEntry, Posting, Refund, RefundAllocation, RefundLine, SettlementLine
from plugins.finance.selectors import refunds as selectors
from plugins.finance.services.commission import rate_table
from plugins.finance.services.ledger import account, post

Order = get_model("order", "Order")
Line = get_model("order", "Line")

S = Refund.State
MACHINE = StateMachine(
    name="refund",
    transitions={
        S.REQUESTED: frozenset({S.APPROVED, S.REJECTED}),
        S.APPROVED: frozenset({S.REFUNDED, S.REJECTED}),
        S.REFUNDED: frozenset(),
        S.REJECTED: frozenset(),
    },
    labels=dict(S.choices),
    subject=gettext_lazy("Refund %(subject)s"),
    timestamps={S.APPROVED: "decided_at", S.REJECTED: "decided_at", S.REFUNDED: "refunded_at"},
)
#: supplier-order states whose parts no longer belong to a supplier (nothing to claw back)
DEAD_PARTS = ("rejected", "cancelled")
#: settlement batch states in which a supplier order counts as settled
SETTLED_BATCHES = ("confirmed", "paid")


class RefundError(ValidationError):
    """A refund refused; nothing was changed."""


@dataclass(frozen=True)
class LineRequest:
    """One line of a request: an order line, how many come back (0: an allowance on its price)
    and the amount (None: unit price × quantity)."""

    order_line: object
    quantity: int
    amount: Decimal | None = None


def _as_amount(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value).strip() if value is not None else "0")
    except (InvalidOperation, ValueError):
        raise RefundError({field: _("Enter an amount such as 12.50.")}) from None
    if not amount.is_finite():
        raise RefundError({field: _("Enter an amount such as 12.50.")})
    if amount != amount.quantize(Decimal("0.01")):
        raise RefundError({field: _("Amounts are in yuan to the fen (two decimals at most).")})
    return fen(amount)


def _locked_order(order) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order.pk)


def may_request(user, order) -> bool:
    """Operators may request a refund for any order; a company's 财务/admin for its own orders."""
    from core.access import is_operator

    if is_operator(user):
        return True
    company = company_for_finance(user) if getattr(user, "is_authenticated", False) else None
    return company is not None and order.company_id == company.pk


def _require_finance(by) -> None:
    if not may_manage_finance(by):
        raise PermissionDenied(_("Only the finance team may approve, reject or pay out refunds."))


def _full_order_lines(order) -> list[LineRequest]:
    return [LineRequest(line, line.quantity, fen(line.line_price_incl_tax)) for line in order.lines.order_by("id")]


def request_refund(
    order,
    *,
    reason: str,
    lines: Sequence[LineRequest | tuple] = (),
    freight_amount: Decimal | str | None = ZERO,
    note: str = "",
    by,
    system: bool = False,
) -> Refund:
    """A refund request for ``order``; RefundError naming the field when it is not possible,
    PermissionDenied when ``by`` may not ask for this order. Nothing is written on refusal.
    ``system``: a refund another process owes the buyer (an after-sales request the supplier
    approved, plugins.aftersales): no person asks for it, finance still approves and pays it."""
    if not system and (by is None or not may_request(by, order)):
        raise PermissionDenied(_("You may not request a refund for this order."))
    if reason not in Refund.Reason.values:
        raise RefundError({"reason": _("Choose a reason: sales return, sales allowance or invoicing error.")})
    requested = [line if isinstance(line, LineRequest) else LineRequest(*line) for line in lines]
    freight = _as_amount(freight_amount if freight_amount not in (None, "") else "0", "freight_amount")
    with transaction.atomic():
        order = _locked_order(order)
        if reason == Refund.Reason.INVOICE_ERROR:
            # 开票有误: the whole order comes back (a full red-letter invoice follows)
            if selectors.committed_for_order(order) > ZERO:
                raise RefundError(
                    {"reason": _("An invoicing error refunds the whole order; this order has refunds already.")}
                )
            requested = _full_order_lines(order)
            freight = fen(order.shipping_incl_tax or ZERO)
        refund_lines, goods = _checked_lines(order, requested, reason)
        freight_left = fen(order.shipping_incl_tax or ZERO) - selectors.freight_committed(order)
        if freight < 0:
            raise RefundError({"freight_amount": _("The freight share cannot be negative.")})
        if freight > freight_left:
            raise RefundError(
                {
                    "freight_amount": _("At most ¥%(left)s of freight can still be refunded for this order.")
                    % {"left": max(freight_left, ZERO)}
                }
            )
        amount = goods + freight
        if amount <= 0:
            raise RefundError({"lines": _("Choose the lines or the freight to refund; the refund is ¥0.00.")})
        _check_ceiling(order, amount)
        refund = Refund.objects.create(
            number=next_number(Refund, "TK"),
            order=order,
            company_id=order.company_id,
            reason=reason,
            note=(note or "").strip(),
            goods_amount=goods,
            freight_amount=freight,
            amount=amount,
            method=selectors.method_of(order),
            requested_by=by if getattr(by, "pk", None) else None,
        )
        for line in refund_lines:
            line.refund = refund
        RefundLine.objects.bulk_create(refund_lines)
        _allocate(refund, order, refund_lines, freight)
    return refund


def _checked_lines(order, requested: list[LineRequest], reason: str) -> tuple[list[RefundLine], Decimal]:
    order_lines = {line.pk: line for line in order.lines.all()}
    taken = selectors.lines_committed(order)
    seen: set[int] = set()
    rows: list[RefundLine] = []
    for item in requested:
        line_id = getattr(item.order_line, "pk", item.order_line)
        line = order_lines.get(line_id)
        if line is None:
            raise RefundError({"lines": _("A line of another order cannot be refunded here.")})
        if line_id in seen:
            raise RefundError({"lines": _("Line “%(title)s” is listed twice.") % {"title": line.title}})
        seen.add(line_id)
        try:
            quantity = int(item.quantity)
        except (TypeError, ValueError):
            raise RefundError({"lines": _("Quantities are whole numbers.")}) from None
        if quantity < 0:
            raise RefundError({"lines": _("Quantities cannot be negative.")})
        before = taken.get(line_id, selectors.LineTaken())
        if quantity > line.quantity - before.quantity:
            raise RefundError(
                {
                    "lines": _("“%(title)s”: at most %(left)d can still be returned (ordered %(ordered)d).")
                    % {"title": line.title, "left": line.quantity - before.quantity, "ordered": line.quantity}
                }
            )
        if item.amount is None or item.amount == "":
            if quantity == 0:
                continue
            line_left = fen(line.line_price_incl_tax) - before.amount
            if quantity == line.quantity - before.quantity:
                amount = line_left  # the rest of the line: no rounding left behind
            else:
                amount = min(_worth(line, quantity), line_left)
        else:
            amount = _as_amount(item.amount, "lines")
        if quantity == 0 and amount == 0:
            continue
        if amount <= 0:
            raise RefundError({"lines": _("“%(title)s”: the amount must be positive.") % {"title": line.title}})
        if quantity == 0 and reason == Refund.Reason.RETURN:
            raise RefundError(
                {"lines": _("“%(title)s”: a sales return gives back goods; enter a quantity.") % {"title": line.title}}
            )
        line_left = fen(line.line_price_incl_tax) - before.amount
        if 0 < quantity < line.quantity - before.quantity:
            worth = _worth(line, quantity)
            if amount > worth:
                raise RefundError(
                    {
                        "lines": _("“%(title)s”: %(quantity)d × ¥%(price)s is at most ¥%(worth)s.")
                        % {"title": line.title, "quantity": quantity, "price": _worth(line, 1), "worth": worth}
                    }
                )
        if amount > line_left:
            raise RefundError(
                {
                    "lines": _("“%(title)s”: at most ¥%(left)s can still be refunded for this line.")
                    % {"title": line.title, "left": max(line_left, ZERO)}
                }
            )
        rows.append(RefundLine(order_line=line, quantity=quantity, amount=amount))
    return rows, fen(sum((row.amount for row in rows), ZERO))


def _worth(line, quantity: int) -> Decimal:
    """What ``quantity`` of the line was sold for: its share of the line's price after the order's
    discounts (Oscar's unit price is the price before them), to the fen."""
    if not line.quantity:
        return ZERO
    return fen(Decimal(line.line_price_incl_tax) * quantity / line.quantity)


def _check_ceiling(order, amount: Decimal, *, excluding: int | None = None) -> None:
    received = selectors.received_for_order(order)
    committed = selectors.committed_for_order(order, excluding=excluding)
    if committed + amount > received:
        raise RefundError(
            {
                "amount": _(
                    "Refunds of order %(number)s cannot exceed what was received: received ¥%(received)s, "
                    "refunds ¥%(committed)s, at most ¥%(left)s more."
                )
                % {
                    "number": order.number,
                    "received": received,
                    "committed": committed,
                    "left": max(received - committed, ZERO),
                }
            },
            code="above_received",
        )


def _live_parts(order) -> dict[int, object]:
    """order line id → the live supplier order holding it (a re-routed part: its replacement)."""
    from plugins.s2b2b_orders.models import SupplierOrderLine

    rows = (
        SupplierOrderLine.objects.filter(supplier_order__order_id=order.pk, supplier_order__replaced_by__isnull=True)
        .exclude(supplier_order__state__in=DEAD_PARTS)
        .select_related("supplier_order")
    )
    return {row.order_line_id: row.supplier_order for row in rows}


def _allocate(refund: Refund, order, refund_lines: list[RefundLine], freight: Decimal) -> list[RefundAllocation]:
    """RefundAllocation per supplier order: its lines' amounts, its largest-remainder share of the
    freight by freight, and the commission on its goods (none without supplier orders)."""
    from django.apps import apps

    if not apps.is_installed("plugins.s2b2b_orders"):
        return []
    from plugins.s2b2b_orders.models import SupplierOrder

    part_of_line = _live_parts(order)
    goods: dict[int, Decimal] = {}
    parts: dict[int, object] = {}
    for row in refund_lines:
        part = part_of_line.get(row.order_line_id)
        if part is None:
            continue
        parts[part.pk] = part
        goods[part.pk] = goods.get(part.pk, ZERO) + row.amount
    freights: dict[int, Decimal] = {}
    if freight > 0:
        carriers = list(
            SupplierOrder.objects.filter(order_id=order.pk, replaced_by__isnull=True, freight__gt=0)
            .exclude(state__in=DEAD_PARTS)
            .order_by("sequence", "id")
        )
        if carriers:
            freights = allocate(freight, [(so.pk, so.freight) for so in carriers])
            parts.update({so.pk: so for so in carriers})
    if not parts:
        return []
    lines_by_part: dict[int, list[RefundLine]] = {}
    for row in refund_lines:
        part = part_of_line.get(row.order_line_id)
        if part is not None:
            lines_by_part.setdefault(part.pk, []).append(row)
    products = {row.order_line.product_id for row in refund_lines if row.order_line.product_id}
    rates = rate_table({part.partner_id for part in parts.values()}, products)
    made = []
    for part_id, part in sorted(parts.items()):
        rows = lines_by_part.get(part_id, [])
        exact = sum((row.amount * rates.rate(part.partner_id, row.order_line.product_id) for row in rows), Decimal(0))
        part_goods, part_freight = goods.get(part_id, ZERO), freights.get(part_id, ZERO)
        if part_goods == 0 and part_freight == 0:
            continue
        made.append(
            RefundAllocation(
                refund=refund, supplier_order=part, goods=part_goods, freight=part_freight, commission=fen(exact)
            )
        )
    return RefundAllocation.objects.bulk_create(made)


def approve(refund: Refund, by) -> Refund:
    """Finance approves: the ceiling is checked again under the order's lock (the order may have
    been cancelled, a receipt voided, since it was requested)."""
    _require_finance(by)
    with transaction.atomic():
        order = _locked_order(refund.order)
        current = Refund.objects.get(pk=refund.pk)
        MACHINE.check(current, S.APPROVED)
        _check_ceiling(order, current.amount, excluding=current.pk)
        return MACHINE.transition(refund, S.APPROVED, actor=by, via="back office", changes={"decided_by": by})


def reject(refund: Refund, reason: str, by) -> Refund:
    reason = (reason or "").strip()
    _require_finance(by)
    if not reason:
        raise RefundError({"reason": _("Say why the refund is rejected.")})
    with transaction.atomic():
        _locked_order(refund.order)
        return MACHINE.transition(
            refund,
            S.REJECTED,
            actor=by,
            via="back office",
            reason=reason,
            changes={"decided_by": by, "rejection_reason": reason[:255]},
        )


def execute(refund: Refund, *, payout_reference: str = "", by) -> Refund:
    """Pay an approved refund back the way the order was paid (see the module docstring);
    RefundError when it cannot be (nothing changes)."""
    _require_finance(by)
    reference = (payout_reference or "").strip()
    with transaction.atomic():
        order = _locked_order(refund.order)
        current = Refund.objects.select_for_update().get(pk=refund.pk)
        MACHINE.check(current, S.REFUNDED)
        _check_ceiling(order, current.amount, excluding=current.pk)
        cancelled = order.status == order_status.CANCELLED
        if (current.method == Refund.Method.TRANSFER or cancelled) and not reference:
            message = (
                _(
                    "Order %(number)s was cancelled: its money is held for the company; "
                    "give the reference of the transfer that pays it back."
                )
                if cancelled
                else _("Give the reference of the bank transfer that pays the refund back.")
            )
            raise RefundError({"payout_reference": message % {"number": order.number}})
        if reference and Refund.objects.filter(payout_reference=reference).exclude(pk=current.pk).exists():
            raise RefundError(
                {"payout_reference": _("Payout reference “%(ref)s” was used for another refund.") % {"ref": reference}}
            )
        _post_refund(current, order, reference=reference, cancelled=cancelled, by=by)
        done = MACHINE.transition(
            current,
            S.REFUNDED,
            actor=by,
            via="back office",
            changes={"refunded_by": by, "payout_reference": reference},
        )
        _claw_back_settled(done, by=by)
    for f in Refund._meta.concrete_fields:
        setattr(refund, f.attname, getattr(done, f.attname))
    return refund


def _company_accounts(lines: list[tuple[str, int]], company_id: int | None) -> list:
    return [
        (account(code, company_id=company_id if chart.CHART[code].owner == chart.COMPANY else None), amount)
        for code, amount in lines
    ]


def _post_refund(refund: Refund, order, *, reference: str, cancelled: bool, by) -> None:
    cents = to_fen(refund.amount)
    memo = _("Refund %(number)s for order %(order)s") % {"number": refund.number, "order": order.number}
    common = dict(kind=chart.REFUND, memo=memo, order_number=order.number, by=by)
    if cancelled:
        # the cancellation already took the revenue back and holds the order's money in 2203
        post(
            key=f"refund:{refund.number}",
            lines=_company_accounts(chart.refund_lines(cents, debit=chart.UNAPPLIED), order.company_id),
            **common,
        )
        return
    if refund.method == Refund.Method.TRANSFER:
        post(key=f"refund:{refund.number}", lines=_company_accounts(chart.refund_lines(cents), None), **common)
        return
    to_credit = _restore_credit(refund, order, by=by)
    rest = cents - to_fen(to_credit)
    if rest > 0:
        post(
            key=f"refund:{refund.number}",
            lines=_company_accounts(chart.refund_lines(rest, credit=chart.UNAPPLIED), order.company_id),
            **common,
        )
        if reference:
            post(
                key=f"refund:{refund.number}:payout",
                lines=_company_accounts(chart.refund_lines(rest, debit=chart.UNAPPLIED), order.company_id),
                **common,
            )


def _restore_credit(refund: Refund, order, *, by) -> Decimal:
    """Restore credit for what the order still owes on its credit line (member_tiers' refund,
    which posts Dr 6001 / Cr 112201 through ``credit_moved``); returns the amount restored."""
    from plugins.member_tiers.models import CreditAccount, CreditEntry
    from plugins.member_tiers.services import credit

    account_id = (
        CreditEntry.objects.filter(kind=CreditEntry.PURCHASED, order_number=order.number)
        .values_list("account_id", flat=True)
        .first()
    )
    if account_id is None:
        return ZERO
    line = CreditAccount.objects.select_for_update().get(pk=account_id)
    owed = credit.outstanding_by_order(line).get(order.number, ZERO)
    amount = min(refund.amount, owed, line.balance)
    if amount <= 0:
        return ZERO
    credit.refund(
        line,
        amount,
        order_number=order.number,
        reason=_("Refund %(number)s") % {"number": refund.number},
        by=by if getattr(by, "pk", None) else None,
    )
    return amount


def settled_supplier_order_ids(ids) -> set[int]:
    """Supplier orders with a SettlementLine in a confirmed or paid batch."""
    return set(
        SettlementLine.objects.filter(supplier_order_id__in=list(ids), batch__state__in=SETTLED_BATCHES).values_list(
            "supplier_order_id", flat=True
        )
    )


def _claw_back_settled(refund: Refund, *, by) -> list[JournalEntry]:
    """Post ``clawback:<allocation id>`` for each share of a supplier order already settled."""
    from plugins.s2b2b_orders.models import SupplierOrder

    allocations = list(refund.allocations.select_related("supplier_order"))
    if not allocations:
        return []
    ids = [a.supplier_order_id for a in allocations]
    list(SupplierOrder.objects.select_for_update().filter(pk__in=ids).values_list("pk", flat=True))
    settled = settled_supplier_order_ids(ids)
    posted = []
    for allocation in allocations:
        if allocation.supplier_order_id not in settled:
            continue
        so = allocation.supplier_order
        lines = chart.clawback_lines(to_fen(allocation.goods + allocation.freight), to_fen(allocation.commission))
        posted.append(
            post(
                key=f"clawback:{allocation.pk}",
                kind=chart.CLAWBACK,
                lines=[
                    (account(code, supplier_id=so.partner_id if code == chart.PAYABLE else None), amount)
                    for code, amount in lines
                ],
                memo=_("Refund %(number)s clawed back from supplier order %(so)s")
                % {"number": refund.number, "so": so.number},
                order_number=refund.order.number,
                supplier_order_number=so.number,
                by=by,
            )
        )
    return posted


def order_cancelled(order, *, by=None) -> JournalEntry | None:
    """The order was cancelled after refunds were executed out of its revenue: the cancellation
    gives back (reverses or holds) the whole order, so what those refunds already paid back is
    taken out of the company's held money again (Dr 2203 / Cr 6001)."""
    cents = (
        Posting.objects.filter(
            entry__kind=chart.REFUND, entry__order_number=order.number, account__code=chart.REVENUE
        ).aggregate(s=Sum("amount"))["s"]
        or 0
    )
    if cents <= 0:
        return None
    return post(
        key=f"order:{order.number}:cancelled:refunds",
        kind=chart.REFUND,
        lines=_company_accounts([(chart.UNAPPLIED, cents), (chart.REVENUE, -cents)], order.company_id),
        memo=_("Order %(number)s cancelled after refunds: what was refunded is not held again")
        % {"number": order.number},
        order_number=order.number,
        by=by,
    )
