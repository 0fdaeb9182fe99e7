"""The supplier order lifecycle: a transition table on the kernel's state machine, an audit row
per step, notifications through the outbox, and the parent Oscar order following its parts.

===================  ===============================================  =============================
from                 to                                               by
===================  ===============================================  =============================
forwarded            accepted, rejected, cancelled                    supplier; operator (cancel)
accepted             partially shipped, shipped, cancelled            supplier (ship); operator
partially shipped    partially shipped (another parcel), shipped      supplier
shipped              delivered, completed                             carrier, supplier, operator;
                                                                      buyer (confirms receipt)
delivered            completed                                        operator; buyer (confirms
                                                                      receipt); system (N days on)
rejected             cancelled                                        operator (closing the part)
completed, cancelled —
===================  ===============================================  =============================

``transition()`` is the one door (core.statemachine): it locks the row, checks the table,
stamps the state's timestamp, writes a SupplierOrderEvent, sends ``supplier_order_transitioned``
inside the transaction (rejected ⇒ escalate listens there), writes the outbox messages and moves
the parent order and its lines through Oscar's pipeline (core.orders.services).

Locks are taken parent order first, then the supplier order (``lock_parent``), the order in
which cancelling an order reaches its parts (core.orders.services.cancel_order → the
``order_cancelled`` listener): a supplier accepting while the buyer cancels queues instead of
deadlocking, and whichever comes second sees the other's result.

Partial shipments: ``ship`` takes a quantity per line (default: all that is outstanding), checks
each against what is outstanding under the lock, counts it on the line (``shipped_quantity``) and
records the shipment's lines with the provider; the part is partially shipped until every line
is fully shipped.
"""

from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.orders.services import sync_lines_and_status
from core.shipments import ShippedLine, shipments
from core.statemachine import StateMachine, Step
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierOrderEvent, SupplierOrderLine
from plugins.s2b2b_orders.services.notify import notify
from plugins.s2b2b_orders.signals import supplier_order_transitioned

Order = get_model("order", "Order")

VIA_PORTAL, VIA_API, VIA_BACK_OFFICE, VIA_SYSTEM = "portal", "api", "back office", "system"


def _record(step: Step) -> SupplierOrderEvent:
    """The audit row, and the messages the step sends (a repeated partial shipment is its own event)."""
    actor = step.actor if getattr(step.actor, "is_authenticated", False) else None
    event = SupplierOrderEvent.objects.create(
        supplier_order=step.instance,
        from_state=step.from_state,
        to_state=step.to_state,
        actor=actor,
        via=step.via,
        reason=step.reason,
    )
    repeated = step.from_state == step.to_state
    notify(step.instance, f"supplier_order.{step.to_state}", occurrence=str(event.pk) if repeated else "")
    return event


MACHINE = StateMachine(
    name="supplier_order",
    transitions={
        State.FORWARDED: frozenset({State.ACCEPTED, State.REJECTED, State.CANCELLED}),
        State.ACCEPTED: frozenset({State.PARTIALLY_SHIPPED, State.SHIPPED, State.CANCELLED}),
        State.PARTIALLY_SHIPPED: frozenset({State.PARTIALLY_SHIPPED, State.SHIPPED}),
        State.SHIPPED: frozenset({State.DELIVERED, State.COMPLETED}),
        State.DELIVERED: frozenset({State.COMPLETED}),
        State.REJECTED: frozenset({State.CANCELLED}),
        State.COMPLETED: frozenset(),
        State.CANCELLED: frozenset(),
    },
    labels=dict(State.choices),
    subject=gettext_lazy("Supplier order %(subject)s"),
    timestamps={
        State.ACCEPTED: "accepted_at",
        State.REJECTED: "rejected_at",
        State.SHIPPED: "shipped_at",
        State.DELIVERED: "delivered_at",
        State.COMPLETED: "completed_at",
        State.CANCELLED: "cancelled_at",
    },
    recorder=_record,
    signal=supplier_order_transitioned,
)
TRANSITIONS = MACHINE.transitions


def state_label(state: str) -> str:
    return MACHINE.label(state)


def can_transition(so: SupplierOrder, target: str) -> bool:
    return MACHINE.can(so, target)


def transition(
    so: SupplierOrder,
    target: str,
    *,
    actor=None,
    via: str = VIA_SYSTEM,
    reason: str = "",
    now: datetime | None = None,
    field: str = "state",
) -> SupplierOrder:
    """Move ``so`` to ``target``, or raise ValidationError (keyed by ``field``) and change nothing."""
    with transaction.atomic():
        lock_parent(so)
        changes = {"rejection_reason": reason} if target == State.REJECTED else None
        moved = MACHINE.transition(
            so, target, actor=actor, via=via, reason=reason, now=now, field_name=field, changes=changes
        )
        if target == State.COMPLETED and moved.delivered_at is None:
            # receipt confirmed before the carrier reported delivery: it was delivered by then
            # (settlement counts its after-sales window from delivery)
            moved.delivered_at = moved.completed_at
            moved.save(update_fields=["delivered_at"])
            so.delivered_at = moved.delivered_at
        sync_parent(moved.order)
    return moved


def lock_parent(so: SupplierOrder) -> None:
    """Lock the parent order before the supplier order (see the module's docstring)."""
    Order.objects.select_for_update(of=("self",)).filter(pk=so.order_id).exists()


def accept(so: SupplierOrder, *, actor=None, via: str = VIA_PORTAL) -> SupplierOrder:
    return transition(so, State.ACCEPTED, actor=actor, via=via)


def reject(so: SupplierOrder, *, reason: str, actor=None, via: str = VIA_PORTAL) -> SupplierOrder:
    """The supplier will not deliver its part; the escalation listener alerts operators."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why you reject this order."), code="required")})
    return transition(so, State.REJECTED, actor=actor, via=via, reason=reason)


def ship(
    so: SupplierOrder,
    *,
    carrier_code: str,
    tracking_numbers: list[str],
    vouchers=(),
    complete: bool = True,
    quantities: Mapping[int, int] | None = None,
    actor=None,
    via: str = VIA_PORTAL,
):
    """Record a shipment (core.shipments) and move the order, in one transaction: all or nothing.

    ``quantities`` maps supplier order line ids to the quantity this shipment carries; lines left
    out are not in it. Without quantities a shipment carries everything outstanding, or, with
    ``complete=False``, nothing counted (a parcel recorded before quantities existed: the part
    stays partially shipped until a shipment completes it). Refused, changing nothing: a line of
    another supplier order, a quantity ≤ 0 or above what is outstanding, nothing to ship."""
    tracking_numbers = [t.strip() for t in tracking_numbers if t and t.strip()]
    with transaction.atomic():
        lock_parent(so)
        locked = SupplierOrder.objects.select_for_update(of=("self",)).select_related("order", "partner").get(pk=so.pk)
        MACHINE.check(locked, State.SHIPPED)
        # read under the lock: a second ship request waits here and sees what the first shipped
        lines = list(SupplierOrderLine.objects.filter(supplier_order=locked).order_by("id"))
        if quantities is None:
            quantities = (
                {line.pk: line.outstanding_quantity for line in lines if line.outstanding_quantity} if complete else {}
            )
            if complete and not quantities:
                raise _nothing_to_ship()
        else:
            quantities = _checked_quantities(lines, quantities)
        by_id = {line.pk: line for line in lines}
        shipped = [
            ShippedLine(order_line_id=by_id[pk].order_line_id, sku=by_id[pk].sku, name=by_id[pk].name, quantity=qty)
            for pk, qty in quantities.items()
        ]
        shipment = shipments().record(
            order=locked.order,
            partner=locked.partner,
            reference=locked.number,
            carrier_code=carrier_code,
            tracking_numbers=tracking_numbers,
            vouchers=vouchers,
            shipped_by=actor,
            lines=shipped,
        )
        for pk, qty in quantities.items():
            by_id[pk].shipped_quantity += qty
        SupplierOrderLine.objects.bulk_update([by_id[pk] for pk in quantities], ["shipped_quantity"])
        # without quantities and complete=False nothing was counted: the part stays partially shipped
        done = all(line.outstanding_quantity == 0 for line in lines) and bool(quantities)
        target = State.SHIPPED if done else State.PARTIALLY_SHIPPED
        reason = f"{shipment.carrier.name}: {', '.join(tracking_numbers)}"
        if shipped:
            reason += " — " + ", ".join(f"{line.sku} × {line.quantity}" for line in shipped)
        transition(locked, target, actor=actor, via=via, reason=reason)
    so.refresh_from_db()
    return shipment


def _nothing_to_ship() -> ValidationError:
    return ValidationError({"lines": ValidationError(_("There is nothing left to ship."), code="nothing_to_ship")})


def _checked_quantities(lines: list[SupplierOrderLine], quantities: Mapping[int, int]) -> dict[int, int]:
    """The quantities, checked against the lines' outstanding quantities, or ValidationError
    (field ``lines``) naming every wrong line."""
    by_id = {line.pk: line for line in lines}
    errors = []
    checked = {}
    for pk, qty in quantities.items():
        line = by_id.get(pk)
        if line is None:
            errors.append(
                ValidationError(_("Line %(line)s is not part of this supplier order.") % {"line": pk}, code="not_found")
            )
        elif qty is None or qty <= 0:
            errors.append(
                ValidationError(_("%(sku)s: ship a quantity of at least 1.") % {"sku": line.sku}, code="out_of_range")
            )
        elif qty > line.outstanding_quantity:
            errors.append(
                ValidationError(
                    _("%(sku)s: only %(outstanding)d left to ship, not %(quantity)d.")
                    % {"sku": line.sku, "outstanding": line.outstanding_quantity, "quantity": qty},
                    code="over_shipped",
                )
            )
        else:
            checked[pk] = qty
    if errors:
        raise ValidationError({"lines": errors})
    if not checked:
        raise _nothing_to_ship()
    return checked


def cancel(so: SupplierOrder, *, reason: str, actor=None, via: str = VIA_BACK_OFFICE) -> SupplierOrder:
    return transition(so, State.CANCELLED, actor=actor, via=via, reason=reason)


def cancel_parts_of(order: Order, *, reason: str = "", actor=None) -> list[SupplierOrder]:
    """The order was cancelled: cancel each of its live supplier parts through the lifecycle (the
    supplier hears ``supplier_order.cancelled``). A part that has shipped cannot be cancelled: the
    ValidationError refuses the order's cancellation as a whole."""
    cancelled = []
    for so in effective_supplier_orders(order):
        if so.state == State.CANCELLED:
            continue
        if not MACHINE.can(so, State.CANCELLED):
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("Supplier order %(number)s is “%(state)s”; the order can no longer be cancelled.")
                        % {"number": so.number, "state": state_label(so.state)},
                        code="invalid_transition",
                    )
                }
            )
        cancelled.append(
            transition(
                so,
                State.CANCELLED,
                actor=actor,
                via=VIA_BACK_OFFICE if actor else VIA_SYSTEM,
                reason=reason or _("The order was cancelled."),
            )
        )
    return cancelled


def confirm_receipt(so: SupplierOrder, *, actor=None, via: str = VIA_PORTAL) -> SupplierOrder:
    """The buyer confirms they received a shipped or delivered part (确认收货): it is completed.
    Who may (the order's buyer) is the caller's check (services.receipt)."""
    return transition(so, State.COMPLETED, actor=actor, via=via, reason=_("The buyer confirmed receipt."))


def auto_confirm_days() -> int:
    return int(getattr(settings, "SUPPLIER_ORDER_AUTO_CONFIRM_DAYS", 7))


def auto_confirm_receipts(*, now: datetime | None = None) -> int:
    """Complete every part delivered more than SUPPLIER_ORDER_AUTO_CONFIRM_DAYS ago that the buyer
    has not confirmed. Idempotent: a completed part is not delivered any more, and each part moves
    under its lock (one already moved by the buyer is skipped). Returns how many it completed."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=auto_confirm_days())
    done = 0
    due = SupplierOrder.objects.filter(state=State.DELIVERED, delivered_at__lte=cutoff).order_by("id")
    for so in due.iterator():
        try:
            transition(
                so,
                State.COMPLETED,
                via=VIA_SYSTEM,
                now=now,
                reason=_("Receipt confirmed automatically %(days)d days after delivery.")
                % {"days": auto_confirm_days()},
            )
        except ValidationError:
            continue  # moved meanwhile (confirmed by the buyer, or by an operator)
        done += 1
    return done


def mark_delivered_by_carrier(shipment) -> SupplierOrder | None:
    """The carrier has delivered `shipment`: its supplier order becomes delivered once it is fully
    shipped and every one of its shipments is delivered. Returns the order moved, if any."""
    so = SupplierOrder.objects.filter(
        order_id=shipment.order_id, partner_id=shipment.partner_id, number=shipment.reference
    ).first()
    if so is None or so.state != State.SHIPPED:
        return None  # not ours, still partly unshipped, or already delivered by hand
    if not shipments().all_delivered(order_id=so.order_id, partner_id=so.partner_id, reference=so.number):
        return None
    return transition(so, State.DELIVERED, via=VIA_SYSTEM, reason=_("The carrier reports every parcel delivered."))


def effective_supplier_orders(order: Order) -> list[SupplierOrder]:
    """The supplier orders that currently carry the order's lines (a re-routed one is replaced)."""
    parts = SupplierOrder.objects.filter(order=order).select_related("replaced_by").prefetch_related("lines")
    return [so for so in parts.order_by("sequence") if not hasattr_replacement(so)]


def hasattr_replacement(so: SupplierOrder) -> bool:
    try:
        return so.replaced_by is not None
    except SupplierOrder.replaced_by.RelatedObjectDoesNotExist:
        return False


def sync_parent(order: Order) -> None:
    """The parent order and its lines follow their live supplier parts, through Oscar's pipeline
    (the kernel's derived-status rule: never backwards, a rejected part holds the order)."""
    effective = effective_supplier_orders(order)
    if not effective:
        return
    line_states = {line.order_line_id: so.state for so in effective for line in so.lines.all()}
    sync_lines_and_status(order, line_states, [so.state for so in effective])


# for forms and templates
ACTIONS = {
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "ship": gettext_lazy("Ship"),
}
