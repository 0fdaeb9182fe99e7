"""The chart of accounts (会计科目) and what each money event posts. Pure: no ORM.

The platform is merchant of record (平台购销): it sells to the distributor's company, receives the
whole payment and owes each supplier its goods value less commission. Codes follow the Chinese
enterprise chart (企业会计准则 科目编码); an account is one code, optionally owned by a company
(the buyer) or a supplier (partner.Partner). Amounts are integer fen, debit positive, credit
negative; every entry sums to zero.

======  ==========================  =========  =======  ============================================
code    name                        type       owner    holds
======  ==========================  =========  =======  ============================================
1002    银行存款 Bank                asset      —        money received into the platform's account
112201  应收账款—信用账期            asset      company  what a company owes on its credit line; its
        Receivable on account                           balance *is* the credit used (member_tiers'
                                                        CreditAccount.balance mirrors it)
112202  应收账款—待付订单            asset      company  orders secured by a transfer that is not
        Receivable for orders                           booked as received yet (nets to zero when
                                                        the kernel secures and pays in one step)
1901    待处理财产损溢 Suspense       asset      —        differences found when history was migrated
2202    应付账款 Payable              liability  supplier what the platform owes a supplier (later:
                                                        settlement)
2203    预收账款 Unapplied receipts   liability  company  money of a company the platform holds with
                                                        no order to apply it to (a paid order that
                                                        was cancelled; later: overpayments, claims)
6001    主营业务收入 Sales revenue    income     —        goods sold to distributors
6051    佣金收入 Commission income    income     —        later: commission on settlement
6601    销售费用—积分抵扣             expense    —        the part of an order paid with member points
        Points redeemed
======  ==========================  =========  =======  ============================================

Revenue is recognised when the order's payment is secured (the order is confirmed and
forwarded); cancelling reverses it. (Recognising it on delivery, through a contract-liability
account, is a later refinement once deliveries post.)

Postings per event (key → lines; keys make each posting idempotent):

========================================  =====================================================
event                                     posting
========================================  =====================================================
credit reserved at checkout               ``credit:<id>`` Dr 112201(company) / Cr 6001
  (member_tiers ``credit_moved`` purchased)
credit repaid (reimbursed)                ``credit:<id>`` Dr 1002 / Cr 112201(company)
credit refunded (credit restored)         ``credit:<id>`` Dr 6001 / Cr 112201(company)
credit reverted (order cancelled or not   ``credit:<id>`` the reversing entry of the reservation
  placed)                                 (Dr 6001 / Cr 112201), or those lines for the amount
                                          released when it is less than reserved
payment secured, on account               ``order:<n>:secured`` Dr 6601 / Cr 6001 for the part of
                                          the order not reserved on credit (points); nothing
                                          when credit covered it all
payment secured, any other way            ``order:<n>:secured`` Dr 112202(company) / Cr 6001
order paid, on account                    nothing: the money came with the repayment
order paid, any other way                 ``order:<n>:paid`` Dr 1002 / Cr 112202(company)
order cancelled                           ``order:<n>:cancelled`` reverses ``order:<n>:secured``;
                                          if it had been paid, ``order:<n>:unapplied``
                                          Dr 112202 / Cr 2203(company): the money waits to be
                                          refunded or applied
credit limit set or changed               nothing (a limit is not money)
========================================  =====================================================

Refunds (退款单, ``services/refunds.py``), posted when a refund is executed (kind ``refund``):

========================================  =====================================================
event                                     posting
========================================  =====================================================
refund executed, bank transfer            ``refund:<number>`` Dr 6001 / Cr 1002 (goods + freight)
refund executed, on account               member_tiers' credit refund (``credit:<id>``
                                          Dr 6001 / Cr 112201) for what the order still owes;
                                          the rest ``refund:<number>`` Dr 6001 / Cr 2203
                                          (company): the company's money, held; with a payout
                                          reference ``refund:<number>:payout`` Dr 2203 / Cr 1002
refund executed, order cancelled before   ``refund:<number>`` Dr 2203 / Cr 1002: the cancellation
                                          already moved the order's money to 2203
order cancelled after refunds executed    ``order:<n>:cancelled:refunds`` Dr 2203 / Cr 6001 for
                                          what those refunds took out of revenue (the
                                          cancellation gives back the whole order; without this
                                          the company would hold what it already got back)
refund after its supplier order was       ``clawback:<refund allocation id>`` Dr 2202(supplier)
  settled (kind ``settlement.clawback``)  goods + freight − commission / Dr 6051 commission /
                                          Cr 6401 goods + freight: the supplier now owes
========================================  =====================================================

Settlement (结算, ``services/settlement.py``): the supplier (owner of 2202) is the batch's.

========================================  =====================================================
event                                     posting
========================================  =====================================================
settlement batch confirmed by the         ``settlement:<batch number>`` Dr 6401 goods + freight
  supplier                                of its supplier orders less their refunds before
                                          settlement / Cr 6051 their commission less the
                                          refunds' commission / Cr 2202(supplier) the rest (the
                                          supplier orders' payable); clawback lines post nothing
                                          here (``clawback:<id>`` posted them when refunded)
settlement batch paid                     ``payout:<batch number>`` Dr 2202(supplier) / Cr 1002,
                                          the batch's payable (nothing when it is zero: a debit
                                          balance carried to the next batch)
========================================  =====================================================

Receipts (收款单, plugins.finance.services.receipts):

========================================  =====================================================
event                                     posting
========================================  =====================================================
receipt recorded (any state)              ``receipt:<number>`` Dr 1002 / Cr 2241
receipt voided (never after approval)     ``receipt:<number>:void`` the reversing entry
receipt approved (company known)          ``receipt:<number>:approved`` Dr 2241 / Cr 2203(company)
allocation to a bank-transfer order       ``allocation:<id>`` Dr 2203(company) / Cr 112202(company);
  (at approval, or later from unapplied   when the order's allocations reach its total the kernel
  credit)                                 records its payment (reference ``receipt:<number>``):
                                          securing posts Dr 112202 / Cr 6001, paying posts nothing
allocation to an on-account order         member_tiers' repayment (source ``receipt``):
                                          ``credit:<id>`` Dr 2203(company) / Cr 112201(company)
order cancelled after allocations         ``order:<n>:unapplied`` Dr 112202 / Cr 2203(company) for
                                          what its receipts had applied: the money waits again
========================================  =====================================================
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop as N_

ASSET, LIABILITY, EQUITY, INCOME, EXPENSE = "asset", "liability", "equity", "income", "expense"
TYPES = [
    (ASSET, _("Asset")),
    (LIABILITY, _("Liability")),
    (EQUITY, _("Equity")),
    (INCOME, _("Income")),
    (EXPENSE, _("Expense")),
]
COMPANY, SUPPLIER, PLATFORM = "company", "supplier", "platform"

BANK = "1002"
RECEIVABLE_ON_ACCOUNT = "112201"
RECEIVABLE_ORDERS = "112202"
SUSPENSE = "1901"
PAYABLE = "2202"
UNAPPLIED = "2203"
UNCLAIMED = "2241"
REVENUE = "6001"
COMMISSION = "6051"
COST_OF_GOODS = "6401"
POINTS_REDEEMED = "6601"
WRITE_OFF = "6711"


@dataclass(frozen=True)
class AccountSpec:
    code: str
    name: str  # English; shown through gettext (zh_hans_terms.py has the Chinese)
    type: str
    owner: str


CHART: dict[str, AccountSpec] = {
    spec.code: spec
    for spec in [
        AccountSpec(BANK, N_("Bank deposits"), ASSET, PLATFORM),
        AccountSpec(RECEIVABLE_ON_ACCOUNT, N_("Receivable on account"), ASSET, COMPANY),
        AccountSpec(RECEIVABLE_ORDERS, N_("Receivable for orders"), ASSET, COMPANY),
        AccountSpec(SUSPENSE, N_("Suspense"), ASSET, PLATFORM),
        AccountSpec(PAYABLE, N_("Payable to supplier"), LIABILITY, SUPPLIER),
        AccountSpec(UNAPPLIED, N_("Unapplied receipts"), LIABILITY, COMPANY),
        AccountSpec(UNCLAIMED, N_("Receipts awaiting claim"), LIABILITY, PLATFORM),
        AccountSpec(REVENUE, N_("Sales revenue"), INCOME, PLATFORM),
        AccountSpec(COMMISSION, N_("Commission income"), INCOME, PLATFORM),
        AccountSpec(COST_OF_GOODS, N_("Cost of goods sold"), EXPENSE, PLATFORM),
        AccountSpec(POINTS_REDEEMED, N_("Points redeemed"), EXPENSE, PLATFORM),
        AccountSpec(WRITE_OFF, N_("Write-offs"), EXPENSE, PLATFORM),
    ]
}

# journal entry kinds
CREDIT_RESERVE = "credit.reserve"
CREDIT_REPAYMENT = "credit.repayment"
CREDIT_REFUND = "credit.refund"
CREDIT_REVERT = "credit.revert"
ORDER_SECURED = "order.secured"
ORDER_PAID = "order.paid"
ORDER_UNAPPLIED = "order.unapplied"
REVERSAL = "reversal"
OPENING = "opening"
RECEIPT = "receipt"  # money in: Dr 1002 / Cr 2241 (unclaimed) or straight to the company
RECEIPT_APPLIED = "receipt.applied"  # a receipt's money applied to orders / held as unapplied credit
REFUND = "refund"
SETTLEMENT = "settlement"  # supplier payable and commission
CLAWBACK = "settlement.clawback"  # a refund's share taken back from a supplier
PAYOUT = "payout"
WRITE_OFF_KIND = "write_off"
KINDS = [
    (CREDIT_RESERVE, _("Credit reserved")),
    (CREDIT_REPAYMENT, _("Credit repaid")),
    (CREDIT_REFUND, _("Credit refunded")),
    (CREDIT_REVERT, _("Credit released")),
    (ORDER_SECURED, _("Order payment secured")),
    (ORDER_PAID, _("Order paid")),
    (ORDER_UNAPPLIED, _("Cancelled order's payment held")),
    (REVERSAL, _("Reversal")),
    (OPENING, _("Opening difference")),
    (RECEIPT, _("Receipt")),
    (RECEIPT_APPLIED, _("Receipt applied")),
    (REFUND, _("Refund")),
    (SETTLEMENT, _("Supplier settlement")),
    (CLAWBACK, _("Refund clawed back from supplier")),
    (PAYOUT, _("Supplier payout")),
    (WRITE_OFF_KIND, _("Write-off")),
]
#: kinds that state (or take back) an order's revenue when its payment is secured
SECURING_KINDS = frozenset({CREDIT_RESERVE, ORDER_SECURED})


def lines_balance(amounts: list[int]) -> str | None:
    """Why a list of posting amounts (fen) is not a valid entry, or None when it is."""
    if len(amounts) < 2:
        return "an entry needs at least two postings"
    if any(type(a) is not int or a == 0 for a in amounts):
        return "every posting is a non-zero integer amount of fen"
    if sum(amounts) != 0:
        return f"postings sum to {sum(amounts)} fen, not zero"
    return None


#: member_tiers' credit movement kinds (plugins.member_tiers.signals) → entry kind
CREDIT_KINDS = {
    "purchased": CREDIT_RESERVE,
    "reimbursed": CREDIT_REPAYMENT,
    "refunded": CREDIT_REFUND,
    "reverted": CREDIT_REVERT,
}


#: a credit repayment paid from a receipt's unapplied money (not straight into the bank)
SOURCE_RECEIPT = "receipt"


def credit_lines(movement: str, cents: int, *, source: str = "") -> tuple[str, list[tuple[str, int]]]:
    """(entry kind, [(account code, fen)]) for a credit movement that adds ``cents`` to what the
    company owes (negative: money comes back). The receivable is the company's 112201.

    >>> credit_lines("purchased", 32000)
    ('credit.reserve', [('112201', 32000), ('6001', -32000)])
    >>> credit_lines("reimbursed", -5000)
    ('credit.repayment', [('1002', 5000), ('112201', -5000)])
    >>> credit_lines("reimbursed", -5000, source="receipt")
    ('credit.repayment', [('2203', 5000), ('112201', -5000)])
    """
    kind = CREDIT_KINDS[movement]
    counter = REVENUE
    if kind == CREDIT_REPAYMENT:
        counter = UNAPPLIED if source == SOURCE_RECEIPT else BANK
    return kind, [(counter, -cents), (RECEIVABLE_ON_ACCOUNT, cents)] if cents < 0 else [
        (RECEIVABLE_ON_ACCOUNT, cents),
        (counter, -cents),
    ]


def secured_lines(cents: int, *, on_account: bool) -> list[tuple[str, int]]:
    """An order's payment secured for ``cents``: on account, ``cents`` is the part credit did not
    cover (points); otherwise the whole, owed by the company until it is booked as paid."""
    debit = POINTS_REDEEMED if on_account else RECEIVABLE_ORDERS
    return [(debit, cents), (REVENUE, -cents)]


def paid_lines(cents: int) -> list[tuple[str, int]]:
    return [(BANK, cents), (RECEIVABLE_ORDERS, -cents)]


def unapplied_lines(cents: int) -> list[tuple[str, int]]:
    """A paid order was cancelled: the money it paid waits as the company's unapplied receipt."""
    return [(RECEIVABLE_ORDERS, cents), (UNAPPLIED, -cents)]


# -- refunds (services/refunds.py) ---------------------------------------------------------------


def refund_lines(cents: int, *, debit: str = REVENUE, credit: str = BANK) -> list[tuple[str, int]]:
    """A refund of ``cents`` (> 0) out of ``debit`` (revenue, or the company's held money 2203)
    into ``credit`` (the bank, or 2203 when the money stays with the platform for the company).

    >>> refund_lines(12345)
    [('6001', 12345), ('1002', -12345)]
    """
    if cents <= 0:
        raise ValueError("a refund posts a positive amount")
    return [(debit, cents), (credit, -cents)]


def clawback_lines(goods_and_freight: int, commission: int) -> list[tuple[str, int]]:
    """A refund's share of a settled supplier order taken back: the supplier owes its payable
    part (2202 debit), the platform gives back its commission (6051 debit), the cost of goods
    sold falls (6401 credit). Zero parts are left out.

    >>> clawback_lines(10000, 500)
    [('2202', 9500), ('6051', 500), ('6401', -10000)]
    """
    if goods_and_freight <= 0 or commission < 0 or commission > goods_and_freight:
        raise ValueError("a clawback takes back a positive amount, commission within it")
    lines = [(PAYABLE, goods_and_freight - commission), (COMMISSION, commission), (COST_OF_GOODS, -goods_and_freight)]
    return [(code, amount) for code, amount in lines if amount]


# --- settlement --------------------------------------------------------------------------------


def settlement_lines(*, cost: int, commission: int, payable: int) -> list[tuple[str, int]]:
    """A confirmed batch's supplier orders (fen): ``cost`` = goods + freight less refunds before
    settlement (Dr 6401), ``commission`` net of the refunds' commission (Cr 6051), ``payable`` to
    the supplier (Cr 2202); cost = commission + payable. Zero parts are left out.

    >>> settlement_lines(cost=10500, commission=500, payable=10000)
    [('6401', 10500), ('6051', -500), ('2202', -10000)]
    """
    if cost != commission + payable:
        raise ValueError(f"cost {cost} ≠ commission {commission} + payable {payable}")
    lines = [(COST_OF_GOODS, cost), (COMMISSION, -commission), (PAYABLE, -payable)]
    return [(code, amount) for code, amount in lines if amount]


def payout_lines(cents: int) -> list[tuple[str, int]]:
    """A supplier paid ``cents``: Dr 2202 / Cr 1002.

    >>> payout_lines(9900)
    [('2202', 9900), ('1002', -9900)]
    """
    return [(PAYABLE, cents), (BANK, -cents)]


# -- receipts ---------------------------------------------------------------------------------


def receipt_lines(cents: int) -> list[tuple[str, int]]:
    """Money arrived in the bank; whose it is waits for the claim or approval."""
    return [(BANK, cents), (UNCLAIMED, -cents)]


def receipt_approved_lines(cents: int) -> list[tuple[str, int]]:
    """An approved receipt becomes the company's money (its unapplied receipts, 2203)."""
    return [(UNCLAIMED, cents), (UNAPPLIED, -cents)]


def allocation_lines(cents: int) -> list[tuple[str, int]]:
    """Part of a company's unapplied money paid for a bank-transfer order."""
    return [(UNAPPLIED, cents), (RECEIVABLE_ORDERS, -cents)]
