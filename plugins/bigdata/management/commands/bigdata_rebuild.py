"""Stream every paid order's history into sales facts, in batches, then rebuild the rollup."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plugins.bigdata.services import rebuild, search_index


class Command(BaseCommand):
    help = _(
        "Write the sales facts of every order whose payment was secured, in batches (orders already "
        "recorded get only their missing rows), then rebuild the monthly rollup."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=rebuild.BATCH, help=_("orders per batch"))
        parser.add_argument(
            "--from-scratch",
            action="store_true",
            help=_("empty the facts and the rollup first (TRUNCATE; facts are otherwise append-only)"),
        )

    def handle(self, *args, batch: int, from_scratch: bool, **options):
        if batch < 1:
            raise CommandError(_("--batch must be at least 1."))
        if from_scratch:
            rebuild.truncate()
        started = time.monotonic()
        total = rebuild.order_count()
        bar = ProgressBar(total, self.stderr if options.get("verbosity", 1) else None)
        result = rebuild.rebuild(batch=batch, progress=bar.update)
        bar.finish()
        seconds = time.monotonic() - started
        self.stdout.write(
            _("%(orders)d orders, %(facts)d new facts, %(rollup)d rollup rows in %(seconds).1f s")
            % {"orders": result.orders, "facts": result.facts, "rollup": result.rollup_rows, "seconds": seconds}
        )
        if from_scratch and search_index.enabled():
            # the facts were rewritten: the search index is rebuilt from them (new version, alias
            # moved), so no document of the emptied table survives there
            self.stdout.write(_("Rebuilding the Elasticsearch index…"))
            call_command(
                "bigdata_reindex",
                verbosity=options.get("verbosity", 1),
                stdout=self.stdout._out,
                stderr=self.stderr._out,
            )


class ProgressBar:
    """A one-line bar on the terminal (plain lines when the output is not one)."""

    WIDTH = 30

    def __init__(self, total: int, out):
        self.total, self.out, self.done = total, out, 0
        self.tty = bool(out) and getattr(out, "isatty", lambda: False)()
        self._last = -1

    def update(self, done: int) -> None:
        self.done = done
        if not self.out:
            return
        percent = 100 if not self.total else done * 100 // self.total
        if not self.tty and percent // 10 == self._last // 10:
            return
        self._last = percent
        filled = self.WIDTH * percent // 100
        line = f"[{'#' * filled}{'.' * (self.WIDTH - filled)}] {percent:3d}% {done}/{self.total}"
        self.out.write(("\r" + line) if self.tty else line, ending="" if self.tty else "\n")
        self.out.flush()

    def finish(self) -> None:
        if self.out and self.tty:
            self.out.write("")
