"""Rebuild the Elasticsearch index of the sales facts: a new version, then the alias moved to it."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plugins.bigdata.management.commands.bigdata_rebuild import ProgressBar
from plugins.bigdata.models import SalesFact
from plugins.bigdata.services import search_index


class Command(BaseCommand):
    help = _(
        "Write every stored sales fact to a new version of the Elasticsearch index, then move the "
        "index alias to it in one step (readers never see a half-built index) and drop the old versions."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=search_index.BATCH, help=_("facts per bulk request"))

    def handle(self, *args, batch: int, **options):
        if not search_index.enabled():
            raise CommandError(_("ELASTICSEARCH_URL is not set: the analytics reports read PostgreSQL."))
        if batch < 1:
            raise CommandError(_("--batch must be at least 1."))
        started = time.monotonic()
        bar = ProgressBar(SalesFact.objects.count(), self.stderr if options.get("verbosity", 1) else None)
        result = search_index.rebuild(batch=batch, progress=bar.update)
        bar.finish()
        self.stdout.write(
            _("%(documents)d facts indexed into %(index)s in %(seconds).1f s; old versions removed: %(removed)s")
            % {
                "documents": result.documents,
                "index": result.index,
                "seconds": time.monotonic() - started,
                "removed": ", ".join(result.removed) or "—",
            }
        )
