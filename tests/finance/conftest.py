from decimal import Decimal

import pytest

from plugins.finance import chart
from plugins.finance.models import JournalEntry
from plugins.finance.selectors import receivable_of_company
from plugins.finance.services.reconcile import check
from tests import factories


def assert_books_hold(user=None, *, warnings_ok: bool = True, skip_areas: tuple[str, ...] = ()):
    """Every entry balanced, credit used = receivable 112201 to the fen, finance_check clean
    (``skip_areas``: for a world that fakes another area's documents without their postings)."""
    report = check(skip_areas=skip_areas)
    assert report.errors == []
    if not warnings_ok:
        assert report.warnings == []
    if user is not None:
        from plugins.member_tiers.models import CreditAccount

        account = CreditAccount.objects.select_related("membership").get(membership__company=factories.company_of(user))
        assert receivable_of_company(account.membership.company_id) == int(account.balance * 100)
    return report


def fen_of(entry: JournalEntry) -> dict[str, int]:
    """code → fen of an entry's postings (summed per code)."""
    out: dict[str, int] = {}
    for p in entry.postings.select_related("account"):
        out[p.account.code] = out.get(p.account.code, 0) + p.amount
    return out


@pytest.fixture
def credit_buyer(buyer):
    factories.credit_line(buyer, limit="1000.00")
    return buyer


YUAN = Decimal
__all__ = ["assert_books_hold", "fen_of", "chart"]


@pytest.fixture(autouse=True)
def english_messages():
    """The tests read the ledger's refusals in English (the catalogues give them in Chinese by default)."""
    from django.utils import translation

    with translation.override("en"):
        yield
