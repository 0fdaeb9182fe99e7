"""The Elasticsearch backend without a server: the request bodies it sends (filters, composite
pages with after_key, Shanghai months, exact order counts, the strict index template, bulk
writes, the alias swap), how it reads answers (pages, month keys, sums, bulk item errors), and
the outbox of facts waiting for the index (marked with the facts, only when a cluster is set)."""

from datetime import UTC, date, datetime

import pytest
from django.test import override_settings

from plugins.bigdata import backends
from plugins.bigdata.backends import elasticsearch as es
from plugins.bigdata.backends.base import Filters, Period, Region
from plugins.bigdata.models import PendingFactIndex, SalesFact
from plugins.bigdata.services.facts import write
from tests.bigdata.generated import generate


def test_filters_become_the_same_conditions_as_the_sql_where():
    filters = Filters(
        period=Period(date(2026, 1, 1), date(2026, 3, 31)),
        regions=(Region("440000"), Region("110000", city="北京市")),
        supplier_ids=(3,),
        category_ids=(4, 5),
        salesperson_ids=(7,),
        tier_codes=("gold",),
    )
    assert es.filter_clauses(filters) == [
        {"range": {"date": {"gte": "2026-01-01", "lte": "2026-03-31", "format": "strict_date"}}},
        {
            "bool": {
                "should": [
                    {"term": {"province_code": "440000"}},
                    {"bool": {"filter": [{"term": {"province_code": "110000"}}, {"term": {"city": "北京市"}}]}},
                ],
                "minimum_should_match": 1,
            }
        },
        {"terms": {"supplier_id": [3]}},
        {"terms": {"category_id": [4, 5]}},
        {"terms": {"salesperson_id": [7]}},
        {"terms": {"tier_code": ["gold"]}},
    ]
    assert es.filter_clauses(Filters()) == []
    assert es.query(Filters(), es.exists("product_id")) == {"bool": {"filter": [{"exists": {"field": "product_id"}}]}}


def test_a_composite_page_groups_by_keys_and_shanghai_months_and_continues_after_the_last_key():
    sources = [es.Source("k", "supplier_id"), es.MONTH]
    body = es.composite_body({"match_all": {}}, sources, es.sums("revenue", "cost"), after={"k": 3, "month": 1})
    assert body == {
        "size": 0,
        "track_total_hits": False,
        "query": {"match_all": {}},
        "aggs": {
            "groups": {
                "composite": {
                    "size": es.PAGE,
                    "sources": [
                        {"k": {"terms": {"field": "supplier_id", "missing_bucket": True}}},
                        {
                            "month": {
                                "date_histogram": {
                                    "field": "occurred_at",
                                    "calendar_interval": "month",
                                    "time_zone": "Asia/Shanghai",
                                }
                            }
                        },
                    ],
                    "after": {"k": 3, "month": 1},
                },
                "aggs": {"revenue": {"sum": {"field": "revenue"}}, "cost": {"sum": {"field": "cost"}}},
            }
        },
    }
    assert "after" not in es.composite_body({}, sources)["aggs"]["groups"]["composite"]


def test_answers_are_read_page_by_page_with_months_in_shanghai_and_sums_as_whole_fen():
    # 2025-02-28 16:00 UTC is 2025-03-01 00:00 in Shanghai: the March bucket
    march = int(datetime(2025, 2, 28, 16, tzinfo=UTC).timestamp() * 1000)
    response = {
        "aggregations": {
            "groups": {
                "after_key": {"k": None, "month": march},
                "buckets": [
                    {"key": {"k": 3.0, "month": march}, "doc_count": 2, "revenue": {"value": 123456789.0}},
                    {"key": {"k": None, "month": march}, "doc_count": 1, "revenue": {"value": -70000.0}},
                ],
            }
        }
    }
    buckets, after = es.page(response)
    assert after == {"k": None, "month": march}
    k, month = es.Source("k", "supplier_id"), es.MONTH
    assert [(k.value(b["key"]), month.value(b["key"])) for b in buckets] == [
        (3, date(2025, 3, 1)),
        (None, date(2025, 3, 1)),
    ]
    assert type(k.value(buckets[0]["key"])) is int
    assert [es.bucket_sums(b, ["revenue"]) for b in buckets] == [{"revenue": 123456789}, {"revenue": -70000}]
    assert es.page({"aggregations": {"groups": {"buckets": []}}}) == ([], None)
    assert es.day_of(datetime(2025, 1, 31, tzinfo=UTC).timestamp() * 1000) == date(2025, 1, 31)


def test_the_index_template_maps_every_fact_column_strictly_with_money_in_long_fen():
    template = es.index_template("facts")
    assert template["index_patterns"] == ["facts-v*"]
    mapping = template["template"]["mappings"]
    assert mapping["dynamic"] == "strict"
    columns = {f.name for f in SalesFact._meta.concrete_fields} - {"id", "created_at"}
    assert set(mapping["properties"]) == columns
    types = mapping["properties"]
    assert {types[f]["type"] for f in ("revenue", "cost", "freight", "order_id", "product_id")} == {"long"}
    assert {types[f]["type"] for f in ("province_code", "city", "tier_code", "kind", "source_id")} == {"keyword"}
    assert types["date"] == types["month"] == {"type": "date", "format": "strict_date"}
    assert es.version_name("facts", datetime(2026, 11, 29, 18, 1, 2, 345, tzinfo=UTC)) == "facts-v20261129180102000345"


def test_bulk_writes_use_the_source_id_and_a_refused_document_is_reported():
    docs = [{"source_id": "sale:1", "revenue": 100}, {"source_id": "sale:2", "revenue": 200}]
    assert es.bulk_operations(docs) == [{"index": {"_id": "sale:1"}}, docs[0], {"index": {"_id": "sale:2"}}, docs[1]]
    response = {
        "errors": True,
        "items": [
            {"index": {"_id": "sale:1", "status": 201, "result": "created"}},
            {"index": {"_id": "sale:2", "status": 400, "error": {"type": "strict_dynamic_mapping_exception"}}},
        ],
    }
    stored, refused = es.indexed_ids(response)
    assert stored == ["sale:1"]
    assert refused == [{"_id": "sale:2", "status": 400, "error": {"type": "strict_dynamic_mapping_exception"}}]


def test_the_alias_moves_in_one_request():
    assert es.swap_actions("facts", ["facts-v1", "facts-v2"], "facts-v3") == [
        {"remove": {"index": "facts-v1", "alias": "facts"}},
        {"remove": {"index": "facts-v2", "alias": "facts"}},
        {"add": {"index": "facts-v3", "alias": "facts"}},
    ]
    assert es.swap_actions("facts", [], "facts-v1") == [{"add": {"index": "facts-v1", "alias": "facts"}}]


def test_the_backend_is_registered_and_selected_by_the_setting():
    assert isinstance(backends.get("elasticsearch"), es.ElasticsearchBackend)
    with override_settings(ANALYTICS_BACKEND="elasticsearch"):
        assert backends.selected_name() == "elasticsearch"
    with override_settings(ANALYTICS_BACKEND="postgres"):
        assert backends.backend().name == "postgres"


@pytest.mark.django_db
def test_a_stored_fact_becomes_its_document():
    fact = generate(orders=1)[0]
    write([fact])
    row = SalesFact.objects.filter(source_id=fact.source_id).values(*es.DOCUMENT_FIELDS).get()
    doc = es.document(row)
    assert doc["source_id"] == fact.source_id
    assert doc["date"] == fact.date.isoformat() and doc["month"] == fact.month.isoformat()
    assert datetime.fromisoformat(doc["occurred_at"]) == fact.occurred_at
    assert (doc["revenue"], doc["cost"], doc["quantity"]) == (fact.revenue, fact.cost, fact.quantity)
    assert doc["province_code"] == fact.dims.province_code and doc["company_id"] == fact.dims.company_id


@pytest.mark.django_db
def test_facts_are_queued_for_the_index_with_their_insert_only_when_a_cluster_is_set():
    rows = generate(orders=20)
    with override_settings(ELASTICSEARCH_URL=""):
        assert write(rows[:10]) == 10
    assert not PendingFactIndex.objects.exists()
    with override_settings(ELASTICSEARCH_URL="http://127.0.0.1:9"):
        assert write(rows) == len(rows) - 10
        assert write(rows) == 0  # a re-delivery inserts nothing and queues nothing
    queued = set(PendingFactIndex.objects.values_list("source_id", flat=True))
    assert queued == {f.source_id for f in rows[10:]}
