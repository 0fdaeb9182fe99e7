"""收款单: record, match, claim, assign, approve, void and allocate receipts; import bank statements.

Every change runs in one transaction under the receipt's row lock (two clicks, two claims or two
approvals queue; the second sees the first's result and is refused) and posts to the ledger in
that transaction (chart.py, "Receipts"):

- recorded: ``receipt:<n>`` Dr 1002 / Cr 2241 (money in the bank, owner not yet known);
- voided (only before approval): the reversing entry;
- approved: ``receipt:<n>:approved`` Dr 2241 / Cr 2203(company), then each allocation:
  bank-transfer order ``allocation:<id>`` Dr 2203 / Cr 112202 and, when the order's approved
  allocations reach its total, the kernel's ``record_payment`` (reference ``receipt:<n>``:
  securing posts the revenue, paying posts nothing more); on-account order: member_tiers'
  repayment with source "receipt" (Dr 2203 / Cr 112201), so the credit line stays the mirror of
  112201.

Matching (``match``): order numbers in the memo (附言) of one company's open orders → that company
and allocations (oldest first, each at most what the order still waits for); else the amount and
the payer name equal to one company's legal name or invoice title with exactly one open order of
that amount; else the receipt waits in the 待认领 queue.

Claiming rule (a distributor proves the transfer is its own): only an UNCLAIMED receipt, only for
the claimant's own company (its 财务 or admin), and the claimant gives the date, the exact amount
and the full payer account number the money came from (spaces ignored); a receipt without a payer
account cannot be claimed — finance assigns it. The queue shows distributors only transfers
whose payer name is their company's name, with the account masked, so the proof is knowledge the
payer has and the queue does not give away.
"""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.money import fen, to_fen
from core.numbering import next_number
from core.orders import status as order_status
from core.orders.services import record_payment
from core.statemachine import StateMachine
from plugins.finance import chart
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.models import BankStatement, JournalEntry, Receipt, ReceiptAllocation
from plugins.finance.selectors.receipts import (
    allocated_to_order,
    due_of,
    left_of,
    open_orders,
    owed_on_account,
    unapplied_of,
)
from plugins.finance.services.ledger import account, business_date, post, reverse
from plugins.finance.services.postings import RECEIPT_REFERENCE

Order = get_model("order", "Order")
State = Receipt.State
BANK_TRANSFER = "bank-transfer"

MACHINE = StateMachine(
    name="receipt",
    transitions={
        State.UNCLAIMED: frozenset({State.PENDING, State.VOID}),
        State.PENDING: frozenset({State.PENDING, State.APPROVED, State.VOID}),
        State.APPROVED: frozenset(),
        State.VOID: frozenset(),
    },
    labels=dict(State.choices),
    subject=gettext_lazy("Receipt %(subject)s"),
    timestamps={State.APPROVED: "approved_at"},
)

ORDER_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]{3,31}")


# -- matching (reads only) ----------------------------------------------------------------------


@dataclass
class Match:
    company: object = None
    allocations: list[tuple[object, Decimal]] = field(default_factory=list)  # (order, amount)
    matched_by: str = Receipt.MatchedBy.NONE


def _plan(amount: Decimal, orders) -> list[tuple[object, Decimal]]:
    """Allocations of ``amount`` to ``orders`` in turn, each at most what it still waits for."""
    left, out = amount, []
    for order in orders:
        if left <= 0:
            break
        part = min(left, due_of(order))
        if part > 0:
            out.append((order, part))
            left -= part
    return out


def match(*, memo: str, amount: Decimal, payer_name: str) -> Match:
    """Whose transfer this is and which orders it pays (see the module docstring)."""
    tokens = list(dict.fromkeys(ORDER_TOKEN.findall(memo or "")))
    if tokens:
        named = {o.number: o for o in Order.objects.filter(number__in=tokens).exclude(company=None)}
        orders = [named[t] for t in tokens if t in named and named[t].status != order_status.CANCELLED]
        companies = {o.company_id for o in orders}
        if len(companies) == 1:
            return Match(orders[0].company, _plan(amount, orders), Receipt.MatchedBy.MEMO)
    name = (payer_name or "").strip()
    if name:
        from companies.models import Company

        companies = list(Company.objects.filter(Q(legal_name=name) | Q(invoice_title=name))[:2])
        if len(companies) == 1:
            candidates = [o for o in open_orders(companies[0]) if o.total_incl_tax == amount and due_of(o) == amount]
            if len(candidates) == 1:
                return Match(companies[0], [(candidates[0], amount)], Receipt.MatchedBy.AMOUNT_PAYER)
    return Match()


# -- input checks -------------------------------------------------------------------------------


def _amount(value, field_name: str = "amount") -> Decimal:
    try:
        amount = Decimal(str(value).strip().replace(",", "").replace("¥", "")) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({field_name: _("Enter an amount in yuan, e.g. 1280.50.")})
    if amount <= 0:
        raise ValidationError({field_name: _("The amount must be more than zero.")})
    if amount >= Decimal("1000000000000"):  # before rounding: 1E26 cannot be quantized to the fen
        raise ValidationError({field_name: _("The amount is too large.")})
    if amount != fen(amount):
        raise ValidationError({field_name: _("The amount has more than two decimals (fen).")})
    return amount


def _require_finance(by) -> None:
    if not may_manage_finance(by):
        raise PermissionDenied(_("Only the finance team may do this."))


def _lock(receipt: Receipt) -> Receipt:
    return Receipt.objects.select_for_update(of=("self",)).get(pk=receipt.pk)


def _locked_orders(orders) -> list:
    return list(Order.objects.select_for_update(of=("self",)).filter(pk__in=[o.pk for o in orders]).order_by("id"))


def _check_orders(company, orders) -> list:
    """The orders a receipt of ``company`` may pay: its own, not cancelled, still waiting."""
    out = []
    for order in orders:
        if company is None or order.company_id != company.pk:
            raise ValidationError({"orders": _("Order %(number)s is not this company's.") % {"number": order.number}})
        if order.status == order_status.CANCELLED:
            raise ValidationError(
                {"orders": _("Order %(number)s is cancelled; a receipt cannot pay it.") % {"number": order.number}}
            )
        if due_of(order) <= 0:
            raise ValidationError({"orders": _("Order %(number)s has nothing left to pay.") % {"number": order.number}})
        out.append(order)
    return out


def _posting_day(day: date) -> date:
    """The receipt's value date, or today when its month is closed (corrections post in an open one)."""
    from plugins.finance.models import ClosedPeriod

    if ClosedPeriod.objects.filter(month=day.replace(day=1)).exists():
        return business_date()
    return day


def _post_received(receipt: Receipt, by) -> JournalEntry:
    cents = to_fen(receipt.amount)
    return post(
        key=f"receipt:{receipt.number}",
        kind=chart.RECEIPT,
        lines=[(account(code), amount) for code, amount in chart.receipt_lines(cents)],
        posted_on=_posting_day(receipt.received_on),
        memo=_("Receipt %(number)s from %(payer)s") % {"number": receipt.number, "payer": receipt.payer_name},
        by=by,
    )


def _replace_allocations(receipt: Receipt, plan: list[tuple[object, Decimal]], by) -> None:
    ReceiptAllocation.objects.filter(receipt=receipt).delete()
    if sum((amount for _o, amount in plan), Decimal(0)) > receipt.amount:
        raise ValidationError({"orders": _("The orders need more than the receipt's amount.")})
    ReceiptAllocation.objects.bulk_create(
        ReceiptAllocation(receipt=receipt, order=order, amount=amount, created_by=by) for order, amount in plan
    )


# -- recording ----------------------------------------------------------------------------------


def record_receipt(
    *,
    bank_reference: str,
    received_on: date,
    amount: Decimal,
    payer_name: str,
    payer_account: str = "",
    payer_bank: str = "",
    memo: str = "",
    company=None,
    orders=(),
    by,
    statement: BankStatement | None = None,
) -> Receipt:
    """Record money that reached the bank (finance). ``company`` (and ``orders``, e.g. from the
    order page) say whose it is; otherwise it is matched (``match``) or waits to be claimed."""
    _require_finance(by)
    bank_reference = (bank_reference or "").strip()
    payer_name = (payer_name or "").strip()
    errors = {}
    if not bank_reference:
        errors["bank_reference"] = _("Enter the bank's transaction reference (流水号).")
    elif Receipt.objects.filter(bank_reference=bank_reference).exists():
        errors["bank_reference"] = _("A receipt with bank reference %(ref)s is already recorded.") % {
            "ref": bank_reference
        }
    if not payer_name:
        errors["payer_name"] = _("Enter the payer's name.")
    if not isinstance(received_on, date) or isinstance(received_on, datetime):
        errors["received_on"] = _("Enter the date the money was received.")
    elif received_on > business_date():
        errors["received_on"] = _("The money cannot be received in the future.")
    try:
        amount = _amount(amount)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    orders = list(orders or ())
    if orders and company is None:
        company = orders[0].company
    with transaction.atomic():
        if orders:
            orders = _check_orders(company, _locked_orders(orders))
        if company is not None:
            found = Match(company, _plan(amount, orders), Receipt.MatchedBy.FINANCE)
        else:
            found = match(memo=memo, amount=amount, payer_name=payer_name)
        receipt = Receipt(
            number=next_number(Receipt, "SK"),
            bank_reference=bank_reference,
            received_on=received_on,
            amount=amount,
            payer_name=payer_name[:200],
            payer_account=(payer_account or "").strip()[:64],
            payer_bank=(payer_bank or "").strip()[:200],
            memo=(memo or "").strip()[:255],
            company=found.company,
            state=State.PENDING if found.company is not None else State.UNCLAIMED,
            matched_by=found.matched_by,
            source=Receipt.Source.IMPORT if statement is not None else Receipt.Source.MANUAL,
            statement=statement,
            recorded_by=by,
        )
        try:
            with transaction.atomic():
                receipt.save()
        except IntegrityError as exc:  # a racing writer recorded the same bank reference
            raise ValidationError(
                {
                    "bank_reference": _("A receipt with bank reference %(ref)s is already recorded.")
                    % {"ref": bank_reference}
                }
            ) from exc
        _replace_allocations(receipt, found.allocations, by)
        _post_received(receipt, by)
    return receipt


# -- claim and assignment -----------------------------------------------------------------------


def _digits(account_number: str) -> str:
    return re.sub(r"\s+", "", account_number or "")


def claim(
    receipt: Receipt,
    *,
    company,
    orders=(),
    by,
    amount=None,
    payer_account: str = "",
    received_on: date | None = None,
) -> Receipt:
    """A company's 财务/admin claims an unclaimed transfer as its own (proof: the date, the exact
    amount and the payer account, see the module docstring). It then waits for finance's approval."""
    if company is None or company_for_finance(by) is None or company_for_finance(by).pk != company.pk:
        raise PermissionDenied(_("Only your company's finance staff or admin may claim its transfers."))
    with transaction.atomic():
        locked = _lock(receipt)
        if locked.state != State.UNCLAIMED:
            raise ValidationError({"receipt": _("This transfer is not waiting to be claimed.")})
        proof_ok = (
            bool(locked.payer_account)
            and received_on == locked.received_on
            and amount is not None
            and _safe_amount(amount) == locked.amount
            and _digits(payer_account) == _digits(locked.payer_account)
        )
        if not proof_ok:
            raise ValidationError(
                {
                    "payer_account": _(
                        "The date, amount and payer account do not match this transfer; ask finance to assign it."
                    )
                }
            )
        orders = _check_orders(company, _locked_orders(orders))
        _replace_allocations(locked, _plan(locked.amount, orders), by)
        MACHINE.transition(
            locked,
            State.PENDING,
            actor=by,
            via="storefront",
            lock=False,
            changes={
                "company": company,
                "matched_by": Receipt.MatchedBy.CLAIM,
                "claimed_by": by,
                "claimed_at": timezone.now(),
            },
        )
    receipt.refresh_from_db()
    return receipt


def _safe_amount(value) -> Decimal | None:
    try:
        return _amount(value)
    except ValidationError:
        return None


def find_claimable(*, received_on: date, amount, payer_account: str) -> Receipt | None:
    """The one unclaimed transfer of that date, amount and payer account (None when none or several)."""
    value = _safe_amount(amount)
    account_number = _digits(payer_account)
    if value is None or not account_number or received_on is None:
        return None
    found = [
        r
        for r in Receipt.objects.filter(state=State.UNCLAIMED, received_on=received_on, amount=value).exclude(
            payer_account=""
        )
        if _digits(r.payer_account) == account_number
    ]
    return found[0] if len(found) == 1 else None


def assign(receipt: Receipt, *, company, orders=(), by) -> Receipt:
    """Finance says whose a receipt is (an unclaimed one, or a pending one reassigned) and which
    orders it pays; it then waits for approval."""
    _require_finance(by)
    if company is None:
        raise ValidationError({"company": _("Choose the company the money came from.")})
    with transaction.atomic():
        locked = _lock(receipt)
        MACHINE.check(locked, State.PENDING, field_name="receipt")
        orders = _check_orders(company, _locked_orders(orders))
        _replace_allocations(locked, _plan(locked.amount, orders), by)
        MACHINE.transition(
            locked,
            State.PENDING,
            actor=by,
            via="dashboard",
            lock=False,
            changes={"company": company, "matched_by": Receipt.MatchedBy.FINANCE},
        )
    receipt.refresh_from_db()
    return receipt


# -- approval, void, allocation -----------------------------------------------------------------


def _post_allocation(allocation: ReceiptAllocation, receipt: Receipt, by) -> None:
    """Apply a posted receipt's allocation to its order (see the module docstring)."""
    order = Order.objects.select_for_update(of=("self",)).get(pk=allocation.order_id)
    if order.status == order_status.CANCELLED:
        raise ValidationError(
            {"orders": _("Order %(number)s is cancelled; a receipt cannot pay it.") % {"number": order.number}}
        )
    owed = owed_on_account(order)
    if owed is not None:
        from plugins.member_tiers.models import CreditAccount
        from plugins.member_tiers.services.credit import record_repayment

        if allocation.amount > owed:
            raise ValidationError(
                {"amount": _("Order %(number)s owes only ¥%(owed)s.") % {"number": order.number, "owed": owed}}
            )
        credit_account = CreditAccount.objects.get(membership__company_id=order.company_id)
        record_repayment(
            credit_account,
            allocation.amount,
            reason=_("Receipt %(number)s for order %(order)s") % {"number": receipt.number, "order": order.number},
            by=by,
            source=chart.SOURCE_RECEIPT,
        )
        return
    cents = to_fen(allocation.amount)
    post(
        key=f"allocation:{allocation.pk}",
        kind=chart.RECEIPT_APPLIED,
        lines=[(account(code, company_id=order.company_id), amount) for code, amount in chart.allocation_lines(cents)],
        memo=_("Receipt %(number)s applied to order %(order)s") % {"number": receipt.number, "order": order.number},
        order_number=order.number,
        by=by,
    )
    if allocated_to_order(order, approved_only=True) >= order.total_incl_tax:
        record_payment(
            order,
            amount=order.total_incl_tax,
            reference=f"{RECEIPT_REFERENCE}{receipt.number}",
            method=BANK_TRANSFER,
            actor=by,
        )


def approve(receipt: Receipt, by) -> Receipt:
    """Finance approves a matched or claimed receipt: it becomes the company's money and pays its
    allocated orders. Allocations to orders cancelled since are dropped (the money stays unapplied)."""
    _require_finance(by)
    with transaction.atomic():
        locked = _lock(receipt)
        MACHINE.check(locked, State.APPROVED, field_name="receipt")
        cents = to_fen(locked.amount)
        post(
            key=f"receipt:{locked.number}:approved",
            kind=chart.RECEIPT_APPLIED,
            lines=[
                (account(code, company_id=locked.company_id if code == chart.UNAPPLIED else None), amount)
                for code, amount in chart.receipt_approved_lines(cents)
            ],
            memo=_("Receipt %(number)s approved") % {"number": locked.number},
            by=by,
        )
        MACHINE.transition(locked, State.APPROVED, actor=by, via="dashboard", lock=False, changes={"approved_by": by})
        allocations = list(ReceiptAllocation.objects.filter(receipt=locked).select_related("order").order_by("id"))
        for allocation in allocations:
            if allocation.order.status == order_status.CANCELLED:
                allocation.delete()
                continue
            _post_allocation(allocation, locked, by)
    receipt.refresh_from_db()
    return receipt


def void(receipt: Receipt, reason: str, by) -> Receipt:
    """Finance voids a receipt recorded by mistake (never an approved one): its posting is reversed."""
    _require_finance(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for voiding the receipt.")})
    with transaction.atomic():
        locked = _lock(receipt)
        MACHINE.check(locked, State.VOID, field_name="receipt")
        ReceiptAllocation.objects.filter(receipt=locked).delete()
        entry = JournalEntry.objects.get(key=f"receipt:{locked.number}")
        reverse(entry=entry, reason=reason, by=by, key=f"receipt:{locked.number}:void")
        MACHINE.transition(
            locked,
            State.VOID,
            actor=by,
            via="dashboard",
            reason=reason,
            lock=False,
            changes={"void_reason": reason[:255]},
        )
    receipt.refresh_from_db()
    return receipt


def allocate(receipt_or_company, order, amount, by) -> list[ReceiptAllocation]:
    """Apply unapplied money to ``order`` (finance): from one receipt, or from a company's
    approved receipts with money left, oldest first. On an approved receipt it posts at once; on a
    pending one it is a proposal posted at approval. Never more than what is left of the receipt(s),
    what the company holds unapplied, or what the order still waits for."""
    _require_finance(by)
    amount = _amount(amount)
    with transaction.atomic():  # receipts first, then the order: the lock order of ``approve``
        if isinstance(receipt_or_company, Receipt):
            receipts = [_lock(receipt_or_company)]
            company_id = receipts[0].company_id
            if receipts[0].state not in (State.PENDING, State.APPROVED):
                raise ValidationError({"receipt": _("Only a matched or approved receipt can be applied to an order.")})
        else:
            company_id = receipt_or_company.pk
            receipts = list(
                Receipt.objects.select_for_update(of=("self",))
                .filter(company_id=company_id, state=State.APPROVED)
                .order_by("received_on", "id")
            )
        order = Order.objects.select_for_update(of=("self",)).get(pk=order.pk)
        company = order.company if order.company_id == company_id else None
        _check_orders(company, [order])
        due = due_of(order)
        if amount > due:
            raise ValidationError(
                {"amount": _("Order %(number)s waits for only ¥%(due)s.") % {"number": order.number, "due": due}}
            )
        lefts = [(r, left_of(r)) for r in receipts]
        available = sum((left for _r, left in lefts), Decimal(0))
        if any(r.state == State.APPROVED for r in receipts):
            available = min(available, unapplied_of(company_id))
        if amount > available:
            raise ValidationError(
                {"amount": _("Only ¥%(left)s is left to apply.") % {"left": fen(max(available, Decimal(0)))}}
            )
        made, rest = [], amount
        for receipt, left in lefts:
            if rest <= 0:
                break
            part = min(rest, left)
            if part <= 0:
                continue
            if ReceiptAllocation.objects.filter(receipt=receipt, order=order).exists():
                raise ValidationError(
                    {"order": _("Receipt %(number)s already pays this order.") % {"number": receipt.number}}
                )
            allocation = ReceiptAllocation.objects.create(receipt=receipt, order=order, amount=part, created_by=by)
            if receipt.state == State.APPROVED:
                _post_allocation(allocation, receipt, by)
            made.append(allocation)
            rest -= part
    return made


# -- bank statement import ----------------------------------------------------------------------

COLUMNS = ("bank_reference", "received_on", "amount", "payer_name")
ALIASES = {
    "流水号": "bank_reference",
    "交易流水号": "bank_reference",
    "reference": "bank_reference",
    "交易日期": "received_on",
    "日期": "received_on",
    "date": "received_on",
    "金额": "amount",
    "贷方金额": "amount",
    "收入金额": "amount",
    "付款人": "payer_name",
    "对方户名": "payer_name",
    "payer": "payer_name",
    "付款账号": "payer_account",
    "对方账号": "payer_account",
    "付款行": "payer_bank",
    "对方开户行": "payer_bank",
    "附言": "memo",
    "用途": "memo",
    "摘要": "memo",
}


@dataclass
class StatementRow:
    line: int
    data: dict
    errors: list[str] = field(default_factory=list)
    match: Match | None = None


def _date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _rows(filename: str, content: bytes) -> list[StatementRow]:
    from core.tabular import as_text, read_table

    rows, seen = [], set()
    table = read_table(filename, content, columns=COLUMNS, aliases=ALIASES)
    references = [as_text(cells.get("bank_reference")) for _n, cells in table]
    existing = set(Receipt.objects.filter(bank_reference__in=references).values_list("bank_reference", flat=True))
    today = business_date()
    for line, cells in table:
        data = {
            "bank_reference": as_text(cells.get("bank_reference")),
            "payer_name": as_text(cells.get("payer_name")),
            "payer_account": as_text(cells.get("payer_account", "")),
            "payer_bank": as_text(cells.get("payer_bank", "")),
            "memo": as_text(cells.get("memo", "")),
            "received_on": _date(cells.get("received_on")),
        }
        row = StatementRow(line, data)
        ref = data["bank_reference"]
        if not ref:
            row.errors.append(_("No bank reference."))
        elif ref in existing:
            row.errors.append(_("Bank reference %(ref)s is already recorded.") % {"ref": ref})
        elif ref in seen:
            row.errors.append(_("Bank reference %(ref)s appears twice in the file.") % {"ref": ref})
        seen.add(ref)
        if data["received_on"] is None:
            row.errors.append(_("The date is not a date (use YYYY-MM-DD)."))
        elif data["received_on"] > today:
            row.errors.append(_("The date is in the future."))
        if not data["payer_name"]:
            row.errors.append(_("No payer name."))
        try:
            data["amount"] = _amount(as_text(cells.get("amount")))
        except ValidationError as exc:
            data["amount"] = None
            row.errors.extend(exc.messages)
        if not row.errors:
            row.match = match(memo=data["memo"], amount=data["amount"], payer_name=data["payer_name"])
        rows.append(row)
    return rows


def preview_statement(file, by) -> tuple[BankStatement, list[StatementRow]]:
    """Store an uploaded statement and show what applying it would record: each row with its match
    proposal, or its errors. Nothing is recorded yet."""
    _require_finance(by)
    if file is None:
        raise ValidationError({"file": _("Choose a bank statement file (CSV or XLSX).")})
    content = file.read()
    rows = _rows(file.name, content)
    from django.core.files.base import ContentFile

    statement = BankStatement(filename=file.name[:255], rows=len(rows), uploaded_by=by)
    statement.file.save(file.name, ContentFile(content), save=False)
    statement.save()
    return statement, rows


def statement_rows(statement: BankStatement) -> list[StatementRow]:
    with statement.file.open("rb") as handle:
        return _rows(statement.filename, handle.read())


def apply_statement(statement: BankStatement, by) -> list[Receipt]:
    """Record every row of a previewed statement, all or nothing: any row with an error (including
    a bank reference recorded since the preview) refuses the whole file."""
    _require_finance(by)
    with transaction.atomic():
        locked = BankStatement.objects.select_for_update().get(pk=statement.pk)
        if locked.applied_at is not None:
            raise ValidationError({"statement": _("This statement was already applied.")})
        rows = statement_rows(locked)
        bad = [row for row in rows if row.errors]
        if bad:
            raise ValidationError(
                {
                    "statement": [
                        _("Line %(line)d: %(errors)s") % {"line": row.line, "errors": " ".join(row.errors)}
                        for row in bad
                    ]
                }
            )
        receipts = [
            record_receipt(
                bank_reference=row.data["bank_reference"],
                received_on=row.data["received_on"],
                amount=row.data["amount"],
                payer_name=row.data["payer_name"],
                payer_account=row.data["payer_account"],
                payer_bank=row.data["payer_bank"],
                memo=row.data["memo"],
                by=by,
                statement=locked,
            )
            for row in rows
        ]
        locked.applied_at, locked.applied_by = timezone.now(), by
        locked.save(update_fields=["applied_at", "applied_by"])
    statement.refresh_from_db()
    return receipts
