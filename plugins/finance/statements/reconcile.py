"""finance_check's part for this area: append to ``report.errors`` what the ledger cannot explain
(a fixed number of aggregate queries, whatever the size of the books).

- no entry dated in a closed month was written after the month was closed (``ledger.post``
  refuses them; one written around it — by hand, or racing the closing — is an error).
"""

from django.db.models import Exists, OuterRef
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext as _

from plugins.finance.models import ClosedPeriod, JournalEntry


def check(report) -> None:
    late = (
        JournalEntry.objects.annotate(month=TruncMonth("posted_on"))
        .filter(Exists(ClosedPeriod.objects.filter(month=OuterRef("month"), closed_at__lt=OuterRef("created_at"))))
        .order_by("pk")
        .values_list("pk", "key", "posted_on")[:50]
    )
    for pk, key, posted_on in late:
        report.errors.append(
            _("Entry #%(id)s (%(key)s) is dated %(date)s, in a month closed before it was written.")
            % {"id": pk, "key": key, "date": posted_on}
        )
