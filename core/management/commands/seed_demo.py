from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from core.demo.seed import seed_demo


class Command(BaseCommand):
    help = "Load the demo data set (suppliers, catalogue, distributors, months of orders). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--months", type=int, default=6, help="months of order history (1-24)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed (same seed, same data)")

    def handle(self, *args, months: int, seed: int, **options):
        if not 1 <= months <= 24:
            raise CommandError(_("--months must be between 1 and 24, not %(n)d.") % {"n": months})
        if seed < 0:
            raise CommandError(_("--seed must be zero or positive."))
        report = seed_demo(months=months, seed=seed)
        self.stdout.write(
            _("Demo data: %(s)d suppliers, %(p)d products, %(d)d distributors.")
            % {"s": report.suppliers, "p": report.products, "d": report.distributors}
        )
        if report.orders_skipped:
            self.stdout.write(_("Order history already present; left as it is."))
        else:
            self.stdout.write(_("Created %(n)d historical orders.") % {"n": report.orders_created})
        for note in report.notes:
            self.stdout.write(note)
        self.stdout.write(_("Demo logins:"))
        for role, email, password in report.logins:
            self.stdout.write(f"  {email:<32} {password:<12} {role}")
