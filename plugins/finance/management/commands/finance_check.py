"""manage.py finance_check: prove the ledger reconciles (plugins.finance.services.reconcile);
prints what does not and exits non-zero."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plugins.finance.services.reconcile import check


class Command(BaseCommand):
    help = "Check that the ledger balances and reconciles with orders and credit lines."

    def handle(self, *args, **options):
        report = check()
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(_("Warning: %(problem)s") % {"problem": warning}))
        for error in report.errors:
            self.stdout.write(self.style.ERROR(error))
        summary = _("%(entries)d entries, %(orders)d orders, %(lines)d credit lines: %(errors)d problems.") % {
            "entries": report.entries,
            "orders": report.orders,
            "lines": report.credit_lines,
            "errors": len(report.errors),
        }
        if not report.ok:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
