"""finance_check's part for this area: append to ``report.errors`` what the ledger cannot explain
(a fixed number of aggregate queries, whatever the size of the books)."""


def check(report) -> None:
    """Nothing to reconcile yet."""
