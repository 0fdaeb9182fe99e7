"""The money history before the ledger: member_tiers' credit entries (keys ``credit:<id>``) and
the orders' payment events (``order:<number>:…``) posted by services.backfill — the same keys as
the live postings, so nothing is posted twice. Without member_tiers only the orders."""

from django.conf import settings
from django.db import migrations


def forwards(apps, schema_editor):
    from plugins.finance.services.backfill import backfill

    backfill(apps)


MEMBER_TIERS = any(app.startswith("plugins.member_tiers") for app in settings.INSTALLED_APPS)


class Migration(migrations.Migration):
    dependencies = [
        ("finance", "0002_ledger_guards"),
        ("order", "0023_order_company"),
        ("payment", "0001_initial"),
    ] + ([("member_tiers", "0007_follow_ups")] if MEMBER_TIERS else [])

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
