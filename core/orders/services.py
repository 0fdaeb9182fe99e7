"""The only code that changes an order's status or records its payment events.

Every status change goes through Oscar's ``EventHandler.handle_order_status_change`` →
``Order.set_status`` (pipeline check, line cascade, ``order_status_changed``, a status-change
row), inside a transaction: a listener that raises refuses the change and nothing is kept.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from oscar.core.loading import get_class, get_model

from core.orders import events, payments, status

Order = get_model("order", "Order")
Line = get_model("order", "Line")


def _handler(actor=None):
    return get_class("order.processing", "EventHandler")(user=actor)


def _locked(order) -> Order:
    return Order.objects.select_for_update(of=("self",)).get(pk=order.pk)


def set_status(order: Order, new_status: str, *, note: str = "", actor=None, reason: str = "") -> Order:
    """Move ``order`` through Oscar's pipeline; ValidationError (field ``status``) if it may not."""
    with transaction.atomic():
        locked = _locked(order)
        if locked.status == new_status:
            return locked
        _handler(actor).change_status(locked, new_status, note=note, reason=reason)
    order.status = locked.status
    return locked


def set_line_status(line: Line, new_status: str) -> bool:
    """Move one order line through Oscar's line pipeline (with its signal); False when it may not."""
    if line.status == new_status or new_status not in line.available_statuses():
        return False
    line.set_status(new_status)
    return True


def secure_payment(order: Order, *, method: str, amount: Decimal, reference: str = "", actor=None) -> bool:
    """The order's payment is secured (credit reserved, or money received): record it, confirm the
    order and tell the listeners (forwarding starts). Once per order; returns whether it acted."""
    with transaction.atomic():
        locked = _locked(order)
        if payments.is_secured(locked):
            return False
        if locked.status != status.PENDING_PAYMENT:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("Order %(number)s is “%(status)s”; its payment cannot be secured now.")
                        % {"number": locked.number, "status": status.status_label(locked.status)},
                        code="invalid_transition",
                    )
                }
            )
        _handler(actor).create_payment_event(locked, payments.event_type(payments.SECURED), amount, reference=reference)
        _handler(actor).change_status(locked, status.CONFIRMED, reason=str(method))
        events.payment_secured.send(
            sender=Order, order=locked, method=method, amount=amount, reference=reference, actor=actor
        )
    order.status = locked.status
    return True


def record_payment(order: Order, *, amount: Decimal, reference: str = "", method: str = "", actor=None) -> bool:
    """Money for the order was received. Secures the payment first if it was not yet. Once per
    order; returns whether it acted. A cancelled order cannot be paid."""
    with transaction.atomic():
        locked = _locked(order)
        if payments.is_paid(locked):
            return False
        if locked.status == status.CANCELLED:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("Order %(number)s is cancelled; it cannot be marked paid.") % {"number": locked.number},
                        code="invalid_transition",
                    )
                }
            )
        if not payments.is_secured(locked):
            secure_payment(locked, method=method, amount=amount, reference=reference, actor=actor)
        _handler(actor).create_payment_event(locked, payments.event_type(payments.PAID), amount, reference=reference)
        events.order_paid.send(sender=Order, order=locked, amount=amount, reference=reference, actor=actor)
    order.status = locked.status
    return True


def cancel_order(order: Order, *, reason: str = "", actor=None) -> Order:
    """Cancel the order (through the pipeline): listeners give back credit and points and cancel
    the supplier parts; if one of them cannot (a part has shipped), nothing changes."""
    return set_status(order, status.CANCELLED, note=reason, actor=actor, reason=reason)


def sync_lines_and_status(order: Order, line_part_states: dict[int, str], part_states: list[str]) -> Order:
    """Make an order and its lines follow their supplier parts (``core.orders.status``'s rule),
    through the pipeline: each line by its part's state, then the order by all of them."""
    with transaction.atomic():
        locked = _locked(order)
        for line in Line.objects.filter(order=locked).order_by("id"):
            part_state = line_part_states.get(line.pk)
            target = status.derive_line_status(line.status, part_state) if part_state else None
            if target:
                set_line_status(line, target)
        target = status.derive_status(locked.status, part_states)
        if target:
            _handler().change_status(locked, target, reason=_("Follows its supplier orders."))
    order.status = locked.status
    return locked


def release_payment(order: Order, *, amount: Decimal, reference: str = "", actor=None) -> bool:
    """A secured reservation (credit) was given back, e.g. because the order was cancelled.
    Recorded once per order; returns whether it acted."""
    with transaction.atomic():
        locked = _locked(order)
        if payments.has_event(locked, payments.RELEASED):
            return False
        _handler(actor).create_payment_event(
            locked, payments.event_type(payments.RELEASED), amount, reference=reference
        )
    return True


def cancel_before_acceptance(order: Order, *, reason: str = "", actor=None) -> Order:
    """The buyer cancels their order while no supplier has accepted any part of it (pending
    payment, or confirmed and forwarded): as ``cancel_order`` (credit and points come back, the
    suppliers hear their parts are cancelled). Refused, changing nothing, once a supplier accepted.

    The order's row is locked before its status is read, and a supplier's acceptance locks the
    order before its part (s2b2b_orders' lifecycle): whichever comes second sees the other's result.
    """
    with transaction.atomic():
        locked = _locked(order)
        if locked.status not in status.BUYER_CANCELLABLE:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _(
                            "Order %(number)s is “%(status)s”: a supplier has already accepted it, so it can no "
                            "longer be cancelled here. Contact us if you still need to change it."
                        )
                        % {"number": locked.number, "status": status.status_label(locked.status)}
                        if locked.status != status.CANCELLED
                        else _("Order %(number)s is already cancelled.") % {"number": locked.number},
                        code="invalid_transition",
                    )
                }
            )
        cancelled = cancel_order(locked, reason=reason or _("Cancelled by the buyer."), actor=actor)
    order.status = cancelled.status
    return cancelled
