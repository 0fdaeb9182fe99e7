"""Shipment vouchers move to the private storage (core.files, under PRIVATE_MEDIA_ROOT), which no
URL serves: the field names the storage, and the files already under MEDIA_ROOT move to the same
relative path under PRIVATE_MEDIA_ROOT (so the rows keep their names). Best effort and
idempotent: nothing to move is no error, a file already in place is not copied again, and a
file that cannot be moved is logged and left where it is. Backwards, the files move back."""

import filecmp
import logging
import os
import shutil
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

import core.files
import plugins.logistics.models

logger = logging.getLogger(__name__)
VOUCHERS = Path("logistics") / "vouchers"


def move_vouchers(source_root, target_root) -> int:
    """Move every file under ``source_root``/logistics/vouchers to the same place under
    ``target_root``; the number moved. A file whose target exists is removed from the source if
    the two are equal, else kept (and logged); emptied directories are removed."""
    source = Path(source_root) / VOUCHERS
    if not source.is_dir():
        return 0
    moved = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = Path(target_root) / path.relative_to(source_root)
        try:
            if target.exists():
                if filecmp.cmp(path, target, shallow=False):
                    path.unlink()
                else:
                    logger.warning("Shipment voucher %s not moved: %s exists and differs", path, target)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, target)
            moved += 1
        except OSError as exc:
            logger.warning("Shipment voucher %s not moved to %s: %s", path, target, exc)
    for directory in sorted((p for p in source.rglob("*") if p.is_dir()), reverse=True) + [source]:
        try:
            os.rmdir(directory)  # only when empty
        except OSError:
            pass
    return moved


def forwards(apps, schema_editor):
    move_vouchers(settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)


def backwards(apps, schema_editor):
    move_vouchers(settings.PRIVATE_MEDIA_ROOT, settings.MEDIA_ROOT)


class Migration(migrations.Migration):
    dependencies = [
        ("logistics", "0003_tracking_subscriptions_move_to_core_outbox"),
    ]

    operations = [
        migrations.AlterField(
            model_name="shipmentvoucher",
            name="file",
            field=models.FileField(
                storage=core.files.private_storage,
                upload_to=plugins.logistics.models.voucher_path,
                verbose_name="File",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
