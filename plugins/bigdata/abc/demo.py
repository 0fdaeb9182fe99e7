"""The demo's ABC: the daily scheduled run (the last 365 days, overall, by revenue) made once, so
the product classes page and a stored run have something to show (idempotent per day)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from plugins.bigdata.abc.services import scheduled_run


def seed(report=None, *, now=None, seed=None) -> None:
    today = timezone.localdate(now) if now is not None else timezone.localdate()
    run = scheduled_run(today)
    if report is not None:
        report.notes.append(
            _("ABC analysis: the daily run of %(date)s classified %(items)d products.")
            % {
                "date": today.isoformat(),
                "items": run.items.count(),
            }
        )
