"""The PostgreSQL backend (the default): each report is one SQL statement over the facts, or over
the monthly rollup when the filters allow it (whole months; no city or tier filter) — ABC with a
window function for the cumulative value before each product. The SQL is portable, so the
embedded SQLite default answers the same reports.
"""

from __future__ import annotations

import gc
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from decimal import Decimal

from django.db import connection
from oscar.core.loading import get_model

from plugins.bigdata.backends import names
from plugins.bigdata.backends.base import (
    DEFAULT_CUTOFFS,
    GROUP_DIMENSIONS,
    ABCGroup,
    ABCRow,
    Backend,
    CompanyCounts,
    CompanyFirstSale,
    Cutoffs,
    Dimension,
    Filters,
    GroupMonthlyValue,
    Measure,
    MonthlyValue,
    PerformanceRow,
    Period,
    ProductValue,
    RegionTotals,
    average,
)
from plugins.bigdata.models import MonthlySales, SalesFact

FACTS = SalesFact._meta.db_table
ROLLUP = MonthlySales._meta.db_table

MEASURES = {Measure.REVENUE: "revenue", Measure.QUANTITY: "quantity", Measure.MARGIN: "revenue - cost"}
#: dimension → (key column, name column) on the facts
DIMENSIONS = {
    Dimension.SALESPERSON: ("salesperson_id", "salesperson_name"),
    Dimension.PROVINCE: ("province_code", "province"),
    Dimension.CATEGORY: ("category_id", "category_name"),
    Dimension.SUPPLIER: ("supplier_id", "supplier_name"),
    Dimension.TIER: ("tier_code", "tier_name"),
    Dimension.PRODUCT: ("product_id", "product_title"),
}


def _in(column: str, values: Sequence, params: list) -> str:
    params.extend(values)
    return f"{column} IN ({', '.join(['%s'] * len(values))})"


def _where(filters: Filters, *, rollup: bool = False) -> tuple[str, list]:
    """The WHERE clause (with its parameters) of ``filters`` on the facts or on the rollup."""
    clauses, params = ["1 = 1"], []
    if filters.period is not None:
        column = "month" if rollup else "date"
        start = filters.period.start.replace(day=1) if rollup else filters.period.start
        clauses.append(f"{column} >= %s AND {column} <= %s")
        params += [start, filters.period.end]
    if filters.regions:
        parts = []
        for region in filters.regions:
            if region.city:
                parts.append("(province_code = %s AND city = %s)")
                params += [region.province_code, region.city]
            else:
                parts.append("province_code = %s")
                params.append(region.province_code)
        clauses.append("(" + " OR ".join(parts) + ")")
    for column, values in (
        ("supplier_id", filters.supplier_ids),
        ("category_id", filters.category_ids),
        ("salesperson_id", filters.salesperson_ids),
        ("tier_code", filters.tier_codes),
    ):
        if values:
            clauses.append(_in(column, values, params))
    return " AND ".join(clauses), params


def _rows(sql: str, params: list) -> list[tuple]:
    """The rows, sums as int (PostgreSQL's SUM of bigint is numeric: a Decimal in Python)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [tuple(int(v) if isinstance(v, Decimal) else v for v in row) for row in cursor.fetchall()]


@contextmanager
def _collector_paused():
    """Tens of thousands of small acyclic rows: each 700 allocations would start a collection that
    walks the whole process heap (measured: half the time of an ABC per province at 100k facts)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fetch(sql: str, params: list) -> list[tuple]:
    """The rows as they come (the statement casts its sums to bigint)."""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _uses_rollup(filters: Filters) -> bool:
    return filters.by_rollup_dimensions_only and (filters.period is None or filters.period.whole_months)


class PostgresBackend(Backend):
    name = "postgres"

    def _region_totals(self, filters: Filters, key: str, extra: str = "", extra_params=()) -> list[tuple]:
        where, params = _where(filters)
        where += extra
        params += list(extra_params)
        # per (group, company) first, then per group: one scan, two small aggregations. An order has
        # one company, so its distinct count adds up over the companies of a group
        sql = f"""
            SELECT k, SUM(r), SUM(sold) - SUM(cancelled),
                   SUM(CASE WHEN company_id IS NOT NULL AND r > 0 THEN 1 ELSE 0 END)
            FROM (
                SELECT {key} AS k, company_id, SUM(revenue) AS r,
                       COUNT(DISTINCT CASE WHEN kind = 'sale' THEN order_id END) AS sold,
                       COUNT(DISTINCT CASE WHEN kind = 'cancellation' THEN order_id END) AS cancelled
                FROM {FACTS} WHERE {where} GROUP BY {key}, company_id
            ) c
            GROUP BY k ORDER BY k
        """  # noqa: S608
        return _rows(sql, params)

    def province_totals(self, filters: Filters) -> list[RegionTotals]:
        return [
            RegionTotals(code, names.province_name(code), revenue, orders, companies, average(revenue, orders))
            for code, revenue, orders, companies in self._region_totals(filters, "province_code")
        ]

    def city_totals(self, filters: Filters, province_code: str) -> list[RegionTotals]:
        rows = self._region_totals(filters, "city", " AND province_code = %s", [province_code])
        return [
            RegionTotals(city, city, revenue, orders, companies, average(revenue, orders))
            for city, revenue, orders, companies in rows
        ]

    def _values_sql(self, filters: Filters, measure: Measure, *, by_month: bool = False) -> tuple[str, list]:
        rollup = _uses_rollup(filters)
        where, params = _where(filters, rollup=rollup)
        source = ROLLUP if rollup else FACTS
        known = "product_id <> 0" if rollup else "product_id IS NOT NULL"
        keys = "product_id, month" if by_month else "product_id"
        sql = (
            f"SELECT {keys}, SUM({MEASURES[measure]}) AS value FROM {source} "  # noqa: S608
            f"WHERE {where} AND {known} GROUP BY {keys}"
        )
        return sql, params

    def product_values(self, filters: Filters, measure: Measure) -> list[ProductValue]:
        sql, params = self._values_sql(filters, measure)
        rows = _rows(sql + " ORDER BY product_id", params)
        labels = names.products([r[0] for r in rows])
        return [ProductValue(pid, *labels.get(pid, ("", "")), value) for pid, value in rows]

    def monthly_values(self, filters: Filters, measure: Measure) -> list[MonthlyValue]:
        sql, params = self._values_sql(filters, measure, by_month=True)
        rows = _rows(sql + " ORDER BY product_id, month", params)
        return [MonthlyValue(pid, _as_date(month), value) for pid, month, value in rows]

    def first_sale_dates(self, filters: Filters) -> list[CompanyFirstSale]:
        # "first" is first ever: the period's start does not apply, its end does
        where, params = _where(replace(filters, period=None))
        if filters.period is not None:
            where += " AND date <= %s"
            params.append(filters.period.end)
        sql = (
            f"SELECT company_id, MIN(date) FROM {FACTS} "  # noqa: S608
            f"WHERE {where} AND kind = 'sale' AND company_id IS NOT NULL GROUP BY company_id ORDER BY company_id"
        )
        return [CompanyFirstSale(company, _as_date(first)) for company, first in _rows(sql, params)]

    def _graded_sql(self, filters: Filters, measure: Measure, cutoffs: Cutoffs, group: str | None) -> tuple[str, list]:
        """ABC in one statement: per (group,) product values, then the cumulative value before each
        product and the group's total as window sums of the positive values (partitioned by the
        group), graded — one pass over the values, like the hand-written floor. Product labels
        are joined after the ranking (as names.products: the first offer's SKU, the title or the
        parent's; a product no longer in the catalogue has no offer to look up): a lookup by
        thousands of ids cost more than the ranking itself. Sums come back as bigint (psycopg
        makes a Decimal of every numeric: slower to read, and converted back to int anyway)."""
        rollup = _uses_rollup(filters)
        where, params = _where(filters, rollup=rollup)
        source = ROLLUP if rollup else FACTS
        known = ["product_id <> 0" if rollup else "product_id IS NOT NULL"]
        if group is not None and group != "province_code":
            known.append(f"{group} <> 0" if rollup else f"{group} IS NOT NULL")
        g = f"{group} AS g" if group is not None else "'' AS g"
        keys = f"{group}, product_id" if group is not None else "product_id"
        partition = "PARTITION BY g" if group is not None else ""
        a_bp, b_bp = cutoffs.basis_points
        stock, product = (
            get_model("partner", "StockRecord")._meta.db_table,
            get_model("catalogue", "Product")._meta.db_table,
        )
        positive = "CASE WHEN value > 0 THEN value ELSE 0 END"
        sql = f"""
            WITH v AS (
                SELECT {g}, product_id, SUM({MEASURES[measure]}) AS value FROM {source}
                WHERE {where} AND {" AND ".join(known)} GROUP BY {keys}
            ),
            r AS (
                SELECT g, product_id, value,
                       SUM({positive}) OVER ({partition} ORDER BY value DESC, product_id ROWS UNBOUNDED PRECEDING)
                           - {positive} AS before,
                       SUM({positive}) OVER ({partition}) AS total
                FROM v
            ),
            graded AS (
                SELECT g, product_id, value,
                       CASE WHEN value > 0 THEN before END AS before,
                       CASE WHEN value <= 0 THEN 'N' WHEN before * 10000 < total * %s THEN 'A'
                            WHEN before * 10000 < total * %s THEN 'B' ELSE 'C' END AS grade
                FROM r
            )
            SELECT g.g, g.product_id, CAST(g.value AS BIGINT), CAST(g.before AS BIGINT), g.grade,
                   CASE WHEN pr.id IS NULL THEN '' ELSE
                       COALESCE((SELECT s.partner_sku FROM {stock} s WHERE s.product_id = g.product_id
                                 ORDER BY s.id LIMIT 1), '') END,
                   COALESCE(NULLIF(pr.title, ''), parent.title, '')
            FROM graded g
            LEFT JOIN {product} pr ON pr.id = g.product_id
            LEFT JOIN {product} parent ON parent.id = pr.parent_id
            ORDER BY g.g, g.grade, g.value DESC, g.product_id
        """  # noqa: S608
        return sql, params + [a_bp, b_bp]

    def abc(
        self, filters: Filters, measure: Measure = Measure.REVENUE, cutoffs: Cutoffs = DEFAULT_CUTOFFS
    ) -> list[ABCRow]:
        sql, params = self._graded_sql(filters, measure, cutoffs, None)
        with _collector_paused():
            return [
                ABCRow(pid, sku or "", title or "", value, before, grade)
                for _g, pid, value, before, grade, sku, title in _fetch(sql, params)
            ]

    def abc_by_group(
        self,
        filters: Filters,
        dimension: Dimension,
        measure: Measure = Measure.REVENUE,
        cutoffs: Cutoffs = DEFAULT_CUTOFFS,
    ) -> list[ABCGroup]:
        key, _label = _group_columns(dimension)
        sql, params = self._graded_sql(filters, measure, cutoffs, key)
        groups: dict = {}
        with _collector_paused():
            for g, pid, value, before, grade, sku, title in _fetch(sql, params):
                groups.setdefault(g, []).append(ABCRow(pid, sku or "", title or "", value, before, grade))
        labels = self._group_names(filters, dimension, list(groups))
        return [ABCGroup(_key_text(g), labels.get(g, ""), rows) for g, rows in groups.items()]

    def _group_names(self, filters: Filters, dimension: Dimension, keys: list) -> dict:
        """group key → its name (see ABCGroup.name); provinces need no query."""
        if dimension == Dimension.PROVINCE:
            return {code: names.province_name(code) for code in keys}
        if not keys:
            return {}
        key, label = DIMENSIONS[dimension]
        where, params = _where(filters)
        sql = (
            f"SELECT {key}, MAX({label}) FROM {FACTS} "  # noqa: S608
            f"WHERE {where} AND {_in(key, keys, params)} GROUP BY {key}"
        )
        return dict(_rows(sql, params))

    def monthly_values_by_group(
        self, filters: Filters, dimension: Dimension, measure: Measure
    ) -> list[GroupMonthlyValue]:
        key, _label = _group_columns(dimension)
        rollup = _uses_rollup(filters)
        where, params = _where(filters, rollup=rollup)
        source = ROLLUP if rollup else FACTS
        known = "product_id <> 0" if rollup else "product_id IS NOT NULL"
        if key != "province_code":
            known += f" AND {key} <> 0" if rollup else f" AND {key} IS NOT NULL"
        sql = (
            f"SELECT {key}, product_id, month, SUM({MEASURES[measure]}) FROM {source} "  # noqa: S608
            f"WHERE {where} AND {known} GROUP BY {key}, product_id, month ORDER BY {key}, product_id, month"
        )
        return [GroupMonthlyValue(_key_text(g), pid, _as_date(m), v) for g, pid, m, v in _rows(sql, params)]

    def company_counts(
        self, filters: Filters, dimension: Dimension | None, buckets: Sequence[Period]
    ) -> dict[tuple[str, int], CompanyCounts]:
        if not buckets:
            return {}
        key = DIMENSIONS[dimension][0] if dimension is not None else "''"
        where, params = _where(replace(filters, period=None))
        values = ", ".join(["(%s, %s, %s)"] * len(buckets))
        bucket_params = [v for i, b in enumerate(buckets) for v in (i, b.start, b.end)]
        last = max(b.end for b in buckets)
        # per (row, company, bucket) first, then per (row, bucket); the first sale over all the
        # row's history up to the last bucket (one scan of the facts)
        sql = f"""
            WITH b (i, s, e) AS (VALUES {values}),
            f AS (
                SELECT {key} AS k, company_id AS c, kind, order_id, revenue, date FROM {FACTS}
                WHERE {where} AND company_id IS NOT NULL AND date <= %s
            ),
            firsts AS (SELECT k, c, MIN(date) AS first_day FROM f WHERE kind = 'sale' GROUP BY k, c),
            per AS (
                SELECT f.k, f.c, b.i, SUM(f.revenue) AS revenue,
                       COUNT(DISTINCT CASE WHEN f.kind = 'sale' THEN f.order_id END)
                       - COUNT(DISTINCT CASE WHEN f.kind = 'cancellation' THEN f.order_id END) AS orders
                FROM f JOIN b ON f.date >= b.s AND f.date <= b.e
                GROUP BY f.k, f.c, b.i
            )
            SELECT per.k, per.i,
                   SUM(CASE WHEN per.revenue > 0 THEN 1 ELSE 0 END),
                   SUM(CASE WHEN per.revenue > 0 AND firsts.first_day >= b.s AND firsts.first_day <= b.e
                            THEN 1 ELSE 0 END),
                   SUM(CASE WHEN per.revenue > 0 AND per.orders >= 2 THEN 1 ELSE 0 END)
            FROM per JOIN b ON b.i = per.i
            LEFT JOIN firsts ON firsts.k IS NOT DISTINCT FROM per.k AND firsts.c = per.c
            GROUP BY per.k, per.i
        """  # noqa: S608
        result = {}
        for k, i, active, new, repurchasing in _rows(sql, bucket_params + params + [last]):
            result[(_key_text(k), int(i))] = CompanyCounts(int(active), int(new), int(repurchasing))
        return result

    def performance(self, filters: Filters, dimension: Dimension, *, by_month: bool = False) -> list[PerformanceRow]:
        key, label = DIMENSIONS[dimension]
        where, params = _where(filters)
        month = "month" if by_month else "NULL"
        by = f"{key}, month, company_id" if by_month else f"{key}, company_id"  # (GROUP BY NULL is refused)
        # per (group, month, company) first, then per (group, month) — as the region totals: no join
        sql = f"""
            SELECT k, MAX(label), m, SUM(r), SUM(c), SUM(sold) - SUM(cancelled),
                   SUM(CASE WHEN company_id IS NOT NULL AND r > 0 THEN 1 ELSE 0 END), SUM(q)
            FROM (
                SELECT {key} AS k, MAX({label}) AS label, {month} AS m, company_id,
                       SUM(revenue) AS r, SUM(cost) AS c, SUM(quantity) AS q,
                       COUNT(DISTINCT CASE WHEN kind = 'sale' THEN order_id END) AS sold,
                       COUNT(DISTINCT CASE WHEN kind = 'cancellation' THEN order_id END) AS cancelled
                FROM {FACTS} WHERE {where} GROUP BY {by}
            ) c
            GROUP BY k, m ORDER BY m, k
        """  # noqa: S608
        result = []
        for k, name, m, revenue, cost, orders, companies, quantity in _rows(sql, params):
            result.append(
                PerformanceRow(
                    key="" if k is None else str(k),
                    name=name or "",
                    month=_as_date(m),
                    revenue=revenue,
                    cost=cost,
                    orders=orders,
                    companies=companies,
                    quantity=quantity,
                    average_order_value=average(revenue, orders),
                )
            )
        return result


def _group_columns(dimension: Dimension) -> tuple[str, str]:
    if dimension not in GROUP_DIMENSIONS:
        raise ValueError(f"ABC is not split by {dimension}")
    return DIMENSIONS[dimension]


def _key_text(value) -> str:
    return "" if value is None else str(value)


def _as_date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))  # SQLite returns the month as text
