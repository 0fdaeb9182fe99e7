"""Finance: the platform's double-entry ledger (issue 11, item 1, with the postings of the money
events that exist today).

- ``chart.py``: the chart of accounts and the posting of every event (the specification);
- ``models.py``: Account, JournalEntry, Posting (integer fen, debit positive); append-only and
  balanced, enforced by PostgreSQL (migration 0002) and by ``services.ledger`` everywhere;
- ``services/ledger.py``: ``post`` and ``reverse``, the only writers (idempotent by key);
- ``services/postings.py`` with ``receivers.py``: the kernel's order events and member_tiers'
  ``credit_moved`` post inside the transaction that causes them;
- ``services/backfill.py``: the history before the ledger (migration 0003, demo seed);
- ``services/reconcile.py`` and ``manage.py finance_check``: the ledger against orders and
  credit lines;
- ``selectors.py``: balances and entries.

member_tiers does not import finance: it publishes ``credit_moved`` and offers
``selectors.credit_balances``; without finance installed the credit line works as before.
"""
