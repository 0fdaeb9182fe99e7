"""What member_tiers publishes for other plugins.

``credit_moved(kind, amount, company_id, order_number, movement_id, reason, by, at, source)``: money moved
on a company's credit line (not a limit change, which is not money). Sent inside the transaction
that records the movement, while the credit account's row is locked, so a listener's writes
(e.g. finance's ledger postings) commit or roll back with it, and a listener that raises refuses
the movement (a checkout's reservation fails as a whole). ``amount`` is what the movement adds
to the balance owed (a Decimal in yuan, fen-exact; negative when money comes back);
``movement_id`` is unique per movement and stable (the credit entry's id), so a listener can
act idempotently. ``source`` says where a repayment's money came from when the caller knows
(``"receipt"``: a receipt already in the platform's bank was applied to it), else "". With no
listener the credit line works on its own.
"""

from django.dispatch import Signal

#: the kinds of money movement (the values member_tiers stores on its credit entries)
RESERVED = "purchased"  # an order charged to the line at checkout
REPAID = "reimbursed"  # the company paid back part of what it owes
REFUNDED = "refunded"  # a refund restored credit (on an order, or on none)
REVERTED = "reverted"  # a cancelled (or unplaced) order gave back its reservation
MONEY_KINDS = frozenset({RESERVED, REPAID, REFUNDED, REVERTED})

credit_moved = Signal()
