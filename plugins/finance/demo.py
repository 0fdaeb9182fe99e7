"""Demo data: the order history the core demo wrote directly (payment events, not replayed
through the kernel's events) is posted the way the data migration posts history; then each area
adds its documents (receipts matched, unmatched and claimed; invoices; refunds before and after
payout; a closed settlement period and an open one; statements), and the ledger must reconcile."""

import random

from django.apps import apps
from django.utils.translation import gettext as _

from plugins.finance.invoices import demo as invoices
from plugins.finance.receipts import demo as receipts
from plugins.finance.refunds import demo as refunds
from plugins.finance.services.backfill import backfill
from plugins.finance.settlement import demo as settlement
from plugins.finance.statements import demo as statements


def seed(report, *, now, seed):
    added = backfill(apps)
    report.notes.append(_("Finance: %(count)d journal entries posted from the order history.") % {"count": added})
    rng = random.Random(f"finance-{seed}")
    for area in (receipts, invoices, refunds, settlement, statements):
        area.seed(report, now=now, rng=rng)
