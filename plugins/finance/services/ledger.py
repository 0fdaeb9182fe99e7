"""The only writer of the ledger: ``post`` an entry, ``reverse`` one. Nothing is ever updated.

A money event reaches the ledger once however often it is told (retries, replays, the history
migration): every entry has an idempotency key; posting a key again returns the first entry when
it says the same, and is refused when it says something else (a key reused for a different
movement is a bug, not a retry). On every database these functions check the rules before
writing (at least two non-zero postings in integer fen summing to zero); on PostgreSQL the
database checks them again at COMMIT and refuses updates and deletes (migration 0002).
"""

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.finance import chart
from plugins.finance.models import Account, JournalEntry, Posting

SHANGHAI = ZoneInfo("Asia/Shanghai")

Line = tuple[Account, int]


class LedgerError(ValidationError):
    """A posting the ledger refuses; nothing was written."""


def business_date(moment: datetime | None = None) -> date:
    """The date in Asia/Shanghai (the books' day) of ``moment`` (default: now)."""
    return timezone.localtime(moment or timezone.now(), SHANGHAI).date()


def account(code: str, *, company_id: int | None = None, supplier_id: int | None = None) -> Account:
    """The account ``code`` of the chart for its owner, opened on first use (safe under
    concurrency: the partial unique constraints make a racing second opener read the first's)."""
    spec = chart.CHART[code]
    if (spec.owner == chart.COMPANY) != (company_id is not None) or (spec.owner == chart.SUPPLIER) != (
        supplier_id is not None
    ):
        raise ValueError(f"account {code} is owned by a {spec.owner}")
    found, _created = Account.objects.get_or_create(
        code=code, company_id=company_id, supplier_id=supplier_id, defaults={"name": spec.name, "type": spec.type}
    )
    return found


def refuse_closed_period(day: date) -> None:
    """LedgerError when ``day`` falls in a closed month (its corrections post in an open one)."""
    from plugins.finance.models import ClosedPeriod

    if ClosedPeriod.objects.filter(month=day.replace(day=1)).exists():
        raise LedgerError(
            {
                "posted_on": _("The books for %(month)s are closed; post the correction in an open period.")
                % {"month": f"{day:%Y-%m}"}
            },
            code="period_closed",
        )


def _normalised(lines: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    return sorted((account_id, amount) for account_id, amount in lines)


def _same(entry: JournalEntry, kind: str, lines: Sequence[Line], order_number: str, reverses_id) -> bool:
    stored = list(entry.postings.values_list("account_id", "amount"))
    return (
        entry.kind == kind
        and entry.order_number == order_number
        and entry.reverses_id == reverses_id
        and _normalised(stored) == _normalised([(a.pk, amount) for a, amount in lines])
    )


def post(
    *,
    key: str,
    kind: str,
    lines: Sequence[Line],
    posted_on: date | None = None,
    memo: str = "",
    order_number: str = "",
    supplier_order_number: str = "",
    by=None,
    reverses: JournalEntry | None = None,
) -> JournalEntry:
    """Write one balanced entry (lines: (account, fen), debit positive), or return the entry
    already posted under ``key`` when it is the same; LedgerError when the lines do not balance
    or the key was used for a different entry."""
    key = (key or "").strip()
    if not key:
        raise LedgerError({"key": _("A journal entry needs an idempotency key.")})
    if kind not in dict(chart.KINDS):
        raise LedgerError({"kind": _("Unknown journal entry kind “%(kind)s”.") % {"kind": kind}})
    problem = chart.lines_balance([amount for _account, amount in lines])
    if problem:
        raise LedgerError({"lines": _("The entry does not balance: %(problem)s.") % {"problem": problem}})
    reverses_id = reverses.pk if reverses else None
    existing = JournalEntry.objects.filter(key=key).first()
    if existing is None:
        posted_on = posted_on or business_date()
        refuse_closed_period(posted_on)
        try:
            with transaction.atomic():
                entry = JournalEntry.objects.create(
                    key=key,
                    kind=kind,
                    posted_on=posted_on,
                    memo=(memo or "")[:255],
                    order_number=order_number or "",
                    supplier_order_number=supplier_order_number or "",
                    reverses_id=reverses_id,
                    created_by=by if getattr(by, "pk", None) else None,
                )
                Posting.objects.bulk_create(Posting(entry=entry, account=a, amount=amount) for a, amount in lines)
            return entry
        except IntegrityError:
            existing = JournalEntry.objects.filter(key=key).first()
            if existing is None:
                raise
    if not _same(existing, kind, lines, order_number or "", reverses_id):
        raise LedgerError(
            {"key": _("Key “%(key)s” was already posted with different lines.") % {"key": key}},
            code="key_reused",
        )
    return existing


def reverse(*, entry: JournalEntry, reason: str, by=None, key: str | None = None) -> JournalEntry:
    """The reversing entry of ``entry``: the same postings with the opposite sign, dated today,
    pointing back at it. Once per entry (again returns the first reversal); a reversal is not
    reversed again (post a new entry instead)."""
    if entry.kind == chart.REVERSAL:
        raise LedgerError({"entry": _("A reversing entry cannot be reversed; post a new entry.")})
    done = JournalEntry.objects.filter(reverses=entry).first()
    if done is not None:
        return done
    lines = [(p.account, -p.amount) for p in entry.postings.select_related("account")]
    return post(
        key=key or f"reverse:{entry.key}",
        kind=chart.REVERSAL,
        lines=lines,
        memo=reason,
        order_number=entry.order_number,
        supplier_order_number=entry.supplier_order_number,
        by=by,
        reverses=entry,
    )
