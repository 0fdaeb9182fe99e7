"""The database's own guards on PostgreSQL: append-only entries and postings, and every entry
balanced at COMMIT (a deferred constraint trigger: these tests commit, so they are transactional)."""

import pytest
from django.db import IntegrityError, InternalError, connection, transaction

from plugins.finance import chart
from plugins.finance.models import JournalEntry, Posting
from plugins.finance.services.ledger import account, business_date, post

# serialized_rollback: the flush after each test leaves the content types to the restore, so a later
# serialized test (test_credit, test_outbox) does not collide with re-created ones
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("the triggers exist on PostgreSQL; other databases rely on services.ledger")


def _entry(key: str) -> JournalEntry:
    return JournalEntry.objects.create(key=key, kind=chart.ORDER_PAID, posted_on=business_date())


def test_an_unbalanced_entry_is_refused_at_commit_not_before():
    bank, revenue = account(chart.BANK), account(chart.REVENUE)
    with pytest.raises(IntegrityError, match="does not balance"), transaction.atomic():
        entry = _entry("raw:1")
        Posting.objects.create(entry=entry, account=bank, amount=100)
        Posting.objects.create(entry=entry, account=revenue, amount=-99)
        # still inside the transaction: the deferred check has not fired yet
        assert Posting.objects.filter(entry=entry).count() == 2
    assert not JournalEntry.objects.filter(key="raw:1").exists()


def test_an_entry_with_one_posting_or_none_is_refused_at_commit():
    with pytest.raises(IntegrityError, match="1 postings"), transaction.atomic():
        Posting.objects.create(entry=_entry("raw:one"), account=account(chart.BANK), amount=100)
    with pytest.raises(IntegrityError, match="0 postings"), transaction.atomic():
        _entry("raw:none")
    assert not JournalEntry.objects.exists()


def test_an_entry_written_posting_by_posting_commits_once_it_balances():
    bank, revenue = account(chart.BANK), account(chart.REVENUE)
    with transaction.atomic():
        entry = _entry("raw:ok")
        Posting.objects.create(entry=entry, account=bank, amount=250)
        Posting.objects.create(entry=entry, account=revenue, amount=-100)
        Posting.objects.create(entry=entry, account=revenue, amount=-150)
    assert JournalEntry.objects.get(key="raw:ok").postings.count() == 3


def test_entries_and_postings_are_append_only():
    entry = post(key="fixed", kind=chart.ORDER_PAID, lines=[(account(chart.BANK), 10), (account(chart.REVENUE), -10)])
    attempts = [
        lambda: JournalEntry.objects.filter(pk=entry.pk).update(memo="changed"),
        # raw: the ORM's collector would stop first (postings protect their entry)
        lambda: connection.cursor().execute("DELETE FROM finance_journalentry WHERE id = %s", [entry.pk]),
        lambda: Posting.objects.filter(entry=entry).update(amount=20),
        lambda: Posting.objects.filter(entry=entry).delete(),
    ]
    for attempt in attempts:
        with pytest.raises((IntegrityError, InternalError), match="append-only"), transaction.atomic():
            attempt()
    assert sorted(Posting.objects.filter(entry=entry).values_list("amount", flat=True)) == [-10, 10]
    assert JournalEntry.objects.get(pk=entry.pk).memo == ""
