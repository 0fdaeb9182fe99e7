from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from plugins.logistics.services.tracking import redrive_failed, send_pending_subscriptions


class Command(BaseCommand):
    help = (
        "Send waiting Kuaidi100 tracking subscriptions (outbox channel kuaidi100) now; "
        "--retry-failed re-drives dead-lettered ones first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--retry-failed", action="store_true")

    def handle(self, *args, retry_failed=False, **options):
        if retry_failed:
            redrive_failed()
        sent, pending = send_pending_subscriptions()
        self.stdout.write(
            _("Tracking subscriptions sent: %(sent)d; still pending: %(pending)d.") % {"sent": sent, "pending": pending}
        )
