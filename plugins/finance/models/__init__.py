"""Finance models, one module per area: the ledger (the books), receipts and claims, refunds,
supplier settlement, statements and closed periods, fapiao. Documents keep money as Decimal
yuan to the fen like the rest of the platform (Oscar); the ledger keeps integer fen."""

from plugins.finance.models.invoices import (  # noqa: F401
    Invoice,
    InvoiceLine,
    InvoiceRequest,
    ProductTax,
    TaxCategory,
)
from plugins.finance.models.ledger import Account, JournalEntry, Posting  # noqa: F401
from plugins.finance.models.receipts import BankStatement, Receipt, ReceiptAllocation  # noqa: F401
from plugins.finance.models.refunds import Refund, RefundAllocation, RefundLine  # noqa: F401
from plugins.finance.models.settlement import (  # noqa: F401
    CategoryCommission,
    SettlementBatch,
    SettlementLine,
)
from plugins.finance.models.statements import ClosedPeriod, Statement  # noqa: F401
