"""Writing sales facts and keeping the monthly rollup current — the only code that writes them.

``record_orders(order_ids)`` replays each order's history (``facts.order_facts``) and inserts the
rows it does not have yet, in one transaction with the rollup's increments:

- ``INSERT … ON CONFLICT (source_id) DO NOTHING RETURNING source_id``: a row another worker (or
  an earlier delivery) already wrote is skipped, and only rows really inserted reach the rollup —
  a concurrent insert of the same key waits on the unique index and then inserts nothing;
- ``INSERT … ON CONFLICT (month, product, province, supplier, category, salesperson) DO UPDATE SET
  revenue = revenue + EXCLUDED.revenue …``, keys in sorted order so two writers never deadlock.

Facts are append-only (on PostgreSQL a trigger refuses UPDATE and DELETE, migration 0002). With
``ELASTICSEARCH_URL`` set, the inserted rows are also queued for the search index in the same
transaction (``services.search_index``: an outbox, indexed after commit).
``rebuild_rollup()`` recomputes the rollup from the facts under a table lock (writers queue).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.db import connection, transaction

from plugins.bigdata import facts
from plugins.bigdata.models import FactKind, MonthlySales, SalesFact
from plugins.bigdata.services import search_index, sources

FACT_COLUMNS = (
    "source_id",
    "kind",
    "occurred_at",
    "date",
    "month",
    "order_id",
    "order_number",
    "order_line_id",
    "company_id",
    "company_name",
    "tier_code",
    "tier_name",
    "salesperson_id",
    "salesperson_name",
    "province_code",
    "province",
    "city",
    "supplier_id",
    "supplier_name",
    "product_id",
    "sku",
    "product_title",
    "category_id",
    "category_name",
    "quantity",
    "revenue",
    "cost",
    "freight",
    "created_at",
)
ROLLUP_KEY = ("month", "product_id", "province_code", "supplier_id", "category_id", "salesperson_id")
ROLLUP_SUMS = ("quantity", "revenue", "cost", "freight", "facts")
#: rows per INSERT statement on SQLite (29 parameters a row stays under its 32,766)
CHUNK = 500
DIMENSION_FIELDS = (
    "company_id",
    "company_name",
    "tier_code",
    "tier_name",
    "salesperson_id",
    "salesperson_name",
    "province_code",
    "province",
    "city",
)


def _values(fact: facts.Fact, now) -> tuple:
    d = fact.dims
    return (
        fact.source_id,
        fact.kind,
        fact.occurred_at,
        fact.date,
        fact.month,
        d.order_id,
        d.order_number,
        fact.order_line_id,
        d.company_id,
        d.company_name[:255],
        d.tier_code[:64],
        d.tier_name[:128],
        d.salesperson_id,
        d.salesperson_name[:255],
        d.province_code,
        d.province[:64],
        d.city[:255],
        fact.supplier_id,
        fact.supplier_name[:255],
        fact.product_id,
        fact.sku[:128],
        fact.product_title[:255],
        fact.category_id,
        fact.category_name[:255],
        fact.quantity,
        fact.revenue,
        fact.cost,
        fact.freight,
        now,
    )


def _rollup_key(fact: facts.Fact) -> tuple:
    return (
        fact.month,
        fact.product_id or 0,
        fact.dims.province_code or "",
        fact.supplier_id or 0,
        fact.category_id or 0,
        fact.dims.salesperson_id or 0,
    )


def _insert_sql(table: str, columns: Sequence[str], rows: int, conflict: str) -> str:
    """One INSERT of ``rows`` rows: on PostgreSQL from one JSON parameter read back with the
    table's own row type (``json_populate_recordset``), elsewhere a multi-row VALUES. Measured
    (500 orders, 2,000 facts): psycopg's client-side binding quoted an array per column element
    by element in Python — a third of a worker's time — and a query of thousands of placeholders
    is parsed slowly; one JSON text is escaped once, in C."""
    names = ", ".join(columns)
    if connection.vendor == "postgresql":
        source = f"SELECT {names} FROM json_populate_recordset(NULL::{table}, %s)"  # noqa: S608  (our names)
    else:
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source = "VALUES " + ", ".join([row_sql] * rows)
    return f"INSERT INTO {table} ({names}) {source} {conflict}"  # noqa: S608


def _json_value(value):
    if isinstance(value, date | datetime):
        return value.isoformat()  # an aware datetime keeps its offset: the same instant in timestamptz
    raise TypeError(f"{type(value).__name__} is not a column value")


def _params(columns: Sequence[str], rows: list[tuple]) -> list:
    if connection.vendor == "postgresql":
        records = [dict(zip(columns, row, strict=True)) for row in rows]
        return [json.dumps(records, ensure_ascii=False, default=_json_value)]
    return [value for row in rows for value in row]


def _chunk() -> int:
    return 5000 if connection.vendor == "postgresql" else CHUNK


def _insert_facts(cursor, rows: Sequence[facts.Fact]) -> set[str]:
    """Insert the rows not stored yet; the source ids actually inserted."""
    from django.utils import timezone

    now = timezone.now()
    table = SalesFact._meta.db_table
    inserted: set[str] = set()
    size = _chunk()
    for start in range(0, len(rows), size):
        chunk = [_values(fact, now) for fact in rows[start : start + size]]
        sql = _insert_sql(table, FACT_COLUMNS, len(chunk), "ON CONFLICT (source_id) DO NOTHING RETURNING source_id")
        cursor.execute(sql, _params(FACT_COLUMNS, chunk))
        inserted.update(r[0] for r in cursor.fetchall())
    return inserted


def _add_to_rollup(cursor, rows: Iterable[facts.Fact]) -> None:
    sums: dict[tuple, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    for fact in rows:
        total = sums[_rollup_key(fact)]
        total[0] += fact.quantity
        total[1] += fact.revenue
        total[2] += fact.cost
        total[3] += fact.freight
        total[4] += 1
    if not sums:
        return
    table = MonthlySales._meta.db_table
    updates = ", ".join(f"{c} = {table}.{c} + EXCLUDED.{c}" for c in ROLLUP_SUMS)
    conflict = f"ON CONFLICT ({', '.join(ROLLUP_KEY)}) DO UPDATE SET {updates}"
    keys = sorted(sums)  # one lock order for every writer: no deadlock between two
    size = _chunk()
    for start in range(0, len(keys), size):
        chunk = [(*key, *sums[key]) for key in keys[start : start + size]]
        columns = ROLLUP_KEY + ROLLUP_SUMS
        cursor.execute(_insert_sql(table, columns, len(chunk), conflict), _params(columns, chunk))


def write(rows: Sequence[facts.Fact]) -> int:
    """Insert the facts not stored yet and add exactly those to the rollup; how many were new."""
    if not rows:
        return 0
    # a row given twice is one fact: inserted once (the first), and added to the rollup once
    first: dict[str, facts.Fact] = {}
    for f in rows:
        first.setdefault(f.source_id, f)
    unique = list(first.values())
    with transaction.atomic(), connection.cursor() as cursor:
        inserted = _insert_facts(cursor, unique)
        _add_to_rollup(cursor, [f for f in unique if f.source_id in inserted])
        if inserted and search_index.enabled():
            search_index.mark(cursor, inserted)  # the outbox of the Elasticsearch index
    return len(inserted)


def _stored_dimensions(order_ids: Sequence[int]) -> dict[int, dict]:
    """order id → the dimensions its first stored sale row was written with."""
    found: dict[int, dict] = {}
    rows = (
        SalesFact.objects.filter(order_id__in=order_ids, kind=FactKind.SALE)
        .order_by("order_id", "id")
        .values("order_id", *DIMENSION_FIELDS)
    )
    for row in rows:
        found.setdefault(row.pop("order_id"), row)
    return found


def facts_of_orders(order_ids: Iterable[int]) -> list[facts.Fact]:
    """Every fact row the orders' histories make now (stored or not)."""
    histories = sources.histories(order_ids)
    stored = _stored_dimensions([h.dims.order_id for h in histories])
    rows: list[facts.Fact] = []
    for history in histories:
        made = facts.order_facts(history)
        first = stored.get(history.dims.order_id)
        if first is not None:
            dims = facts.Dimensions(order_id=history.dims.order_id, order_number=history.dims.order_number, **first)
            made = facts.with_dimensions(made, dims)
        rows.extend(made)
    return rows


def record_orders(order_ids: Iterable[int]) -> int:
    """Bring the facts of these orders up to date with their histories; rows inserted."""
    return write(facts_of_orders(order_ids))


def rebuild_rollup() -> int:
    """Recompute the monthly rollup from the facts (rows written). Live writers wait for it."""
    table = MonthlySales._meta.db_table
    facts_table = SalesFact._meta.db_table
    key_sql = (
        "month, COALESCE(product_id, 0), COALESCE(province_code, ''), COALESCE(supplier_id, 0), "
        "COALESCE(category_id, 0), COALESCE(salesperson_id, 0)"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(ROLLUP_KEY + ROLLUP_SUMS)}) "  # noqa: S608
            f"SELECT {key_sql}, SUM(quantity), SUM(revenue), SUM(cost), SUM(freight), COUNT(*) "
            f"FROM {facts_table} GROUP BY {key_sql}"
        )
        return cursor.rowcount
