"""finance_check's part for this area: append to ``report.errors`` what the ledger cannot explain
(a fixed number of aggregate queries, whatever the size of the books).

- no entry dated in a closed month was written after the month was closed (``ledger.post``
  refuses them; one written around it — by hand, or racing the closing — is an error).
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext as _

from plugins.finance.models import ClosedPeriod, JournalEntry
from plugins.finance.services.statements import month_bounds


def check(report) -> None:
    closed = list(ClosedPeriod.objects.values_list("month", "closed_at"))  # a few rows a year
    if not closed:
        return
    late = reduce(
        or_,
        (
            Q(posted_on__gte=first, posted_on__lte=last, created_at__gt=closed_at)
            for first, last, closed_at in ((*month_bounds(month), at) for month, at in closed)
        ),
    )
    for pk, key, posted_on in (
        JournalEntry.objects.filter(late).order_by("pk").values_list("pk", "key", "posted_on")[:50]
    ):
        report.errors.append(
            _("Entry #%(id)s (%(key)s) is dated %(date)s, in a month closed before it was written.")
            % {"id": pk, "key": key, "date": posted_on}
        )
