"""Document numbers: <PREFIX>-<YYYYMMDD>-<NNNNNN> per Beijing day, unique under concurrency —
contracts (购销合同 HT, 框架协议 KJ, 补充协议 BC) and finance (收款单 SK, 退款单 TK, 结算单 JS, 对账单 DZ,
开票申请 KP) alike."""

import zlib
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection, models, transaction
from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")


def next_number(model: type[models.Model], prefix: str, now: datetime | None = None, field: str = "number") -> str:
    """The next free number with ``prefix`` for ``now``'s Beijing date, e.g. SK-20261129-000001.

    Call it inside the transaction that inserts the row: on PostgreSQL an advisory lock per prefix
    and day is held until that transaction ends, so two writers never draw the same number."""
    now = now or timezone.now()
    day = (timezone.localtime(now, SHANGHAI) if timezone.is_aware(now) else now).date()
    stem = f"{prefix}-{day:%Y%m%d}-"
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("next_number() must run inside the transaction that inserts the row")
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x4649, zlib.crc32(stem.encode()) & 0x7FFFFFFF])
    with transaction.atomic():
        last = (
            model.objects.filter(**{f"{field}__startswith": stem, f"{field}__regex": r"^[A-Z]+-\d{8}-\d{6}$"})
            .order_by(f"-{field}")
            .values_list(field, flat=True)
            .first()
        )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{sequence:06d}"
