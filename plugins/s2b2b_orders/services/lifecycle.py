"""The supplier order state machine: an explicit transition table, an audit row per transition,
notifications through the outbox, and the parent Oscar order following its supplier orders."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.shipments import shipments
from plugins.s2b2b_orders.models import State, SupplierOrder, SupplierOrderEvent
from plugins.s2b2b_orders.services.notify import notify

Order = get_model("order", "Order")
OrderLine = get_model("order", "Line")

TRANSITIONS: dict[str, frozenset[str]] = {
    State.FORWARDED: frozenset({State.ACCEPTED, State.REJECTED, State.CANCELLED}),
    State.ACCEPTED: frozenset({State.PARTIALLY_SHIPPED, State.SHIPPED, State.CANCELLED}),
    State.PARTIALLY_SHIPPED: frozenset({State.PARTIALLY_SHIPPED, State.SHIPPED}),
    State.SHIPPED: frozenset({State.DELIVERED}),
    State.DELIVERED: frozenset({State.COMPLETED}),
    State.REJECTED: frozenset(),
    State.COMPLETED: frozenset(),
    State.CANCELLED: frozenset(),
}
TIMESTAMPS = {
    State.ACCEPTED: "accepted_at",
    State.REJECTED: "rejected_at",
    State.SHIPPED: "shipped_at",
    State.DELIVERED: "delivered_at",
    State.COMPLETED: "completed_at",
    State.CANCELLED: "cancelled_at",
}
# what the parent order / its lines show while its supplier parts are in a state
PARENT_STATUS = {
    State.ACCEPTED: "Processing",
    State.PARTIALLY_SHIPPED: "Processing",
    State.SHIPPED: "Shipped",
    State.DELIVERED: "Shipped",
    State.COMPLETED: "Complete",
    State.CANCELLED: "Cancelled",
    # a rejected part waits for an operator (re-route or cancel): the parent does not move
}
STATUS_RANK = {"Pending payment": 0, "Paid": 1, "Processing": 2, "Shipped": 3, "Complete": 4}

VIA_PORTAL, VIA_API, VIA_BACK_OFFICE, VIA_SYSTEM = "portal", "api", "back office", "system"


def state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


def can_transition(so: SupplierOrder, target: str) -> bool:
    return target in TRANSITIONS.get(so.state, frozenset())


def _lock(so: SupplierOrder) -> SupplierOrder:
    return SupplierOrder.objects.select_for_update(of=("self",)).select_related("order", "partner").get(pk=so.pk)


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
    """Move `so` to `target`, or raise ValidationError (keyed by `field`) and change nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(so)
        if target not in TRANSITIONS.get(locked.state, frozenset()):
            raise ValidationError(
                {
                    field: ValidationError(
                        _("Supplier order %(number)s is “%(state)s”; it cannot become “%(target)s”.")
                        % {"number": locked.number, "state": state_label(locked.state), "target": state_label(target)},
                        code="invalid_transition",
                    )
                }
            )
        previous = locked.state
        locked.state = target
        if target in TIMESTAMPS and getattr(locked, TIMESTAMPS[target]) is None:
            setattr(locked, TIMESTAMPS[target], now)
        if target == State.PARTIALLY_SHIPPED and locked.shipped_at is None:
            pass  # shipped_at marks the last parcel
        if target == State.REJECTED:
            locked.rejection_reason = reason
        locked.save()
        event = SupplierOrderEvent.objects.create(
            supplier_order=locked, from_state=previous, to_state=target, actor=actor, via=via, reason=reason
        )
        notify(locked, f"supplier_order.{target}", occurrence=str(event.pk) if target == previous else "")
        sync_parent(locked.order)
    so.refresh_from_db()
    return locked


def accept(so: SupplierOrder, *, actor=None, via: str = VIA_PORTAL) -> SupplierOrder:
    return transition(so, State.ACCEPTED, actor=actor, via=via)


def reject(so: SupplierOrder, *, reason: str, actor=None, via: str = VIA_PORTAL) -> SupplierOrder:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ValidationError(_("Say why you reject this order."), code="required")})
    with transaction.atomic():
        rejected = transition(so, State.REJECTED, actor=actor, via=via, reason=reason)
        from plugins.s2b2b_orders.services.escalation import escalate

        escalate(rejected, reason="rejected")
    return rejected


def ship(
    so: SupplierOrder,
    *,
    carrier_code: str,
    tracking_numbers: list[str],
    vouchers=(),
    complete: bool = True,
    actor=None,
    via: str = VIA_PORTAL,
):
    """Record a shipment (core.shipments) and move the order, in one transaction: all or nothing."""
    target = State.SHIPPED if complete else State.PARTIALLY_SHIPPED
    tracking_numbers = [t.strip() for t in tracking_numbers if t and t.strip()]
    with transaction.atomic():
        locked = _lock(so)
        if target not in TRANSITIONS.get(locked.state, frozenset()):
            raise ValidationError(
                {
                    "state": ValidationError(
                        _("Supplier order %(number)s is “%(state)s”; it cannot be shipped now.")
                        % {"number": locked.number, "state": state_label(locked.state)},
                        code="invalid_transition",
                    )
                }
            )
        shipment = shipments().record(
            order=locked.order,
            partner=locked.partner,
            reference=locked.number,
            carrier_code=carrier_code,
            tracking_numbers=tracking_numbers,
            vouchers=vouchers,
            shipped_by=actor,
        )
        reason = f"{shipment.carrier.name}: {', '.join(tracking_numbers)}"
        transition(locked, target, actor=actor, via=via, reason=reason)
    so.refresh_from_db()
    return shipment


def cancel(so: SupplierOrder, *, reason: str, actor=None, via: str = VIA_BACK_OFFICE) -> SupplierOrder:
    return transition(so, State.CANCELLED, actor=actor, via=via, reason=reason)


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
    return [so for so in order.supplier_orders.all() if not hasattr_replacement(so)]


def hasattr_replacement(so: SupplierOrder) -> bool:
    try:
        return so.replaced_by is not None
    except SupplierOrder.replaced_by.RelatedObjectDoesNotExist:
        return False


def _forward_only(current: str, target: str | None) -> bool:
    if target is None or current == target or current == "Cancelled":
        return False
    if target == "Cancelled":
        return current in ("Pending payment", "Paid")
    return STATUS_RANK.get(target, -1) > STATUS_RANK.get(current, -1)


def sync_parent(order: Order) -> None:
    """The parent order and its lines follow their supplier orders (never backwards)."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
    supplier_orders = list(
        SupplierOrder.objects.filter(order=order).select_related("replaced_by").prefetch_related("lines")
    )
    effective = [so for so in supplier_orders if not hasattr_replacement(so)]
    if not effective:
        return
    line_status: dict[int, str] = {}
    for so in effective:
        status = PARENT_STATUS.get(so.state)
        for line in so.lines.all():
            if status:
                line_status[line.order_line_id] = status
    for line in OrderLine.objects.filter(order=order):
        target = line_status.get(line.pk)
        if _forward_only(line.status, target):
            OrderLine.objects.filter(pk=line.pk).update(status=target)
    states = {so.state for so in effective}
    target = None
    if states == {State.CANCELLED}:
        target = "Cancelled"
    else:
        live = states - {State.CANCELLED, State.REJECTED}
        if not live or State.REJECTED in states:
            target = "Processing" if live - {State.FORWARDED} else None
        elif live == {State.COMPLETED}:
            target = "Complete"
        elif live <= {State.SHIPPED, State.DELIVERED, State.COMPLETED}:
            target = "Shipped"
        elif live & {State.ACCEPTED, State.PARTIALLY_SHIPPED, State.SHIPPED, State.DELIVERED, State.COMPLETED}:
            target = "Processing"
    if _forward_only(order.status, target):
        old = order.status
        Order.objects.filter(pk=order.pk).update(status=target)
        order.status_changes.create(old_status=old, new_status=target)


# for forms and templates
ACTIONS = {
    "accept": gettext_lazy("Accept"),
    "reject": gettext_lazy("Reject"),
    "ship": gettext_lazy("Ship"),
}
