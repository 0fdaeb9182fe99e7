"""The ledger's service rules, on every database: balanced entries in integer fen, idempotent
keys, reversals, selectors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from plugins.finance import chart
from plugins.finance.models import JournalEntry, Posting
from plugins.finance.selectors import balance, entries
from plugins.finance.services.ledger import LedgerError, account, business_date, post, reverse
from tests import factories


@pytest.fixture
def books(db):
    return {"bank": account(chart.BANK), "revenue": account(chart.REVENUE)}


def test_a_balanced_entry_is_written_and_balances_follow(books):
    entry = post(key="t:1", kind=chart.ORDER_PAID, lines=[(books["bank"], 12345), (books["revenue"], -12345)])
    assert entry.postings.count() == 2 and entry.posted_on == business_date()
    assert balance(books["bank"]) == 12345 and balance(books["revenue"]) == -12345
    assert balance(books["bank"], as_of=date(2000, 1, 1)) == 0
    assert list(entries(account=books["bank"])) == [entry]
    assert list(entries(kind=chart.ORDER_SECURED)) == []


@pytest.mark.parametrize(
    "amounts, problem",
    [
        ([100], "at least two postings"),
        ([100, -99], "sum to 1 fen"),
        ([100, 0, -100], "non-zero integer"),
        ([100.0, -100.0], "non-zero integer"),
        ([], "at least two postings"),
    ],
)
def test_unbalanced_or_malformed_entries_are_refused_and_nothing_is_written(books, amounts, problem):
    lines = [(books["bank"] if i % 2 == 0 else books["revenue"], a) for i, a in enumerate(amounts)]
    with pytest.raises(LedgerError) as exc:
        post(key="bad", kind=chart.ORDER_PAID, lines=lines)
    assert problem in " ".join(exc.value.messages)
    assert not JournalEntry.objects.exists() and not Posting.objects.exists()


def test_a_key_posts_once_the_same_again_returns_the_first_and_a_different_one_is_refused(books):
    lines = [(books["bank"], 500), (books["revenue"], -500)]
    first = post(key="pay:1", kind=chart.ORDER_PAID, lines=lines, order_number="100001")
    again = post(key="pay:1", kind=chart.ORDER_PAID, lines=list(reversed(lines)), order_number="100001")
    assert again.pk == first.pk and JournalEntry.objects.count() == 1
    with pytest.raises(LedgerError) as exc:
        post(key="pay:1", kind=chart.ORDER_PAID, lines=[(books["bank"], 501), (books["revenue"], -501)])
    assert "already posted with different lines" in " ".join(exc.value.messages)
    assert JournalEntry.objects.count() == 1 and Posting.objects.count() == 2
    with pytest.raises(ValidationError):
        post(key=" ", kind=chart.ORDER_PAID, lines=lines)
    with pytest.raises(ValidationError):
        post(key="x", kind="nonsense", lines=lines)


def test_a_reversal_mirrors_the_entry_once_and_is_not_reversed_itself(books):
    entry = post(key="e:1", kind=chart.ORDER_SECURED, lines=[(books["bank"], 700), (books["revenue"], -700)])
    undo = reverse(entry=entry, reason="录错")
    assert undo.reverses == entry and undo.kind == chart.REVERSAL and undo.memo == "录错"
    assert sorted(undo.postings.values_list("amount", flat=True)) == [-700, 700]
    assert balance(books["bank"]) == 0 == balance(books["revenue"])
    assert reverse(entry=entry, reason="again").pk == undo.pk
    with pytest.raises(LedgerError):
        reverse(entry=undo, reason="undo the undo")


def test_accounts_belong_to_their_owner_kind(db):
    company = factories.company_of(factories.distributor("owner"))
    receivable = account(chart.RECEIVABLE_ON_ACCOUNT, company_id=company.pk)
    assert account(chart.RECEIVABLE_ON_ACCOUNT, company_id=company.pk) == receivable
    assert receivable.type == chart.ASSET and str(receivable).startswith("112201")
    with pytest.raises(ValueError):
        account(chart.RECEIVABLE_ON_ACCOUNT)
    with pytest.raises(ValueError):
        account(chart.BANK, company_id=company.pk)
