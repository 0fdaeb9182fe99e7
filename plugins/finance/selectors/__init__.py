"""Read side of finance, one module per area; the ledger's balances and entries re-exported here."""

from plugins.finance.selectors.ledger import (  # noqa: F401
    balance,
    entries,
    entry_for,
    is_on_account,
    receivable_of_company,
    receivables_on_account,
)
