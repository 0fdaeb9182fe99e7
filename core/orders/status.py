"""Order statuses: the one place they are named, labelled, ordered and derived.

Statuses are stored in English (Oscar's ``Order.status``/``Line.status``) and shown by
their label in the user's language. ``config/settings.py`` takes Oscar's pipeline from
here; every change of an order's or line's status goes through Oscar's ``set_status``
(``core.orders.services``), so ``order_status_changed`` reaches every listener.

=================  ==========  ===============================================================
status             label       meaning
=================  ==========  ===============================================================
Pending payment    待付款       placed; payment not secured yet; suppliers see nothing
Confirmed          已确认       payment secured (credit reserved, or money received); forwarded
Processing         处理中       at least one supplier accepted its part
Shipped            已发货       every live part has shipped
Complete           已完成       every live part is completed
Cancelled          已取消       cancelled; reserved credit and redeemed points are given back
=================  ==========  ===============================================================

Whether an order is *paid* is not a status: it is a payment event (``core.orders.payments``),
because an order bought on account ships long before it is paid.

The parent order follows its supplier parts by ``derive_status`` (pure): never backwards,
never out of a final status, and a rejected part holds the order where it is until an
operator re-routes or cancels it.
"""

from collections.abc import Iterable

from django.utils.translation import gettext_lazy as _

PENDING_PAYMENT = "Pending payment"
CONFIRMED = "Confirmed"
PROCESSING = "Processing"
SHIPPED = "Shipped"
COMPLETE = "Complete"
CANCELLED = "Cancelled"

LABELS = {
    PENDING_PAYMENT: _("Pending payment"),
    CONFIRMED: _("Confirmed"),
    PROCESSING: _("Processing"),
    SHIPPED: _("Shipped"),
    COMPLETE: _("Complete"),
    CANCELLED: _("Cancelled"),
}

INITIAL = PENDING_PAYMENT
FINAL = frozenset({COMPLETE, CANCELLED})
#: statuses from which an order may still be cancelled (nothing has shipped)
CANCELLABLE = frozenset({PENDING_PAYMENT, CONFIRMED, PROCESSING})
#: statuses of an order whose payment is secured
SECURED = frozenset({CONFIRMED, PROCESSING, SHIPPED, COMPLETE})

# Oscar's pipeline (settings.OSCAR_ORDER_STATUS_PIPELINE / OSCAR_LINE_STATUS_PIPELINE).
PIPELINE: dict[str, tuple[str, ...]] = {
    PENDING_PAYMENT: (CONFIRMED, CANCELLED),
    CONFIRMED: (PROCESSING, SHIPPED, COMPLETE, CANCELLED),
    PROCESSING: (SHIPPED, COMPLETE, CANCELLED),
    SHIPPED: (COMPLETE,),
    COMPLETE: (),
    CANCELLED: (),
}
LINE_PIPELINE = PIPELINE
#: when the order moves to the key, its lines move to the value (Oscar's cascade)
CASCADE = {CONFIRMED: CONFIRMED, CANCELLED: CANCELLED}

_RANK = {PENDING_PAYMENT: 0, CONFIRMED: 1, PROCESSING: 2, SHIPPED: 3, COMPLETE: 4}


def status_label(status: str) -> str:
    return str(LABELS.get(status, status))


def choices() -> list[tuple[str, str]]:
    return [(status, status_label(status)) for status in PIPELINE]


def is_forward(current: str, target: str | None) -> bool:
    """Whether the pipeline lets an order in ``current`` move to ``target`` (and it is a move)."""
    return bool(target) and target != current and target in PIPELINE.get(current, ())


# -- supplier parts ---------------------------------------------------------------------------
# The states of a supplier's part of an order (s2b2b_orders' supplier order). The kernel names
# them so the derived-status rule can be a pure function here; the plugin's own model uses
# these values.

PART_FORWARDED = "forwarded"
PART_ACCEPTED = "accepted"
PART_REJECTED = "rejected"
PART_PARTIALLY_SHIPPED = "partially_shipped"
PART_SHIPPED = "shipped"
PART_DELIVERED = "delivered"
PART_COMPLETED = "completed"
PART_CANCELLED = "cancelled"

#: what an order line shows while the part carrying it is in a state (rejected: unchanged)
LINE_STATUS_FOR_PART = {
    PART_FORWARDED: CONFIRMED,
    PART_ACCEPTED: PROCESSING,
    PART_PARTIALLY_SHIPPED: PROCESSING,
    PART_SHIPPED: SHIPPED,
    PART_DELIVERED: SHIPPED,
    PART_COMPLETED: COMPLETE,
    PART_CANCELLED: CANCELLED,
}

_STARTED = frozenset({PART_ACCEPTED, PART_PARTIALLY_SHIPPED, PART_SHIPPED, PART_DELIVERED, PART_COMPLETED})
_GONE = frozenset({PART_SHIPPED, PART_DELIVERED, PART_COMPLETED})


def derive_status(current: str, part_states: Iterable[str]) -> str | None:
    """The status the order should move to given the states of its live supplier parts (those
    not replaced by a re-route), or None to leave it where it is.

    >>> derive_status(CONFIRMED, ["accepted", "forwarded"])
    'Processing'
    >>> derive_status(PROCESSING, ["shipped", "cancelled"])
    'Shipped'
    >>> derive_status(SHIPPED, ["accepted"]) is None  # never backwards
    True
    """
    states = set(part_states)
    if not states or current in FINAL or current == PENDING_PAYMENT and states != {PART_CANCELLED}:
        return None
    target: str | None
    live = states - {PART_CANCELLED, PART_REJECTED}
    if states == {PART_CANCELLED}:
        target = CANCELLED
    elif PART_REJECTED in states or not live:
        # a rejected part waits for an operator (re-route or cancel)
        target = PROCESSING if live & _STARTED else None
    elif live == {PART_COMPLETED}:
        target = COMPLETE
    elif live <= _GONE:
        target = SHIPPED
    elif live & _STARTED:
        target = PROCESSING
    else:
        target = None
    if target == CANCELLED:
        return CANCELLED if current in CANCELLABLE else None
    return target if target and _RANK.get(target, -1) > _RANK.get(current, -1) and is_forward(current, target) else None


def derive_line_status(current: str, part_state: str) -> str | None:
    """The status an order line should move to while its part is in ``part_state`` (forward only)."""
    target = LINE_STATUS_FOR_PART.get(part_state)
    if target is None or current in FINAL:
        return None
    if target == CANCELLED:
        return CANCELLED if current in CANCELLABLE else None
    return target if _RANK.get(target, -1) > _RANK.get(current, -1) and is_forward(current, target) else None


#: statuses from which the buyer may cancel their own order: no supplier has accepted a part yet
#: (an acceptance moves the order to Processing in the same transaction, under the order's lock)
BUYER_CANCELLABLE = frozenset({PENDING_PAYMENT, CONFIRMED})
