"""Read side of the ledger: balances in integer fen and entries with filters (postings and
accounts prefetched, so a list costs a fixed number of queries)."""

from datetime import date

from django.db.models import Prefetch, QuerySet, Sum

from plugins.finance import chart
from plugins.finance.models import Account, JournalEntry, Posting


def balance(account: Account, as_of: date | None = None) -> int:
    """Debit-positive balance of ``account`` in fen, over entries posted on or before ``as_of``."""
    postings = Posting.objects.filter(account=account)
    if as_of is not None:
        postings = postings.filter(entry__posted_on__lte=as_of)
    return postings.aggregate(s=Sum("amount"))["s"] or 0


def receivable_of_company(company_id: int, as_of: date | None = None) -> int:
    """What the company owes on its credit line (account 112201), in fen; 0 when never used."""
    found = Account.objects.filter(code=chart.RECEIVABLE_ON_ACCOUNT, company_id=company_id).first()
    return balance(found, as_of) if found else 0


def receivables_on_account() -> dict[int, int]:
    """company id → balance of its 112201 account in fen (one query)."""
    rows = (
        Posting.objects.filter(account__code=chart.RECEIVABLE_ON_ACCOUNT)
        .values_list("account__company_id")
        .annotate(total=Sum("amount"))
    )
    return dict(rows)


def entries(
    *,
    account: Account | None = None,
    company_id: int | None = None,
    code: str | None = None,
    kind: str | None = None,
    order_number: str | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[JournalEntry]:
    """Journal entries, newest first, filtered by any of: an account, an owner company, an
    account code, a kind, an order number, a posting-date range (inclusive)."""
    qs = JournalEntry.objects.all()
    if account is not None:
        qs = qs.filter(postings__account=account)
    if company_id is not None:
        qs = qs.filter(postings__account__company_id=company_id)
    if code is not None:
        qs = qs.filter(postings__account__code=code)
    if kind is not None:
        qs = qs.filter(kind=kind)
    if order_number is not None:
        qs = qs.filter(order_number=order_number)
    if since is not None:
        qs = qs.filter(posted_on__gte=since)
    if until is not None:
        qs = qs.filter(posted_on__lte=until)
    return qs.distinct().prefetch_related(
        Prefetch("postings", queryset=Posting.objects.select_related("account").order_by("-amount", "id"))
    )


def entry_for(key: str) -> JournalEntry | None:
    return JournalEntry.objects.filter(key=key).first()


def is_on_account(order_number: str) -> bool:
    """Whether credit was reserved for the order (its revenue came with the reservation)."""
    return JournalEntry.objects.filter(kind=chart.CREDIT_RESERVE, order_number=order_number).exists()
