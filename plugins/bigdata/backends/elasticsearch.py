"""The Elasticsearch backend (selected when ``ELASTICSEARCH_URL`` is set): the same reports as the
PostgreSQL one, to the fen, from an index of the sales facts.

Index layout: one document per fact, ``_id`` = the fact's ``source_id`` (facts never change, so
writing a document again is a no-op in effect); an index template with a strict mapping (keyword
dimensions, integer ids, money as ``long`` fen, ``date``/``month`` as the Asia/Shanghai days the
fact carries, ``occurred_at`` as the instant). Reports read the alias ``ELASTICSEARCH_INDEX``; a
rebuild writes a new versioned index ``<alias>-v<timestamp>`` and moves the alias in one
``_aliases`` call (``swap_alias``), so readers never see a half-built index.

Every report is a handful of composite aggregations, paged with ``after_key`` until the last
bucket, so lists are complete (a ``terms`` aggregation is capped and approximate). Nothing is
computed by scripts (``bucket_script``/``bucket_selector`` are not needed, and the emulator used in
CI has none):

- sums per group: a composite over the group's keys with ``sum`` sub-aggregations (ES sums
  ``long`` fields as doubles: exact up to 2^53 fen, 90 trillion yuan);
- orders: a composite over (group, kind, order_id) for ``sale`` and ``cancellation`` rows: each
  bucket is one distinct order — an exact count (``cardinality`` is approximate);
- active companies: a composite over (group, company_id) with the revenue sum, counted where > 0;
- months: a ``date_histogram`` source on ``occurred_at`` with ``calendar_interval: month`` and
  ``time_zone: Asia/Shanghai`` (the same month the fact's ``month`` column holds).

Request bodies are built and responses parsed by pure functions (tested without a server); the
only I/O is ``ElasticsearchBackend._buckets`` (search) and the index helpers at the end.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings

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
    classify,
)

SHANGHAI = "Asia/Shanghai"
_SHANGHAI = ZoneInfo(SHANGHAI)
#: buckets per composite page (ES allows up to search.max_buckets, 65,536 by default)
PAGE = 5000
DEFAULT_ALIAS = "s2b2b-sales-facts"

KEYWORD = {"type": "keyword"}
LONG = {"type": "long"}
DAY = {"type": "date", "format": "strict_date"}
#: the strict mapping: a document with any other field is refused (dynamic mapping would make
#: strings ``text`` and money ``float``)
MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "properties": {
        "source_id": KEYWORD,
        "kind": KEYWORD,
        "occurred_at": {"type": "date", "format": "strict_date_optional_time"},
        "date": DAY,
        "month": DAY,
        "order_id": LONG,
        "order_number": KEYWORD,
        "order_line_id": LONG,
        "company_id": LONG,
        "company_name": KEYWORD,
        "tier_code": KEYWORD,
        "tier_name": KEYWORD,
        "salesperson_id": LONG,
        "salesperson_name": KEYWORD,
        "province_code": KEYWORD,
        "province": KEYWORD,
        "city": KEYWORD,
        "supplier_id": LONG,
        "supplier_name": KEYWORD,
        "product_id": LONG,
        "sku": KEYWORD,
        "product_title": KEYWORD,
        "category_id": LONG,
        "category_name": KEYWORD,
        "quantity": {"type": "integer"},
        "revenue": LONG,
        "cost": LONG,
        "freight": LONG,
    },
}
DOCUMENT_FIELDS = tuple(MAPPING["properties"])

#: dimension → (key field, label field), as PostgresBackend's DIMENSIONS
DIMENSIONS = {
    Dimension.SALESPERSON: ("salesperson_id", "salesperson_name"),
    Dimension.PROVINCE: ("province_code", "province"),
    Dimension.CATEGORY: ("category_id", "category_name"),
    Dimension.SUPPLIER: ("supplier_id", "supplier_name"),
    Dimension.TIER: ("tier_code", "tier_name"),
    Dimension.PRODUCT: ("product_id", "product_title"),
}
#: the sums each measure needs (margin = revenue − cost, subtracted after the sums: no script)
MEASURE_FIELDS = {Measure.REVENUE: ("revenue",), Measure.QUANTITY: ("quantity",), Measure.MARGIN: ("revenue", "cost")}


# --- index layout ------------------------------------------------------------------------------


def alias_name() -> str:
    return getattr(settings, "ELASTICSEARCH_INDEX", "") or DEFAULT_ALIAS


def index_template(alias: str) -> dict:
    """The composable template every version of the index is created from."""
    return {
        "index_patterns": [f"{alias}-v*"],
        "template": {
            "settings": {"number_of_shards": 1, "auto_expand_replicas": "0-1"},
            "mappings": MAPPING,
        },
        "priority": 100,
    }


def version_name(alias: str, at: datetime) -> str:
    return f"{alias}-v{at.astimezone(UTC):%Y%m%d%H%M%S%f}"


def _plain(value):
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def document(row: dict) -> dict:
    """A stored fact (``SalesFact`` values) as its document."""
    return {field: _plain(row[field]) for field in DOCUMENT_FIELDS}


def bulk_operations(documents: Iterable[dict]) -> list[dict]:
    """``index`` operations (create or overwrite: the same fact gives the same document)."""
    operations: list[dict] = []
    for doc in documents:
        operations += [{"index": {"_id": doc["source_id"]}}, doc]
    return operations


def indexed_ids(response: dict) -> tuple[list[str], list[dict]]:
    """The ids a bulk response stored, and the items it refused (with their errors)."""
    done, failed = [], []
    for item in response.get("items", []):
        result = next(iter(item.values()))
        (done if 200 <= result.get("status", 500) < 300 else failed).append(result)
    return [r["_id"] for r in done], failed


def swap_actions(alias: str, old: Sequence[str], new: str) -> list[dict]:
    """One ``_aliases`` request: the alias leaves the old versions and points at the new one, at
    once (ES applies the actions atomically)."""
    return [*({"remove": {"index": index, "alias": alias}} for index in old), {"add": {"index": new, "alias": alias}}]


# --- queries -----------------------------------------------------------------------------------


def filter_clauses(filters: Filters) -> list[dict]:
    """``filters`` as ``bool.filter`` clauses (the same rows PostgresBackend's WHERE selects)."""
    clauses: list[dict] = []
    if filters.period is not None:
        period = {"gte": filters.period.start.isoformat(), "lte": filters.period.end.isoformat()}
        clauses.append({"range": {"date": {**period, "format": "strict_date"}}})
    if filters.regions:
        should = []
        for region in filters.regions:
            province = {"term": {"province_code": region.province_code}}
            if region.city:
                should.append({"bool": {"filter": [province, {"term": {"city": region.city}}]}})
            else:
                should.append(province)
        clauses.append({"bool": {"should": should, "minimum_should_match": 1}})
    for field, values in (
        ("supplier_id", filters.supplier_ids),
        ("category_id", filters.category_ids),
        ("salesperson_id", filters.salesperson_ids),
        ("tier_code", filters.tier_codes),
    ):
        if values:
            clauses.append({"terms": {field: list(values)}})
    return clauses


def query(filters: Filters, *extra: dict) -> dict:
    return {"bool": {"filter": [*filter_clauses(filters), *extra]}}


def exists(field: str) -> dict:
    return {"exists": {"field": field}}


def term(field: str, value) -> dict:
    return {"term": {field: value}}


@dataclass(frozen=True)
class Source:
    """One key of a composite aggregation: a field's values (``missing_bucket``: rows without
    the field form their own group, as NULL does in SQL) or the Shanghai month of the fact."""

    name: str
    field: str
    month: bool = False

    def body(self) -> dict:
        if self.month:
            return {
                self.name: {
                    "date_histogram": {"field": self.field, "calendar_interval": "month", "time_zone": SHANGHAI}
                }
            }
        return {self.name: {"terms": {"field": self.field, "missing_bucket": True}}}

    def value(self, key: dict):
        raw = key.get(self.name)
        if self.month:
            return datetime.fromtimestamp(raw / 1000, _SHANGHAI).date()  # the month's first day there
        if isinstance(raw, float) and raw.is_integer():
            return int(raw)  # a long key decoded as a JSON float
        return raw


MONTH = Source("month", "occurred_at", month=True)


def composite_body(
    q: dict, sources: Sequence[Source], aggs: dict | None = None, after: dict | None = None, size: int = PAGE
) -> dict:
    """One page of a composite aggregation (``after``: the previous page's ``after_key``)."""
    composite: dict[str, Any] = {"size": size, "sources": [s.body() for s in sources]}
    if after is not None:
        composite["after"] = after
    groups: dict[str, Any] = {"composite": composite}
    if aggs:
        groups["aggs"] = aggs
    return {"size": 0, "track_total_hits": False, "query": q, "aggs": {"groups": groups}}


def sums(*fields: str) -> dict:
    return {f: {"sum": {"field": f}} for f in fields}


def page(response: dict) -> tuple[list[dict], dict | None]:
    """The buckets of one page and the key to ask the next page after (None: last page)."""
    groups = response["aggregations"]["groups"]
    buckets = groups.get("buckets", [])
    return buckets, (groups.get("after_key") if buckets else None)


def whole(value) -> int:
    """A sum as int fen (ES sums numbers as doubles; ours are whole and far below 2^53)."""
    return int(round(value or 0))


def bucket_sums(bucket: dict, fields: Iterable[str]) -> dict[str, int]:
    return {f: whole(bucket[f]["value"]) for f in fields}


def day_of(millis: float) -> date:
    """A ``date`` field's value (the day at midnight UTC, in epoch milliseconds) as the day."""
    return datetime.fromtimestamp(millis / 1000, UTC).date()


def _order_key(value):
    """Sort as PostgreSQL does (ascending, NULL last; C collation: code points)."""
    return (value is None, value if value is not None else 0)


# --- the backend -------------------------------------------------------------------------------


def _group_field(dimension: Dimension) -> str:
    if dimension not in GROUP_DIMENSIONS:
        raise ValueError(f"ABC is not split by {dimension}")
    return DIMENSIONS[dimension][0]


def client_from_settings():
    from elasticsearch import Elasticsearch

    return Elasticsearch(settings.ELASTICSEARCH_URL, request_timeout=60, max_retries=2, retry_on_timeout=True)


class ElasticsearchBackend(Backend):
    name = "elasticsearch"

    def __init__(self, client=None, alias: str | None = None):
        self._client = client
        self.alias = alias or alias_name()

    @property
    def client(self):
        if self._client is None:
            self._client = client_from_settings()
        return self._client

    # I/O: every page of one composite aggregation
    def _buckets(self, q: dict, sources: Sequence[Source], aggs: dict | None = None) -> Iterator[dict]:
        from elasticsearch import NotFoundError

        after = None
        while True:
            try:
                response = self.client.search(index=self.alias, **composite_body(q, sources, aggs, after))
            except NotFoundError:
                return  # nothing indexed yet: no facts, like an empty table
            buckets, after = page(response.body)
            yield from buckets
            if after is None or len(buckets) < PAGE:
                return

    def _sums(self, q: dict, sources: Sequence[Source], fields: Sequence[str]) -> dict[tuple, dict[str, int]]:
        result = {}
        for bucket in self._buckets(q, sources, sums(*fields)):
            result[tuple(s.value(bucket["key"]) for s in sources)] = bucket_sums(bucket, fields)
        return result

    def _orders(self, filters: Filters, sources: Sequence[Source], *extra: dict) -> dict[tuple, int]:
        """Net orders per group: distinct sale orders − distinct cancelled orders (exact)."""
        q = query(filters, *extra, {"terms": {"kind": ["sale", "cancellation"]}})
        keys = [*sources, Source("kind", "kind"), Source("order", "order_id")]
        net: dict[tuple, int] = defaultdict(int)
        for bucket in self._buckets(q, keys):
            group = tuple(s.value(bucket["key"]) for s in sources)
            net[group] += 1 if bucket["key"]["kind"] == "sale" else -1
        return net

    def _active_companies(self, filters: Filters, sources: Sequence[Source], *extra: dict) -> dict[tuple, int]:
        """Companies per group whose net revenue there is above zero."""
        q = query(filters, *extra, exists("company_id"))
        keys = [*sources, Source("company", "company_id")]
        active: dict[tuple, int] = defaultdict(int)
        for bucket in self._buckets(q, keys, sums("revenue")):
            if whole(bucket["revenue"]["value"]) > 0:
                active[tuple(s.value(bucket["key"]) for s in sources)] += 1
        return active

    def _region_totals(self, filters: Filters, field: str, *extra: dict) -> list[tuple]:
        sources = [Source("k", field)]
        revenue = self._sums(query(filters, *extra), sources, ["revenue"])
        orders = self._orders(filters, sources, *extra)
        companies = self._active_companies(filters, sources, *extra)
        rows = []
        for key in sorted(revenue, key=lambda k: _order_key(k[0])):
            rows.append((key[0], revenue[key]["revenue"], orders.get(key, 0), companies.get(key, 0)))
        return rows

    def province_totals(self, filters: Filters) -> list[RegionTotals]:
        return [
            RegionTotals(code, names.province_name(code), revenue, orders, companies, average(revenue, orders))
            for code, revenue, orders, companies in self._region_totals(filters, "province_code")
        ]

    def city_totals(self, filters: Filters, province_code: str) -> list[RegionTotals]:
        rows = self._region_totals(filters, "city", term("province_code", province_code))
        return [
            RegionTotals(city, city, revenue, orders, companies, average(revenue, orders))
            for city, revenue, orders, companies in rows
        ]

    def _values(self, filters: Filters, measure: Measure, *, by_month: bool) -> list[tuple]:
        sources = [Source("product", "product_id"), *([MONTH] if by_month else [])]
        fields = MEASURE_FIELDS[measure]
        found = self._sums(query(filters, exists("product_id")), sources, fields)
        rows = []
        for key in sorted(found):
            s = found[key]
            rows.append((*key, s["revenue"] - s["cost"] if measure == Measure.MARGIN else s[fields[0]]))
        return rows

    def product_values(self, filters: Filters, measure: Measure) -> list[ProductValue]:
        rows = self._values(filters, measure, by_month=False)
        labels = names.products([pid for pid, _value in rows])
        return [ProductValue(pid, *labels.get(pid, ("", "")), value) for pid, value in rows]

    def monthly_values(self, filters: Filters, measure: Measure) -> list[MonthlyValue]:
        return [MonthlyValue(pid, month, value) for pid, month, value in self._values(filters, measure, by_month=True)]

    def abc(
        self, filters: Filters, measure: Measure = Measure.REVENUE, cutoffs: Cutoffs = DEFAULT_CUTOFFS
    ) -> list[ABCRow]:
        # the values come from the index; the ranking is base.classify, the rule PostgreSQL's
        # window function implements (integer comparisons, ties by product id)
        return classify(self.product_values(filters, measure), cutoffs)

    def _group_values(
        self, filters: Filters, dimension: Dimension, measure: Measure, *, by_month: bool
    ) -> dict[tuple, int]:
        """(group, product[, month]) → value, one composite; facts without the group's supplier
        or category are left out (a province "" is a group)."""
        key_field = _group_field(dimension)
        extra = [exists("product_id")] if dimension == Dimension.PROVINCE else [exists("product_id"), exists(key_field)]
        sources = [Source("g", key_field), Source("product", "product_id"), *([MONTH] if by_month else [])]
        fields = MEASURE_FIELDS[measure]
        found = self._sums(query(filters, *extra), sources, fields)
        return {
            key: (s["revenue"] - s["cost"] if measure == Measure.MARGIN else s[fields[0]]) for key, s in found.items()
        }

    def _group_names(self, filters: Filters, dimension: Dimension) -> dict:
        """group key → its greatest name in the filters (provinces: core.regions labels)."""
        key_field, label_field = DIMENSIONS[dimension]
        group, label = Source("g", key_field), Source("label", label_field)
        found: dict = {}
        for bucket in self._buckets(query(filters, exists(key_field)), [group, label]):
            g, name = group.value(bucket["key"]), label.value(bucket["key"]) or ""
            found[g] = max(found.get(g, ""), name)
        return found

    def abc_by_group(
        self,
        filters: Filters,
        dimension: Dimension,
        measure: Measure = Measure.REVENUE,
        cutoffs: Cutoffs = DEFAULT_CUTOFFS,
    ) -> list[ABCGroup]:
        values = self._group_values(filters, dimension, measure, by_month=False)
        per_group: dict = defaultdict(list)
        for (g, pid), value in values.items():
            per_group[g].append((pid, value))
        keys = sorted(per_group, key=_order_key)
        labels = self._group_names(filters, dimension) if dimension != Dimension.PROVINCE and keys else {}
        products = names.products([pid for pid, _v in [p for g in keys for p in per_group[g]]])
        result = []
        for g in keys:
            rows = [ProductValue(pid, *products.get(pid, ("", "")), v) for pid, v in sorted(per_group[g])]
            key = "" if g is None else str(g)
            name = names.province_name(key) if dimension == Dimension.PROVINCE else labels.get(g, "")
            result.append(ABCGroup(key, name, classify(rows, cutoffs)))
        return result

    def monthly_values_by_group(
        self, filters: Filters, dimension: Dimension, measure: Measure
    ) -> list[GroupMonthlyValue]:
        values = self._group_values(filters, dimension, measure, by_month=True)
        return [
            GroupMonthlyValue("" if g is None else str(g), pid, month, values[(g, pid, month)])
            for g, pid, month in sorted(values, key=lambda k: (_order_key(k[0]), k[1], k[2]))
        ]

    def first_sale_dates(self, filters: Filters) -> list[CompanyFirstSale]:
        extra = [term("kind", "sale"), exists("company_id")]
        if filters.period is not None:
            until = filters.period.end.isoformat()
            extra.append({"range": {"date": {"lte": until, "format": "strict_date"}}})
        q = query(replace(filters, period=None), *extra)
        company = Source("company", "company_id")
        found = {
            company.value(bucket["key"]): day_of(bucket["first"]["value"])
            for bucket in self._buckets(q, [company], {"first": {"min": {"field": "date"}}})
        }
        return [CompanyFirstSale(company, found[company]) for company in sorted(found)]

    def company_counts(
        self, filters: Filters, dimension: Dimension | None, buckets: Sequence[Period]
    ) -> dict[tuple[str, int], CompanyCounts]:
        if not buckets:
            return {}
        row = [Source("k", DIMENSIONS[dimension][0])] if dimension is not None else []
        company = Source("company", "company_id")
        keys = [*row, company]

        def key_of(bucket: dict) -> tuple:
            k = row[0].value(bucket["key"]) if row else ""
            return ("" if k is None else str(k), company.value(bucket["key"]))

        # each (row, company)'s first sale up to the last bucket's end: one composite
        until = {"range": {"date": {"lte": max(b.end for b in buckets).isoformat(), "format": "strict_date"}}}
        q = query(replace(filters, period=None), term("kind", "sale"), exists("company_id"), until)
        firsts = {
            key_of(bucket): day_of(bucket["first"]["value"])
            for bucket in self._buckets(q, keys, {"first": {"min": {"field": "date"}}})
        }
        result: dict[tuple[str, int], CompanyCounts] = {}
        for i, period in enumerate(buckets):
            inside = replace(filters, period=period)
            revenue = {
                key_of(b): whole(b["revenue"]["value"])
                for b in self._buckets(query(inside, exists("company_id")), keys, sums("revenue"))
            }
            orders: dict[tuple, int] = defaultdict(int)
            q = query(inside, exists("company_id"), {"terms": {"kind": ["sale", "cancellation"]}})
            for b in self._buckets(q, [*keys, Source("kind", "kind"), Source("order", "order_id")]):
                orders[key_of(b)] += 1 if b["key"]["kind"] == "sale" else -1
            counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
            for (k, c), r in revenue.items():
                n = counts[k]  # a row with companies but none active is listed with zeros, as in SQL
                if r <= 0:
                    continue
                n[0] += 1
                first = firsts.get((k, c))
                n[1] += 1 if first is not None and period.start <= first <= period.end else 0
                n[2] += 1 if orders.get((k, c), 0) >= 2 else 0
            for k, (active, new, repurchasing) in counts.items():
                result[(k, i)] = CompanyCounts(active, new, repurchasing)
        return result

    def performance(self, filters: Filters, dimension: Dimension, *, by_month: bool = False) -> list[PerformanceRow]:
        key_field, label_field = DIMENSIONS[dimension]
        group = [Source("k", key_field), *([MONTH] if by_month else [])]
        # the label is a key too (one bucket per name a group was written with); the group's
        # name is the greatest, as MAX(label) in SQL
        labelled = self._sums(query(filters), [*group, Source("label", label_field)], ["revenue", "cost", "quantity"])
        totals: dict[tuple, dict[str, int]] = {}
        label: dict[tuple, str] = {}
        for (*key, name), s in labelled.items():
            key = tuple(key)
            total = totals.setdefault(key, {"revenue": 0, "cost": 0, "quantity": 0})
            for f in total:
                total[f] += s[f]
            label[key] = max(label.get(key, ""), name or "")
        orders = self._orders(filters, group)
        companies = self._active_companies(filters, group)

        def order(key: tuple):
            month = key[1] if by_month else None
            return (month or date.min, _order_key(key[0]))

        rows = []
        for key in sorted(totals, key=order):
            t, n = totals[key], orders.get(key, 0)
            rows.append(
                PerformanceRow(
                    key="" if key[0] is None else str(key[0]),
                    name=label[key],
                    month=key[1] if by_month else None,
                    revenue=t["revenue"],
                    cost=t["cost"],
                    orders=n,
                    companies=companies.get(key, 0),
                    quantity=t["quantity"],
                    average_order_value=average(t["revenue"], n),
                )
            )
        return rows


# --- writing: template, versions, alias ---------------------------------------------------------


def put_template(client, alias: str) -> None:
    client.indices.put_index_template(name=alias, **index_template(alias))


def alias_indices(client, alias: str) -> list[str]:
    """The indices the alias points at now ([] before the first build)."""
    from elasticsearch import NotFoundError

    try:
        return sorted(client.indices.get_alias(name=alias).body)
    except NotFoundError:
        return []


def create_version(client, alias: str) -> str:
    """A new, empty version of the index (mapping from the template); its name."""
    name = version_name(alias, datetime.now(UTC))
    client.indices.create(index=name)
    return name


def index_documents(
    client, index: str, documents: list[dict], *, through_alias: bool = False, refresh: bool = False
) -> tuple[list[str], list]:
    """Bulk-index ``documents`` into ``index`` (the alias, or a version being built); (ids stored,
    refusals). Through the alias ``require_alias`` is set: a missing alias is an error, never an
    index auto-created with a dynamic mapping."""
    if not documents:
        return [], []
    extra = {"require_alias": True} if through_alias else {}
    response = client.bulk(operations=bulk_operations(documents), index=index, refresh=refresh, **extra)
    return indexed_ids(response.body)


def swap_alias(client, alias: str, new: str) -> list[str]:
    """Point the alias at ``new`` only, atomically; the versions it left."""
    old = [index for index in alias_indices(client, alias) if index != new]
    client.indices.update_aliases(actions=swap_actions(alias, old, new))
    return old
