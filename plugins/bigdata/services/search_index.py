"""Keeping the Elasticsearch index of the sales facts current (only when ``ELASTICSEARCH_URL`` is
set; PostgreSQL stays the record, the index is derived from it and can always be rebuilt).

Live writes go through an outbox in PostgreSQL, so no fact is lost whatever the cluster does:

- ``mark`` — ``services.facts.write`` queues the source ids it really inserted
  (``PendingFactIndex``) in the facts' own transaction, and after commit sends the
  ``index_facts`` task (also on beat every minute);
- ``drain_once`` — a worker claims up to ``BATCH`` marks (``FOR UPDATE SKIP LOCKED``: workers
  never take the same ones), reads those facts, sends one bulk request to the alias and deletes
  the marks of the documents the cluster stored, in one transaction. A cluster that is down raises
  (the marks roll back and wait); a refused document keeps its mark. ``_id`` is the fact's
  ``source_id`` and facts never change, so indexing a fact twice stores the same document.

``rebuild`` builds a new versioned index from every stored fact (keyset batches, flat memory),
then moves the alias to it in one atomic ``_aliases`` call and drops the old versions. It holds a
PostgreSQL advisory lock exclusively while the live drains take it shared: a drain never writes
to the old version during a rebuild (its marks wait), so every fact is either read by the rebuild
or still marked when the alias has moved — nothing falls between the two. The first drain on a
cluster without the alias runs the rebuild itself (turning Elasticsearch on later just works).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from elastic_transport import TransportError
from elasticsearch import ApiError

from plugins.bigdata.backends import elasticsearch as es
from plugins.bigdata.models import PendingFactIndex, SalesFact

logger = logging.getLogger(__name__)

BATCH = 2000
#: the advisory lock a rebuild takes exclusively and the live drains take shared
LOCK_KEY = 0x62_64_65_73  # "bdes"


class RebuildRefused(RuntimeError):
    """The cluster refused documents of a rebuild (the alias was left where it was)."""


def enabled() -> bool:
    return bool(getattr(settings, "ELASTICSEARCH_URL", ""))


def mark(cursor, source_ids: Iterable[str]) -> None:
    """Queue these facts for the index, in the caller's transaction; the drain is sent after it
    commits."""
    ids = sorted(set(source_ids))
    if not ids:
        return
    table = PendingFactIndex._meta.db_table
    conflict = "ON CONFLICT (source_id) DO NOTHING"
    if connection.vendor == "postgresql":
        sql = f"INSERT INTO {table} (source_id, queued_at) SELECT unnest(%s::varchar[]), CURRENT_TIMESTAMP {conflict}"  # noqa: S608
        cursor.execute(sql, [ids])
    else:
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            values = ", ".join(["(%s, CURRENT_TIMESTAMP)"] * len(chunk))
            cursor.execute(f"INSERT INTO {table} (source_id, queued_at) VALUES {values} {conflict}", chunk)  # noqa: S608

    def send():
        from plugins.bigdata.tasks import index_facts

        index_facts.delay()

    transaction.on_commit(send, robust=True)


def _documents(source_ids: list[str]) -> list[dict]:
    rows = SalesFact.objects.filter(source_id__in=source_ids).order_by("id").values(*es.DOCUMENT_FIELDS)
    return [es.document(row) for row in rows]


def _shared_lock() -> bool:
    """Whether no rebuild runs (the lock is released with the transaction)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock_shared(%s)", [LOCK_KEY])
        return bool(cursor.fetchone()[0])


def drain_once(client, alias: str, batch: int = BATCH) -> tuple[int, int]:
    """One batch of marks: (marks taken, documents stored)."""
    with transaction.atomic():
        if not _shared_lock():
            return 0, 0  # a rebuild is moving the alias: these marks go to the new version after it
        claimed = PendingFactIndex.objects.order_by("source_id")
        if connection.vendor == "postgresql":
            claimed = claimed.select_for_update(skip_locked=True)
        ids = list(claimed.values_list("source_id", flat=True)[:batch])
        if not ids:
            return 0, 0
        documents = _documents(ids)
        stored, refused = es.index_documents(client, alias, documents, through_alias=True)
        if refused:
            logger.error("search index refused %d facts (kept for the next drain): %s", len(refused), refused[:3])
        gone = set(ids) - {d["source_id"] for d in documents}  # a fact truncated since: nothing to index
        PendingFactIndex.objects.filter(source_id__in=[*stored, *gone]).delete()
    return len(ids), len(stored)


def drain(client=None, alias: str | None = None, batch: int = BATCH) -> int:
    """Index every marked fact (building the index first if the cluster has none); documents stored."""
    client = es.client_from_settings() if client is None else client
    alias = alias or es.alias_name()
    if not es.alias_indices(client, alias):
        rebuild(client, alias, only_if_missing=True)
    total = 0
    while True:
        taken, stored = drain_once(client, alias, batch)
        total += stored
        if taken < batch or not stored:
            return total


@dataclass(frozen=True)
class Rebuilt:
    index: str  # the new version ("" when another process had built it meanwhile)
    documents: int
    removed: tuple[str, ...]  # the old versions dropped


class _ExclusiveLock:
    def __enter__(self):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])  # waits for running drains

    def __exit__(self, *exc):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def fact_batches(batch: int = BATCH):
    """Every stored fact as documents, ``batch`` at a time, by id (keyset: flat memory)."""
    last = 0
    while True:
        rows = list(SalesFact.objects.filter(pk__gt=last).order_by("pk").values("pk", *es.DOCUMENT_FIELDS)[:batch])
        if not rows:
            return
        last = rows[-1]["pk"]
        yield [es.document(row) for row in rows]


def rebuild(
    client=None,
    alias: str | None = None,
    *,
    batch: int = BATCH,
    only_if_missing: bool = False,
    progress: Callable[[int], None] | None = None,
) -> Rebuilt:
    """Write every fact to a new version of the index and move the alias to it atomically."""
    client = es.client_from_settings() if client is None else client
    alias = alias or es.alias_name()
    with _ExclusiveLock():
        if only_if_missing and es.alias_indices(client, alias):
            return Rebuilt("", 0, ())
        es.put_template(client, alias)
        new = es.create_version(client, alias)
        written = 0
        try:
            for documents in fact_batches(batch):
                stored, refused = es.index_documents(client, new, documents)
                if refused:
                    raise RebuildRefused(f"the cluster refused {len(refused)} facts: {refused[:3]}")
                written += len(stored)
                if progress:
                    progress(written)
            client.indices.refresh(index=new)
            old = es.swap_alias(client, alias, new)
        except BaseException:
            with contextlib.suppress(ApiError, TransportError):  # the cluster may be what failed
                client.indices.delete(index=new, ignore_unavailable=True)
            raise
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    return Rebuilt(new, written, tuple(old))
