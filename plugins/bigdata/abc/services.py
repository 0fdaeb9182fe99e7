"""Storing ABC runs (the only code that writes the abc area's tables).

- ``save_run``: an operator keeps an analysis (filters, scope, measure, cut-offs) with every
  product's class, to compare with later runs.
- ``scheduled_run``: the daily run (the last 365 days up to yesterday, overall, by revenue, the
  default cut-offs); it also replaces ``ProductClass`` — the latest class of every product — in
  the same transaction. Keyed by its last day, so a re-delivered task stores nothing twice.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from core.access import is_operator
from plugins.bigdata.abc import analysis
from plugins.bigdata.abc.analysis import Options
from plugins.bigdata.abc.models import AbcRun, AbcRunItem, AbcScope, ProductClass
from plugins.bigdata.backends.base import Filters, Period

#: the scheduled run covers this many days, up to yesterday (OCA's 365-day value)
SCHEDULED_DAYS = 365
BATCH = 2000


def _store(filters: Filters, options: Options, *, by=None, schedule_key: str | None = None) -> AbcRun:
    items = analysis.analyse(filters, options)
    run = AbcRun.objects.create(
        filters=analysis.filters_to_json(filters),
        scope=options.scope,
        measure=options.measure.value,
        cutoff_a=options.cutoffs.a,
        cutoff_b=options.cutoffs.b,
        xyz_cutoff_x=options.xyz.x,
        xyz_cutoff_y=options.xyz.y,
        created_by=by,
        schedule_key=schedule_key,
    )
    AbcRunItem.objects.bulk_create(
        (
            AbcRunItem(
                run=run,
                scope_key=i.scope_key,
                scope_name=i.scope_name[:255],
                product_id=i.product_id,
                sku=i.sku[:128],
                title=i.title[:255],
                value=i.value,
                cumulative_before=i.cumulative_before,
                grade=i.grade,
                xyz=i.xyz,
                variation=i.variation,
            )
            for i in items
        ),
        batch_size=BATCH,
    )
    return run


def save_run(*, filters: Filters, options: Options, by) -> AbcRun:
    """Store the analysis of ``filters`` with ``options`` as a run of operator ``by``."""
    if not is_operator(by):
        raise PermissionDenied
    with transaction.atomic():
        return _store(filters, options, by=by)


def scheduled_filters(today: date | None = None) -> Filters:
    end = (today or timezone.localdate()) - timedelta(days=1)
    return Filters(period=Period(end - timedelta(days=SCHEDULED_DAYS - 1), end))


def scheduled_run(today: date | None = None) -> AbcRun:
    """The daily run (idempotent per day) and the latest class of every product from it."""
    filters = scheduled_filters(today)
    key = f"daily:{filters.period.end.isoformat()}"
    existing = AbcRun.objects.filter(schedule_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            run = _store(filters, Options(scope=AbcScope.OVERALL), schedule_key=key)
            _replace_product_classes(run)
            return run
    except IntegrityError:
        # the same day's run committed meanwhile (two workers): theirs stands
        return AbcRun.objects.get(schedule_key=key)


def _replace_product_classes(run: AbcRun) -> None:
    if connection.vendor == "postgresql":
        # one writer at a time; readers keep the previous classes until commit
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {ProductClass._meta.db_table} IN EXCLUSIVE MODE")  # noqa: S608
    ProductClass.objects.all().delete()
    ProductClass.objects.bulk_create(
        (
            ProductClass(
                product_id=i.product_id, sku=i.sku, title=i.title, grade=i.grade, xyz=i.xyz, value=i.value, run=run
            )
            for i in run.items.order_by("product_id").iterator(chunk_size=BATCH)
        ),
        batch_size=BATCH,
    )
