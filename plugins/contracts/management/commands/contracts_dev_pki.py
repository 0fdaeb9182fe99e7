"""Create the development PKI for contract signing (root CA, platform certificate, RSA TSA key).

Idempotent: an existing PKI is kept, so contracts signed earlier still verify. Refused when DEBUG
is off unless a directory is given explicitly — production loads PKCS#12 files instead.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from plugins.contracts.pdf import pki


class Command(BaseCommand):
    help = "Create the development CA, platform certificate and timestamping key for contracts."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="target directory (default CONTRACTS_PKI_DIR)")

    def handle(self, *args, **options):
        directory = options["dir"]
        try:
            pki.ensure_dev_pki(directory)
        except pki.PKIMissing as exc:
            raise CommandError(str(exc)) from exc
        target = directory or Path(settings.CONTRACTS_PKI_DIR)
        self.stdout.write(_("Development PKI ready in %(dir)s.") % {"dir": target})
