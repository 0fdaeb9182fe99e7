"""The kernel's order events. Plugins listen to these, never to status strings.

All are sent *inside* the transaction that causes them (with ``sender`` the Order class), so a
listener's writes commit or roll back with the change, and a listener that raises a
``ValidationError`` refuses the change as a whole (the caller sees its message).

- ``payment_secured(order, method, amount, reference, actor)``: the order's payment is secured —
  reserved on a credit line at checkout, or received. The order is now Confirmed and may be
  forwarded to its suppliers. Sent once per order.
- ``order_paid(order, amount, reference, actor)``: money for the order was received (a bank
  transfer confirmed, or the credit it was bought on repaid). Sent once per order.
- ``order_cancelled(order, previous_status, reason, actor)``: the order became Cancelled, by
  any path (back office, supplier parts all cancelled, a service). Reserved credit and redeemed
  points are given back by their owners, supplier parts are cancelled.
"""

from django.dispatch import Signal

payment_secured = Signal()
order_paid = Signal()
order_cancelled = Signal()
