"""After-sales requests (售后): open, decide, send back, receive, refund. The only code that writes
them.

===================  ==========================================  ===================================
from                 to                                          by
===================  ==========================================  ===================================
requested            approved, rejected (reason required)        the supplier (portal, API)
requested            cancelled                                   the buyer
approved             goods sent back (退货退款)                    the buyer (carrier, tracking number)
approved             refunding / refunded (仅退款)                 on approval, at once
approved             closed (换货: replacement shipped)            the supplier (carrier, tracking)
goods sent back      returned goods received                     the supplier
received             refunding / refunded                        at once
refunding            refunded; closed (finance rejected)         finance's refund (receivers.py)
===================  ==========================================  ===================================

"refunding" means finance's refund (退款单) was requested and waits for the finance team to
approve and pay it out; without finance the request goes straight to refunded.

Opening a request (``create_request``) is refused, naming the field, unless the supplier's part
is delivered or completed, within ``AFTERSALES_WINDOW_DAYS`` of its delivery (of its completion,
when the buyer confirmed receipt), every quantity within what was delivered less what earlier
requests (not rejected or cancelled) took, and the refund within what was paid for those units
less what was refunded or is being refunded already. The supplier order row is locked first and
everything is re-checked under the lock, so two requests at once cannot take the same units.
"""

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.files import NOT_IMAGE_OR_PDF, TOO_BIG, document_problem
from core.money import ZERO, allocate, fen
from core.numbering import next_number
from core.orders import status as order_status
from core.shipments import shipments
from core.statemachine import StateMachine, Step, record_transition
from plugins.aftersales.models import (
    BEFORE_FINANCE,
    TAKEN_STATES,
    AfterSalesLine,
    AfterSalesPhoto,
    AfterSalesRequest,
    Kind,
    Reason,
    State,
)
from plugins.aftersales.services import finance_hook
from plugins.aftersales.services.notify import notify
from plugins.s2b2b_orders.models import SupplierOrder, SupplierOrderLine

VIA_STOREFRONT, VIA_PORTAL, VIA_API, VIA_SYSTEM = "storefront", "portal", "api", "system"
ELIGIBLE_PARTS = (order_status.PART_DELIVERED, order_status.PART_COMPLETED)
MAX_PHOTOS = 6
MAX_PHOTO_BYTES = 10 * 1024 * 1024
MAX_DESCRIPTION = 1000


def _record(step: Step):
    row = record_transition(step)
    notify(step.instance, step.to_state)
    return row


MACHINE = StateMachine(
    name="aftersales",
    transitions={
        State.REQUESTED: frozenset({State.APPROVED, State.REJECTED, State.CANCELLED}),
        State.APPROVED: frozenset({State.RETURN_SHIPPED, State.REFUNDING, State.REFUNDED, State.CLOSED}),
        State.RETURN_SHIPPED: frozenset({State.RETURN_RECEIVED}),
        State.RETURN_RECEIVED: frozenset({State.REFUNDING, State.REFUNDED}),
        State.REFUNDING: frozenset({State.REFUNDED, State.CLOSED}),
        State.REJECTED: frozenset(),
        State.CANCELLED: frozenset(),
        State.REFUNDED: frozenset(),
        State.CLOSED: frozenset(),
    },
    labels=dict(State.choices),
    subject=gettext_lazy("After-sales request %(subject)s"),
    timestamps={
        State.APPROVED: "decided_at",
        State.REJECTED: "decided_at",
        State.RETURN_SHIPPED: "return_shipped_at",
        State.RETURN_RECEIVED: "return_received_at",
        State.REFUNDED: "refunded_at",
        State.CLOSED: "closed_at",
        State.CANCELLED: "cancelled_at",
    },
    recorder=_record,
)


def window_days() -> int:
    return int(getattr(settings, "AFTERSALES_WINDOW_DAYS", 15))


def window_ends(so: SupplierOrder) -> datetime | None:
    """When the part's after-sales window closes: N days after it was completed (receipt
    confirmed) or else delivered; None while it is not delivered."""
    start = so.completed_at or so.delivered_at
    return start + timedelta(days=window_days()) if start else None


def taken_quantities(so: SupplierOrder) -> dict[int, int]:
    """supplier order line id → units held by the part's requests that were not rejected or cancelled."""
    rows = (
        AfterSalesLine.objects.filter(request__supplier_order_id=so.pk, request__state__in=TAKEN_STATES)
        .values_list("supplier_order_line_id")
        .annotate(q=Sum("quantity"))
        .order_by()
    )
    return {line_id: q or 0 for line_id, q in rows}


def committed_amounts(so: SupplierOrder) -> dict[int, Decimal]:
    """order line id → what is refunded or being refunded on it: finance's live refunds plus the
    requests not yet with finance (without finance: every request's amount, refunded or not)."""
    committed = dict(finance_hook.committed_by_line(so.order))
    states = BEFORE_FINANCE if finance_hook.installed() else TAKEN_STATES
    rows = (
        AfterSalesLine.objects.filter(request__order_id=so.order_id, request__state__in=states)
        .values_list("supplier_order_line__order_line_id")
        .annotate(a=Sum("amount"))
        .order_by()
    )
    for line_id, amount in rows:
        committed[line_id] = committed.get(line_id, ZERO) + fen(amount or ZERO)
    return committed


def paid_for(order_line, quantity: int) -> Decimal:
    """What ``quantity`` units of the order line were paid: its share of the line's price after
    the order's discounts, to the fen (all of them: the line's exact price)."""
    if not order_line.quantity:
        return ZERO
    if quantity >= order_line.quantity:
        return fen(order_line.line_price_incl_tax)
    return fen(Decimal(order_line.line_price_incl_tax) * quantity / order_line.quantity)


def eligibility_problem(so: SupplierOrder, *, now: datetime | None = None) -> str | None:
    """Why no request may be opened for ``so`` now, in the user's language; None when one may."""
    now = now or timezone.now()
    if so.state not in ELIGIBLE_PARTS:
        return _("Supplier order %(number)s is “%(state)s”: after-sales requests open once it is delivered.") % {
            "number": so.number,
            "state": so.get_state_display(),
        }
    ends = window_ends(so)
    if ends is not None and now > ends:
        return _(
            "The after-sales window of supplier order %(number)s closed on %(date)s (%(days)d days after delivery)."
        ) % {"number": so.number, "date": timezone.localtime(ends).strftime("%Y-%m-%d %H:%M"), "days": window_days()}
    return None


def _error(field: str, message: str, code: str = "invalid") -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _amount(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise _error("refund_amount", _("Enter an amount such as 12.50.")) from None
    if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
        raise _error("refund_amount", _("Amounts are in yuan to the fen (two decimals at most)."))
    if amount < 0:
        raise _error("refund_amount", _("The refund amount cannot be negative."))
    return fen(amount)


def _photo_problems(photos: Sequence) -> list[str]:
    if len(photos) > MAX_PHOTOS:
        return [_("At most %(n)d photos.") % {"n": MAX_PHOTOS}]
    problems = []
    for upload in photos:
        name = getattr(upload, "name", "") or ""
        problem = document_problem(upload, max_bytes=MAX_PHOTO_BYTES)
        if problem == TOO_BIG:
            problems.append(_("%(name)s is larger than 10 MB.") % {"name": name})
        elif problem == NOT_IMAGE_OR_PDF:
            problems.append(_("%(name)s is not an image or a PDF.") % {"name": name})
    return problems


def create_request(
    *,
    supplier_order: SupplierOrder,
    kind: str,
    reason: str,
    lines: Iterable[tuple[object, object]],
    description: str = "",
    refund_amount: Decimal | str | None = None,
    photos: Sequence = (),
    by,
    via: str = VIA_STOREFRONT,
    now: datetime | None = None,
) -> AfterSalesRequest:
    """Open a request for ``lines`` ((supplier order line or its id, quantity)) of the buyer's
    delivered part; ValidationError naming the field otherwise, and nothing is written. The
    caller has scoped ``supplier_order`` to the asker's orders."""
    now = now or timezone.now()
    description = (description or "").strip()
    if kind not in Kind.values:
        raise _error("kind", _("Choose the type: return and refund, exchange or refund only."), "invalid_choice")
    if reason not in Reason.values:
        raise _error("reason", _("Choose a reason."), "invalid_choice")
    if reason == Reason.OTHER and not description:
        raise _error("description", _("Describe the problem."), "required")
    if len(description) > MAX_DESCRIPTION:
        raise _error("description", _("At most %(n)d characters.") % {"n": MAX_DESCRIPTION}, "max_length")
    photos = list(photos or ())
    problems = _photo_problems(photos)
    if problems:
        raise ValidationError({"photos": [ValidationError(p, code="invalid") for p in problems]})
    asked_amount = _amount(refund_amount)
    if kind == Kind.EXCHANGE and asked_amount:
        raise _error("refund_amount", _("An exchange refunds nothing: leave the amount empty."))
    wanted: list[tuple[int, int]] = []
    for line, quantity in lines:
        line_id = getattr(line, "pk", line)
        try:
            line_id, quantity = int(line_id), int(quantity)
        except (TypeError, ValueError):
            raise _error("lines", _("Quantities are whole numbers.")) from None
        if quantity < 0:
            raise _error("lines", _("Quantities cannot be negative."))
        if quantity:
            wanted.append((line_id, quantity))
    if not wanted:
        raise _error("lines", _("Enter the quantity of at least one line."), "required")

    with transaction.atomic():
        # the part's row is the lock every request of the part queues on; re-read under it
        so = SupplierOrder.objects.select_for_update(of=("self",)).select_related("order").get(pk=supplier_order.pk)
        problem = eligibility_problem(so, now=now)
        if problem:
            raise _error("supplier_order", problem, "not_eligible")
        so_lines = {
            line.pk: line for line in SupplierOrderLine.objects.filter(supplier_order=so).select_related("order_line")
        }
        taken = taken_quantities(so)
        committed = committed_amounts(so)
        seen: set[int] = set()
        rows: list[tuple[SupplierOrderLine, int, Decimal]] = []
        for line_id, quantity in wanted:
            line = so_lines.get(line_id)
            if line is None:
                raise _error("lines", _("A line of another order cannot be part of this request."), "not_found")
            if line_id in seen:
                raise _error("lines", _("“%(name)s” is listed twice.") % {"name": line.name})
            seen.add(line_id)
            left = line.quantity - taken.get(line_id, 0)
            if quantity > left:
                raise _error(
                    "lines",
                    _("“%(name)s”: at most %(left)d can still be requested (delivered %(delivered)d).")
                    % {"name": line.name, "left": max(left, 0), "delivered": line.quantity},
                    "above_delivered",
                )
            order_line = line.order_line
            line_left = fen(order_line.line_price_incl_tax) - committed.get(order_line.pk, ZERO)
            rows.append((line, quantity, max(min(paid_for(order_line, quantity), line_left), ZERO)))
        ceiling = sum((cap for _line, _q, cap in rows), ZERO)
        if kind == Kind.EXCHANGE:
            amount = ZERO
        else:
            amount = ceiling if asked_amount is None else asked_amount
            if amount > ceiling:
                raise _error(
                    "refund_amount",
                    _("At most ¥%(max)s can be refunded for these units (what was paid for them less refunds).")
                    % {"max": ceiling},
                    "above_paid",
                )
            if amount <= 0:
                raise _error("refund_amount", _("Nothing is left to refund for these units."), "nothing_to_refund")
        shares = allocate(amount, [(line.pk, cap) for line, _q, cap in rows]) if amount else {}
        request = AfterSalesRequest.objects.create(
            number=next_number(AfterSalesRequest, "SH", now=now),
            supplier_order=so,
            order=so.order,
            partner_id=so.partner_id,
            kind=kind,
            reason=reason,
            description=description,
            refund_amount=amount,
            created_by=by if getattr(by, "pk", None) else None,
        )
        AfterSalesLine.objects.bulk_create(
            AfterSalesLine(request=request, supplier_order_line=line, quantity=q, amount=shares.get(line.pk, ZERO))
            for line, q, _cap in rows
        )
        for upload in photos:
            name = (getattr(upload, "name", "") or "photo")[-100:]
            AfterSalesPhoto.objects.create(request=request, file=_saved(upload, name), filename=name)
        _record(Step(MACHINE, request, "", State.REQUESTED, by, via, description[:200], now))
    return request


def _saved(upload, name):
    from django.core.files.base import File

    upload.seek(0)
    return File(upload, name=name)


def _transition(req: AfterSalesRequest, target: str, *, by, via: str, reason: str = "", changes=None, field=None):
    return MACHINE.transition(req, target, actor=by, via=via, reason=reason, changes=changes, field_name=field)


def _kind_check(req: AfterSalesRequest, kinds: tuple[str, ...], message: str) -> None:
    if req.kind not in kinds:
        raise _error("state", message % {"number": req.number, "kind": req.get_kind_display()}, "invalid_transition")


def cancel(req: AfterSalesRequest, *, by, via: str = VIA_STOREFRONT) -> AfterSalesRequest:
    """The buyer withdraws a request the supplier has not decided yet; nothing moves."""
    return _transition(req, State.CANCELLED, by=by, via=via)


def approve(req: AfterSalesRequest, *, by, via: str = VIA_PORTAL) -> AfterSalesRequest:
    """The supplier agrees. A refund-only request goes to the refund at once."""
    with transaction.atomic():
        done = _transition(req, State.APPROVED, by=by, via=via)
        if done.kind == Kind.REFUND:
            done = _refund(done, by=by, via=via)
    return _copy(done, onto=req)


def reject(req: AfterSalesRequest, *, reason: str, by, via: str = VIA_PORTAL) -> AfterSalesRequest:
    reason = (reason or "").strip()
    if not reason:
        raise _error("reason", _("Say why you reject this request."), "required")
    return _transition(req, State.REJECTED, by=by, via=via, reason=reason, changes={"rejection_reason": reason})


def _shipment(req: AfterSalesRequest, *, partner, carrier_code: str, tracking_number: str, by):
    """Record a parcel through the shipment provider (logistics: its carriers, tracking-number
    rules and tracking; without it the carrier as typed). Returns (carrier name, number)."""
    tracking_number = (tracking_number or "").strip()
    try:
        shipment = shipments().record(
            order=req.order,
            partner=partner,
            reference=req.number,
            carrier_code=(carrier_code or "").strip(),
            tracking_numbers=[tracking_number] if tracking_number else [],
            shipped_by=by,
        )
    except ValidationError as exc:
        renamed = {
            {"carrier": "carrier", "tracking_numbers": "tracking_number"}.get(key, key): messages
            for key, messages in exc.message_dict.items()
        }
        raise ValidationError(renamed) from exc
    return shipment.carrier.name[:64], tracking_number[:64]


def ship_return(
    req: AfterSalesRequest, *, carrier_code: str, tracking_number: str, by, via: str = VIA_STOREFRONT
) -> AfterSalesRequest:
    """The buyer sends the goods of an approved return back to the supplier."""
    _kind_check(req, (Kind.RETURN,), _("%(number)s is “%(kind)s”: no goods are sent back."))
    with transaction.atomic():
        locked = AfterSalesRequest.objects.select_for_update().select_related("order").get(pk=req.pk)
        MACHINE.check(locked, State.RETURN_SHIPPED)
        carrier, number = _shipment(
            locked, partner=locked.partner, carrier_code=carrier_code, tracking_number=tracking_number, by=by
        )
        return _transition(
            req,
            State.RETURN_SHIPPED,
            by=by,
            via=via,
            reason=f"{carrier}: {number}",
            changes={"return_carrier": carrier, "return_tracking": number},
        )


def confirm_return_received(req: AfterSalesRequest, *, by, via: str = VIA_PORTAL) -> AfterSalesRequest:
    """The supplier has the goods back: the refund follows at once."""
    with transaction.atomic():
        done = _refund(_transition(req, State.RETURN_RECEIVED, by=by, via=via), by=by, via=via)
    return _copy(done, onto=req)


def _copy(done: AfterSalesRequest, *, onto: AfterSalesRequest) -> AfterSalesRequest:
    """The caller's object shows the row as the last of several steps left it."""
    for f in AfterSalesRequest._meta.concrete_fields:
        setattr(onto, f.attname, getattr(done, f.attname))
    return onto


def ship_replacement(
    req: AfterSalesRequest, *, carrier_code: str, tracking_number: str, by, via: str = VIA_PORTAL
) -> AfterSalesRequest:
    """The supplier ships the replacement of an approved exchange; the request is done."""
    _kind_check(req, (Kind.EXCHANGE,), _("%(number)s is “%(kind)s”: there is no replacement to ship."))
    with transaction.atomic():
        locked = AfterSalesRequest.objects.select_for_update().select_related("order", "partner").get(pk=req.pk)
        MACHINE.check(locked, State.CLOSED)
        carrier, number = _shipment(
            locked, partner=locked.partner, carrier_code=carrier_code, tracking_number=tracking_number, by=by
        )
        return _transition(
            req,
            State.CLOSED,
            by=by,
            via=via,
            reason=f"{carrier}: {number}",
            changes={"replacement_carrier": carrier, "replacement_tracking": number},
        )


def _refund(req: AfterSalesRequest, *, by, via: str) -> AfterSalesRequest:
    """Hand the refund to finance (refunding) or, without finance, mark it refunded."""
    if not finance_hook.installed():
        return _transition(req, State.REFUNDED, by=by, via=via)
    lines = [
        (line.supplier_order_line.order_line, line.quantity, line.amount)
        for line in req.lines.select_related("supplier_order_line__order_line")
    ]
    with translation.override("zh-hans"):
        note = _("After-sales request %(number)s") % {"number": req.number}
    number = finance_hook.request_refund(
        order=req.order, lines=lines, goods_back=req.kind == Kind.RETURN, note=note, by=by
    )
    return _transition(req, State.REFUNDING, by=by, via=via, reason=number, changes={"refund_number": number})


def follow_refund(refund_number: str, to_state: str, *, reason: str = "", by=None) -> AfterSalesRequest | None:
    """Finance's refund ``refund_number`` moved: paid out → refunded; rejected → closed."""
    req = AfterSalesRequest.objects.filter(refund_number=refund_number, state=State.REFUNDING).first()
    if req is None:
        return None
    if to_state == "refunded":
        return _transition(req, State.REFUNDED, by=by, via=VIA_SYSTEM, reason=refund_number)
    if to_state == "rejected":
        return _transition(req, State.CLOSED, by=by, via=VIA_SYSTEM, reason=reason or refund_number)
    return None
