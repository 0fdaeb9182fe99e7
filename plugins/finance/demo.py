"""Demo data: the order history the core demo wrote directly (payment events, not replayed
through the kernel's events) is posted the way the data migration posts history."""

from django.apps import apps
from django.utils.translation import gettext as _

from plugins.finance.services.backfill import backfill


def seed(report, *, now, seed):
    added = backfill(apps)
    report.notes.append(_("Finance: %(count)d journal entries posted from the order history.") % {"count": added})
