from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plugins.logistics.services.tracking import redrive_failed, send_pending_subscriptions


class Command(BaseCommand):
    help = "Send pending Kuaidi100 tracking subscriptions (the outbox); --retry-failed re-drives failed ones."

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true")

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            redrive_failed()
        sent, pending = send_pending_subscriptions()
        self.stdout.write(
            _("Tracking subscriptions sent: %(sent)d; still pending: %(pending)d.") % {"sent": sent, "pending": pending}
        )
