"""Payment events of an order, recorded as Oscar ``PaymentEvent`` rows.

===========  ================================================================================
code         meaning
===========  ================================================================================
secured      the payment is secured: reserved on a credit line, or received
paid         money for the order was received
released     a secured reservation was given back (the order was cancelled before payment)
===========  ================================================================================

The rows are the record; ``core.orders.events`` are what listeners hear. Reads here are the
one definition of "payment secured" and "paid" for every plugin (tier qualification counts
paid orders, forwarding waits for secured ones).
"""

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _
from oscar.core.loading import get_model

SECURED = "secured"
PAID = "paid"
RELEASED = "released"

EVENT_NAMES = {SECURED: "Payment secured", PAID: "Payment received", RELEASED: "Reservation released"}
LABELS = {SECURED: _("Payment secured"), PAID: _("Paid"), RELEASED: _("Reservation released")}

# what a buyer or operator reads as the order's payment state
UNPAID, ON_ACCOUNT, PAID_STATE = "unpaid", "on-account", "paid"
STATE_LABELS = {UNPAID: _("Unpaid"), ON_ACCOUNT: _("Payment secured, not yet paid"), PAID_STATE: _("Paid")}


def event_type(code: str):
    PaymentEventType = get_model("order", "PaymentEventType")
    event_type, _created = PaymentEventType.objects.get_or_create(code=code, defaults={"name": EVENT_NAMES[code]})
    return event_type


def _events(order, code: str) -> QuerySet:
    PaymentEvent = get_model("order", "PaymentEvent")
    return PaymentEvent.objects.filter(order_id=order.pk, event_type__code=code)


def has_event(order, code: str) -> bool:
    return _events(order, code).exists()


def is_secured(order) -> bool:
    return has_event(order, SECURED)


def is_paid(order) -> bool:
    return has_event(order, PAID)


def payment_state(order) -> str:
    """unpaid / on-account (secured, not yet paid) / paid — reads prefetched payment_events if loaded."""
    events = getattr(order, "_prefetched_objects_cache", {}).get("payment_events")
    if events is not None:
        codes = {e.event_type.code for e in events}
    else:
        codes = set(
            get_model("order", "PaymentEvent")
            .objects.filter(order_id=order.pk)
            .values_list("event_type__code", flat=True)
        )
    if PAID in codes:
        return PAID_STATE
    if SECURED in codes and RELEASED not in codes:
        return ON_ACCOUNT
    return UNPAID


def payment_state_label(order) -> str:
    return str(STATE_LABELS[payment_state(order)])


def with_event(orders: QuerySet, code: str, *, name: str | None = None) -> QuerySet:
    """Annotate ``orders`` with a boolean ``name`` (default ``has_<code>``): has an event of ``code``."""
    PaymentEvent = get_model("order", "PaymentEvent")
    return orders.annotate(
        **{name or f"has_{code}": Exists(PaymentEvent.objects.filter(order=OuterRef("pk"), event_type__code=code))}
    )


def paid_orders(orders: QuerySet) -> QuerySet:
    """The orders of ``orders`` that were paid (and not cancelled since)."""
    from core.orders import status

    return with_event(orders, PAID, name="_paid").filter(_paid=True).exclude(status=status.CANCELLED)
