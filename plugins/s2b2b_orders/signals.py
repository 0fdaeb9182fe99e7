"""Signals this plugin publishes for others (and for its own listeners)."""

from django.dispatch import Signal

#: Sent inside the transaction of every supplier-order transition, with ``instance`` (the supplier
#: order), ``from_state``, ``to_state``, ``actor``, ``via``, ``reason``, ``now`` and ``machine``
#: (core.statemachine). Rejected ⇒ escalate is one listener (receivers.py).
supplier_order_transitioned = Signal()
