"""对账单 and closed periods.

Figures come from the ledger only (accounts and entry kinds of plugins.finance.chart), so a
statement is right whichever area posted the money; the invoiced amounts come from the Invoice
model (fapiao are not money movements).

A company's balance with the platform is the sum of its own accounts (112201 receivable on
account + 112202 receivable for orders + 2203 unapplied receipts), debit positive: positive, the
company owes the platform; negative, the platform holds the company's money. A period's movements
are the entries dated in it, bucketed by kind (all figures integer fen):

==================  ===========================================================================
figure              what it is
==================  ===========================================================================
opening             the balance at the end of the day before ``start``
orders              revenue stated for the company's orders (credit reservations, payments
                    secured), including the part paid with member points
points              the part of orders paid with member points (negative: it is paid)
cancellations       cancelled orders: credit released, revenue reversed, a paid order's money held
receipts            money received (receipts approved, transfers booked, credit repaid by
                    transfer) — negative
refunds             refunds granted (credit restored or money owed back) — negative
refunds_paid        refunds paid out to the company by bank transfer — positive
write_offs          small balances written off
other               anything else posted on the company's accounts (should stay 0)
closing             the balance at the end of ``end``; opening + movements = closing (checked)
unapplied_opening/  money held for the company (2203, positive when held) at both ends
unapplied_closing
credit_opening/     what the company owed on its credit line (112201) at both ends, and in the
credit_closing,     period: credit used (reserved), repaid, released (cancellations) and restored
credit_used, …      by refunds
invoiced            fapiao issued in the period (blue − red, tax included)
invoiced_to_date    fapiao issued up to ``end``
uninvoiced          net sales to the company up to ``end`` (orders − cancellations − refunds)
                    minus invoiced_to_date
==================  ===========================================================================

A supplier's balance is what the platform owes it (its 2202 payable, credit positive): payables
(settlements confirmed: goods + freight − commission), clawbacks (refunds after settlement),
payouts, other; commission and goods of the period's settlements are shown beside them.

Refund and points entries that touch no company account (a refund paid by transfer posts Dr 6001
/ Cr 1002) are found by the entry's order number: the refunds area posts with the order number.

Each figure set costs a fixed number of aggregate queries whatever the number of orders.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, IntegerField, Q, Sum, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from oscar.core.loading import get_model

from core.access import supplier_partner_ids
from core.numbering import next_number
from core.statemachine import StateMachine
from plugins.finance import chart
from plugins.finance.access import company_for_finance, may_manage_finance
from plugins.finance.models import Account, ClosedPeriod, Invoice, JournalEntry, Posting, Statement
from plugins.finance.services.ledger import SHANGHAI, business_date

COMPANY_CODES = (chart.RECEIVABLE_ON_ACCOUNT, chart.RECEIVABLE_ORDERS, chart.UNAPPLIED)
ORDER_KINDS = frozenset({chart.CREDIT_RESERVE, chart.ORDER_SECURED})
CANCEL_KINDS = frozenset({chart.CREDIT_REVERT, chart.ORDER_UNAPPLIED, chart.REVERSAL})
RECEIPT_KINDS = frozenset({chart.RECEIPT, chart.RECEIPT_APPLIED, chart.ORDER_PAID, chart.CREDIT_REPAYMENT})
REFUND_KINDS = frozenset({chart.REFUND, chart.CREDIT_REFUND})
WRITE_OFF_KINDS = frozenset({chart.WRITE_OFF_KIND})

#: the company figures' movements, in the order a statement shows them
COMPANY_MOVEMENTS = ("orders", "points", "cancellations", "receipts", "refunds", "refunds_paid", "write_offs", "other")
SUPPLIER_MOVEMENTS = ("payables", "clawbacks", "payouts", "other")

BEFORE, DURING = 0, 1


class StatementError(ValidationError):
    """A statement action refused; nothing changed."""


MACHINE = StateMachine(
    name="finance.statement",
    transitions={
        Statement.State.ISSUED: frozenset({Statement.State.CONFIRMED, Statement.State.DISPUTED}),
        Statement.State.DISPUTED: frozenset({Statement.State.RESOLVED}),
        Statement.State.CONFIRMED: frozenset(),
        Statement.State.RESOLVED: frozenset(),
    },
    labels=dict(Statement.State.choices),
    subject=gettext_lazy("Statement %(subject)s"),
    timestamps={
        Statement.State.CONFIRMED: "answered_at",
        Statement.State.DISPUTED: "answered_at",
        Statement.State.RESOLVED: "resolved_at",
    },
)


# --- periods -------------------------------------------------------------------------------------


def _check_period(start: date, end: date) -> None:
    if start is None or end is None:
        raise StatementError({"period_start": _("Give the first and the last day of the period.")})
    if end < start:
        raise StatementError({"period_end": _("The period ends before it starts.")})
    if end > business_date():
        raise StatementError({"period_end": _("The period has not ended yet: choose a last day up to today.")})


def month_bounds(month: date) -> tuple[date, date]:
    first = month.replace(day=1)
    return first, first.replace(day=monthrange(first.year, first.month)[1])


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


# --- company figures -----------------------------------------------------------------------------


def _bucket(start: date) -> Case:
    return Case(
        When(entry__posted_on__lt=start, then=Value(BEFORE)), default=Value(DURING), output_field=IntegerField()
    )


def _grouped(postings, start: date) -> list[tuple[int, str, str, int]]:
    """(bucket, kind, code, fen) sums of ``postings`` (one query)."""
    return list(
        postings.annotate(bucket=_bucket(start))
        .values_list("bucket", "entry__kind", "account__code")
        .annotate(total=Sum("amount"))
        .order_by()
    )


def _company_orders(company_id: int):
    Order = get_model("order", "Order")
    return Order.objects.filter(company_id=company_id).values("number")


def company_figures(company, start: date, end: date) -> dict[str, int]:
    """The company's statement figures for ``start``…``end`` (inclusive) in fen (see the module
    docstring); StatementError if the movements do not add up to the closing balance."""
    company_id = getattr(company, "pk", company)
    own = _grouped(
        Posting.objects.filter(
            account__company_id=company_id, account__code__in=COMPANY_CODES, entry__posted_on__lte=end
        ),
        start,
    )
    # refunds paid by transfer and the points part of orders touch no company account
    by_order = _grouped(
        Posting.objects.filter(entry__posted_on__lte=end, entry__order_number__in=_company_orders(company_id)).filter(
            Q(entry__kind=chart.REFUND, account__code=chart.BANK)
            | Q(entry__kind__in=[chart.ORDER_SECURED, chart.REVERSAL], account__code=chart.POINTS_REDEEMED)
        ),
        start,
    )
    invoiced = _invoiced(company_id, start, end)
    return _company_from(own, by_order, invoiced)


def _kind_bucket(kind: str) -> str:
    if kind in ORDER_KINDS:
        return "orders"
    if kind in CANCEL_KINDS:
        return "cancellations"
    if kind in RECEIPT_KINDS:
        return "receipts"
    if kind in REFUND_KINDS:
        return "refunds"
    if kind in WRITE_OFF_KINDS:
        return "write_offs"
    return "other"


def _company_from(own, by_order, invoiced: tuple[int, int]) -> dict[str, int]:
    f = {name: 0 for name in ("opening", *COMPANY_MOVEMENTS, "closing")}
    f.update(
        unapplied_opening=0,
        unapplied_closing=0,
        credit_opening=0,
        credit_closing=0,
        credit_used=0,
        credit_repaid=0,
        credit_released=0,
        credit_restored=0,
    )
    sales_to_date = 0  # net revenue stated for the company up to ``end`` (for uninvoiced)
    for bucket, kind, code, total in own:
        f["closing"] += total
        if code == chart.UNAPPLIED:
            f["unapplied_closing"] -= total
        if code == chart.RECEIVABLE_ON_ACCOUNT:
            f["credit_closing"] += total
        if bucket == BEFORE:
            f["opening"] += total
            if code == chart.UNAPPLIED:
                f["unapplied_opening"] -= total
            if code == chart.RECEIVABLE_ON_ACCOUNT:
                f["credit_opening"] += total
        else:
            f[_kind_bucket(kind)] += total
            if code == chart.RECEIVABLE_ON_ACCOUNT:
                if kind == chart.CREDIT_RESERVE:
                    f["credit_used"] += total
                elif kind == chart.CREDIT_REPAYMENT:
                    f["credit_repaid"] -= total
                elif kind in CANCEL_KINDS:
                    f["credit_released"] -= total
                elif kind == chart.CREDIT_REFUND:
                    f["credit_restored"] -= total
        if kind in ORDER_KINDS | CANCEL_KINDS | REFUND_KINDS:
            sales_to_date += total
    for bucket, kind, code, total in by_order:
        if code == chart.BANK:  # a refund paid out (Cr 1002): the company received it
            amount = -total
            if bucket == DURING:
                f["refunds_paid"] += amount
                f["refunds"] -= amount
            sales_to_date -= amount
        else:  # points (Dr 6601 when secured, Cr 6601 when a cancellation reverses it)
            if bucket == DURING:
                if kind == chart.ORDER_SECURED:
                    f["orders"] += total
                else:
                    f["cancellations"] += total
                f["points"] -= total
            sales_to_date += total
    moved = sum(f[name] for name in COMPANY_MOVEMENTS)
    if f["opening"] + moved != f["closing"]:
        raise StatementError(
            _("The statement does not add up: opening %(opening)s + movements %(moved)s ≠ closing %(closing)s fen.")
            % {"opening": f["opening"], "moved": moved, "closing": f["closing"]}
        )
    f["invoiced"], f["invoiced_to_date"] = invoiced
    f["sales_to_date"] = sales_to_date
    f["uninvoiced"] = sales_to_date - f["invoiced_to_date"]
    return f


def _invoiced(company_id: int, start: date, end: date) -> tuple[int, int]:
    """(invoiced in the period, invoiced up to ``end``) in fen: blue minus red, tax included."""
    until = _day_start(end + timedelta(days=1))
    rows = (
        Invoice.objects.filter(request__company_id=company_id, issued_at__lt=until)
        .annotate(
            bucket=Case(When(issued_at__lt=_day_start(start), then=Value(BEFORE)), default=Value(DURING)),
        )
        .values_list("bucket", "is_red")
        .annotate(total=Sum("amount_incl_tax"))
        .order_by()
    )
    during = to_date = 0
    for bucket, is_red, total in rows:
        cents = int(round((total or 0) * 100))
        cents = -abs(cents) if is_red else cents
        to_date += cents
        if bucket == DURING:
            during += cents
    return during, to_date


# --- supplier figures ----------------------------------------------------------------------------


def supplier_figures(partner, start: date, end: date) -> dict[str, int]:
    """What the platform owes the supplier (its 2202, positive: owed to the supplier) at both ends
    of the period and why it moved: payables on settlement, clawbacks of refunds, payouts; with
    the goods and the commission of the period's settlements."""
    supplier_id = getattr(partner, "pk", partner)
    own = Posting.objects.filter(
        account__supplier_id=supplier_id, account__code=chart.PAYABLE, entry__posted_on__lte=end
    )
    rows = _grouped(own, start)
    # the other side of the supplier's settlement and clawback entries: goods (6401), commission (6051)
    beside = _grouped(
        Posting.objects.filter(
            entry__in=JournalEntry.objects.filter(
                posted_on__gte=start,
                posted_on__lte=end,
                kind__in=[chart.SETTLEMENT, chart.CLAWBACK],
                postings__account__supplier_id=supplier_id,
                postings__account__code=chart.PAYABLE,
            ).values("pk"),
            account__code__in=[chart.COST_OF_GOODS, chart.COMMISSION],
        ),
        start,
    )
    f = {name: 0 for name in ("opening", *SUPPLIER_MOVEMENTS, "closing", "goods", "commission")}
    for bucket, kind, _code, total in rows:
        owed = -total
        f["closing"] += owed
        if bucket == BEFORE:
            f["opening"] += owed
        elif kind == chart.SETTLEMENT:
            f["payables"] += owed
        elif kind == chart.CLAWBACK:
            f["clawbacks"] += owed
        elif kind == chart.PAYOUT:
            f["payouts"] += owed
        else:
            f["other"] += owed
    for _b, _k, code, total in beside:  # noqa: B007
        if code == chart.COST_OF_GOODS:
            f["goods"] += total
        else:
            f["commission"] -= total
    moved = sum(f[name] for name in SUPPLIER_MOVEMENTS)
    if f["opening"] + moved != f["closing"]:
        raise StatementError(
            _("The statement does not add up: opening %(opening)s + movements %(moved)s ≠ closing %(closing)s fen.")
            % {"opening": f["opening"], "moved": moved, "closing": f["closing"]}
        )
    return f


def figures_for(statement: Statement) -> dict[str, int]:
    if statement.company_id:
        return company_figures(statement.company_id, statement.period_start, statement.period_end)
    return supplier_figures(statement.supplier_id, statement.period_start, statement.period_end)


# --- lines: the period's entries of a party, for the detail page and the exports -----------------


def party_entries(statement: Statement):
    """The journal entries of the statement's party dated in its period (oldest first), each
    annotated with ``effect``: its amount on the party's accounts (company: 112201 + 112202 + 2203,
    debit positive; supplier: 2202, owed to the supplier positive). Refunds paid by transfer carry
    no company account: they appear with effect 0 and their amount in ``paid``."""
    start, end = statement.period_start, statement.period_end
    in_period = JournalEntry.objects.filter(posted_on__gte=start, posted_on__lte=end)
    if statement.company_id:
        accounts = Account.objects.filter(company_id=statement.company_id, code__in=COMPANY_CODES).values("pk")
        bank = Account.objects.filter(code=chart.BANK).values("pk")
        # a UNION of the two ways an entry concerns the company keeps both on their indexes
        # (postings by account; entries by kind and order number), where an OR would scan every entry
        ids = (
            Posting.objects.filter(account_id__in=accounts)
            .values("entry_id")
            .union(
                JournalEntry.objects.filter(
                    kind=chart.REFUND, order_number__in=_company_orders(statement.company_id)
                ).values("pk")
            )
        )
        qs = in_period.filter(pk__in=ids).annotate(
            effect=Sum("postings__amount", filter=Q(postings__account_id__in=accounts), default=0),
            paid=Sum("postings__amount", filter=Q(kind=chart.REFUND, postings__account_id__in=bank), default=0),
        )
    else:
        accounts = Account.objects.filter(supplier_id=statement.supplier_id, code=chart.PAYABLE).values("pk")
        qs = in_period.filter(pk__in=Posting.objects.filter(account_id__in=accounts).values("entry_id")).annotate(
            effect=-Sum("postings__amount", filter=Q(postings__account_id__in=accounts)), paid=Value(0)
        )
    return qs.order_by("posted_on", "id").values(
        "id", "posted_on", "kind", "key", "order_number", "supplier_order_number", "memo", "effect", "paid"
    )


# --- issuing and answering -----------------------------------------------------------------------


def _party_fields(party) -> dict:
    Partner = get_model("partner", "Partner")
    if isinstance(party, Partner):
        return {"supplier": party}
    from companies.models import Company

    if isinstance(party, Company):
        return {"company": party}
    raise StatementError({"party": _("A statement is for a company or a supplier.")})


def issue_statement(party, start: date, end: date, by) -> Statement:
    """Freeze the party's figures for the period into a new 对账单 awaiting the counterparty's
    answer. Finance only; a second statement of the same party and period is refused while one
    awaits an answer or was confirmed (a disputed one may be superseded)."""
    if not may_manage_finance(by):
        raise StatementError(_("Only the finance team may issue statements."))
    _check_period(start, end)
    fields = _party_fields(party)
    with transaction.atomic():
        party_model = type(party)
        party_model._default_manager.select_for_update().get(pk=party.pk)  # one issuer per party at a time
        live = Statement.objects.filter(
            **fields,
            period_start=start,
            period_end=end,
            state__in=[Statement.State.ISSUED, Statement.State.CONFIRMED],
        ).first()
        if live is not None:
            raise StatementError(
                {
                    "period_start": _("Statement %(number)s already covers this period (%(state)s).")
                    % {"number": live.number, "state": live.get_state_display()}
                }
            )
        figures = company_figures(party, start, end) if "company" in fields else supplier_figures(party, start, end)
        statement = Statement.objects.create(
            number=next_number(Statement, "DZ"),
            period_start=start,
            period_end=end,
            figures=figures,
            issued_by=by,
            **fields,
        )
    return statement


def issue_for_period(start: date, end: date, by) -> list[Statement]:
    """Issue the period's statement of every company and supplier whose accounts have a balance or
    a movement by ``end`` (skipping those that already have a live statement of the period and
    those whose figures are all zero). Finance only."""
    if not may_manage_finance(by):
        raise StatementError(_("Only the finance team may issue statements."))
    _check_period(start, end)
    from companies.models import Company

    Partner = get_model("partner", "Partner")
    booked = Account.objects.filter(postings__entry__posted_on__lte=end)
    company_ids = booked.filter(code__in=COMPANY_CODES, company__isnull=False).values("company_id")
    supplier_ids = booked.filter(code=chart.PAYABLE, supplier__isnull=False).values("supplier_id")
    live = Statement.objects.filter(
        period_start=start, period_end=end, state__in=[Statement.State.ISSUED, Statement.State.CONFIRMED]
    )
    parties = [
        *Company.objects.filter(pk__in=company_ids).exclude(pk__in=live.values("company_id")).order_by("pk"),
        *Partner.objects.filter(pk__in=supplier_ids)
        .exclude(pk__in=live.filter(supplier__isnull=False).values("supplier_id"))
        .order_by("pk"),
    ]
    made = []
    for party in parties:
        figures = (
            company_figures(party, start, end) if isinstance(party, Company) else supplier_figures(party, start, end)
        )
        if any(figures.values()):
            made.append(issue_statement(party, start, end, by))
    return made


def is_counterparty(statement: Statement, user) -> bool:
    """Whether ``user`` answers for the statement's party (the company's 财务/admin, the supplier's staff)."""
    if statement.company_id:
        company = company_for_finance(user)
        return company is not None and company.pk == statement.company_id
    return statement.supplier_id in supplier_partner_ids(user)


def confirm(statement: Statement, *, by) -> Statement:
    if not is_counterparty(statement, by):
        raise StatementError(_("Only the statement's counterparty may confirm it."))
    return MACHINE.transition(
        statement, Statement.State.CONFIRMED, actor=by, via="finance", changes={"answered_by": by}
    )


def dispute(statement: Statement, *, reason: str, by) -> Statement:
    """The counterparty disagrees: the statement waits in the back office's disputes queue and
    the finance team is e-mailed (through the outbox, drained by Celery)."""
    reason = (reason or "").strip()
    if not reason:
        raise StatementError({"reason": _("Say what is wrong with the statement.")})
    if not is_counterparty(statement, by):
        raise StatementError(_("Only the statement's counterparty may dispute it."))
    with transaction.atomic():
        done = MACHINE.transition(
            statement,
            Statement.State.DISPUTED,
            actor=by,
            via="finance",
            reason=reason[:255],
            changes={"answered_by": by, "dispute_reason": reason},
        )
        from plugins.finance.services import statements_notify

        statements_notify.disputed(done)
    return done


def resolve(statement: Statement, *, resolution: str, by) -> Statement:
    resolution = (resolution or "").strip()
    if not may_manage_finance(by):
        raise StatementError(_("Only the finance team may resolve disputes."))
    if not resolution:
        raise StatementError({"resolution": _("Say how the dispute was resolved.")})
    return MACHINE.transition(
        statement,
        Statement.State.RESOLVED,
        actor=by,
        via="finance",
        reason=resolution[:255],
        changes={"resolved_by": by, "resolution": resolution},
    )


# --- closed periods ------------------------------------------------------------------------------


def unposted_in(month: date) -> dict[str, list[str]]:
    """The documents of ``month`` whose money has not reached the ledger yet (what keeps it open):
    receipts received in it still awaiting claim or approval, refunds requested in it not yet
    executed or rejected, settlement batches whose period ends in it still in draft or disputed
    (a confirmed batch has posted its payable; its payout is a movement of the month it is paid)."""
    from plugins.finance.models import Receipt, Refund, SettlementBatch

    first, last = month_bounds(month)
    receipts = Receipt.objects.filter(
        received_on__gte=first, received_on__lte=last, state__in=[Receipt.State.UNCLAIMED, Receipt.State.PENDING]
    )
    refunds = Refund.objects.filter(
        requested_at__gte=_day_start(first),
        requested_at__lt=_day_start(last + timedelta(days=1)),
        state__in=[Refund.State.REQUESTED, Refund.State.APPROVED],
    )
    batches = SettlementBatch.objects.filter(
        period_end__gte=first,
        period_end__lte=last,
        state__in=[SettlementBatch.State.DRAFT, SettlementBatch.State.DISPUTED],
    )
    found = {
        "receipts": list(receipts.values_list("number", flat=True)[:20]),
        "refunds": list(refunds.values_list("number", flat=True)[:20]),
        "settlements": list(batches.values_list("number", flat=True)[:20]),
    }
    return {k: v for k, v in found.items() if v}


def close_period(month: date, *, by) -> ClosedPeriod:
    """Lock the books of ``month``: afterwards ``ledger.post`` refuses entries dated in it and
    corrections post in an open month. Finance only; the month must be over and have no unposted
    documents (``unposted_in``). Closing is final (see ``reopen``)."""
    if not may_manage_finance(by):
        raise StatementError(_("Only the finance team may close periods."))
    if month is None:
        raise StatementError({"month": _("Choose the month to close.")})
    first, last = month_bounds(month)
    if last >= business_date():
        raise StatementError({"month": _("%(month)s has not ended yet.") % {"month": f"{first:%Y-%m}"}})
    if ClosedPeriod.objects.filter(month=first).exists():
        raise StatementError({"month": _("%(month)s is already closed.") % {"month": f"{first:%Y-%m}"}})
    waiting = unposted_in(first)
    if waiting:
        labels = {"receipts": _("receipts"), "refunds": _("refunds"), "settlements": _("settlement batches")}
        listed = "; ".join(f"{labels[k]}: {', '.join(v)}" for k, v in waiting.items())
        raise StatementError(
            {
                "month": _("%(month)s still has documents that are not posted: %(list)s.")
                % {"month": f"{first:%Y-%m}", "list": listed}
            },
            code="unposted",
        )
    try:
        with transaction.atomic():
            return ClosedPeriod.objects.create(month=first, closed_by=by)
    except IntegrityError as exc:
        raise StatementError({"month": _("%(month)s is already closed.") % {"month": f"{first:%Y-%m}"}}) from exc


def reopen(period: ClosedPeriod, *, by) -> None:
    """Never: a closed month stays closed. A correction is a new entry (or a reversing entry)
    dated in the open period, which ``ledger.post`` dates today by default."""
    raise StatementError(
        _("%(month)s is closed and cannot be reopened: post the correction in the open period (today).")
        % {"month": str(period)},
        code="period_closed",
    )


def now_month() -> date:
    return business_date(timezone.now()).replace(day=1)
