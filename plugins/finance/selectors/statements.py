"""Read side of statements, closed periods and the ledger browser, scoped to who asks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet, Sum

from core.access import is_operator, supplier_partner_ids
from plugins.finance.access import company_for_finance
from plugins.finance.models import Account, ClosedPeriod, JournalEntry, Posting, Statement


def statements_for(user) -> QuerySet[Statement]:
    """Operators: every statement; a company's 财务/admin: the company's; supplier staff: their
    suppliers'; anyone else: none."""
    qs = Statement.objects.select_related("company", "supplier")
    if is_operator(user):
        return qs
    partners = supplier_partner_ids(user)
    if partners:
        return qs.filter(supplier_id__in=partners)
    company = company_for_finance(user)
    if company is not None:
        return qs.filter(company=company)
    return qs.none()


def company_statements(user) -> QuerySet[Statement]:
    company = company_for_finance(user)
    if company is None:
        return Statement.objects.none()
    return Statement.objects.filter(company=company).select_related("company")


def supplier_statements(user) -> QuerySet[Statement]:
    return Statement.objects.filter(supplier_id__in=supplier_partner_ids(user)).select_related("supplier")


def statement_in(qs: QuerySet[Statement], number: str) -> Statement | None:
    return qs.filter(number=number).first()


def disputes() -> QuerySet[Statement]:
    """The back office's work items: disputed statements waiting for a resolution, oldest first."""
    return (
        Statement.objects.filter(state=Statement.State.DISPUTED)
        .select_related("company", "supplier", "answered_by")
        .order_by("answered_at", "id")
    )


def closed_periods() -> QuerySet[ClosedPeriod]:
    return ClosedPeriod.objects.select_related("closed_by")


# --- ledger browser ------------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerFilter:
    code: str = ""
    owner: str = ""  # "company", "supplier", "platform" or ""
    owner_name: str = ""
    since: date | None = None
    until: date | None = None
    kind: str = ""
    order_number: str = ""

    def accounts(self) -> Q:
        q = Q()
        if self.code:
            q &= Q(account__code__startswith=self.code)
        if self.owner == "company":
            q &= Q(account__company__isnull=False)
        elif self.owner == "supplier":
            q &= Q(account__supplier__isnull=False)
        elif self.owner == "platform":
            q &= Q(account__company__isnull=True, account__supplier__isnull=True)
        if self.owner_name:
            q &= Q(account__company__legal_name__icontains=self.owner_name) | Q(
                account__supplier__name__icontains=self.owner_name
            )
        return q

    def entries(self) -> Q:
        q = Q()
        if self.kind:
            q &= Q(entry__kind=self.kind)
        if self.order_number:
            q &= Q(entry__order_number=self.order_number) | Q(entry__supplier_order_number=self.order_number)
        if self.until:
            q &= Q(entry__posted_on__lte=self.until)
        return q


def _sums(since: date | None):
    during = Q(entry__posted_on__gte=since) if since else Q()
    sums = {
        "debit": Sum("amount", filter=during & Q(amount__gt=0), default=0),
        "credit": Sum("amount", filter=during & Q(amount__lt=0), default=0),
        "closing": Sum("amount", default=0),
    }
    if since:
        sums["opening"] = Sum("amount", filter=Q(entry__posted_on__lt=since), default=0)
    return sums


def trial_balance(f: LedgerFilter) -> QuerySet:
    """One row per account with postings matching the filter: ``account`` (id), ``opening``
    (before ``since``), ``debit`` and ``credit`` (in the range), ``closing`` (fen). Ordered by
    code; paginate it and fetch the page's accounts with ``accounts_by_id``."""
    return (
        Posting.objects.filter(f.accounts() & f.entries())
        .values("account")
        .annotate(**_sums(f.since))
        .order_by("account__code", "account")
    )


def trial_totals(f: LedgerFilter) -> dict[str, int]:
    """The column totals of ``trial_balance`` (debits equal credits when no account is filtered out)."""
    return Posting.objects.filter(f.accounts() & f.entries()).aggregate(
        **_sums(f.since), accounts=Count("account", distinct=True)
    )


def accounts_by_id(ids) -> dict[int, Account]:
    return {a.pk: a for a in Account.objects.filter(pk__in=list(ids)).select_related("company", "supplier")}


def account_entries(account: Account, f: LedgerFilter) -> QuerySet[JournalEntry]:
    """The entries behind an account's balance (newest first) with ``on_account`` (their amount
    on it); postings and their accounts prefetched (a page costs a fixed number of queries)."""
    from django.db.models import Prefetch

    on = Q(postings__account=account)
    qs = JournalEntry.objects.filter(postings__account=account)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.order_number:
        qs = qs.filter(Q(order_number=f.order_number) | Q(supplier_order_number=f.order_number))
    if f.since:
        qs = qs.filter(posted_on__gte=f.since)
    if f.until:
        qs = qs.filter(posted_on__lte=f.until)
    return (
        qs.annotate(on_account=Sum("postings__amount", filter=on))
        .order_by("-posted_on", "-id")
        .prefetch_related(
            Prefetch(
                "postings",
                queryset=Posting.objects.select_related("account", "account__company", "account__supplier").order_by(
                    "-amount", "id"
                ),
            )
        )
    )


def account_balance(account: Account, f: LedgerFilter) -> dict[str, int]:
    """opening / debit / credit / closing of one account under the filter (one query)."""
    return Posting.objects.filter(Q(account=account) & f.entries()).aggregate(**_sums(f.since))
