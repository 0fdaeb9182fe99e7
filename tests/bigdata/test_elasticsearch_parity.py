"""Both backends on the same facts must give the same reports, compared with ``==``.

The generated facts (tests/bigdata/generated.py) are written through the real writer
(``services.facts.write``: PostgreSQL plus the search index's outbox) and indexed by the real
drain (``services.search_index``: the queued facts go through the alias to a versioned index); then every report of every filter case of
test_reference.py is asked of ``PostgresBackend`` and ``ElasticsearchBackend``.

``emulated`` runs always (osmem-server, an in-memory OpenSearch-compatible server: see
tests/bigdata/clusters.py and README "Analytics on Elasticsearch" for what that proves and what it
does not); ``real`` runs when ``ELASTICSEARCH_URL`` is set, on a throwaway alias, and is reported
as skipped otherwise.
"""

from datetime import date, timedelta

import pytest
from django.test import override_settings
from elasticsearch import ConnectionError as ClusterUnreachable
from elasticsearch import Elasticsearch

from plugins.bigdata.backends import elasticsearch as es
from plugins.bigdata.backends.base import GROUP_DIMENSIONS, Dimension, Filters, Measure, Period
from plugins.bigdata.backends.postgres import PostgresBackend
from plugins.bigdata.models import PendingFactIndex, SalesFact
from plugins.bigdata.services import search_index
from plugins.bigdata.services.facts import write
from tests.bigdata import clusters
from tests.bigdata.generated import generate
from tests.bigdata.test_reference import CASES

pytestmark = pytest.mark.django_db
PG = PostgresBackend()


@pytest.fixture(params=["emulated", "real"])
def cluster(request):
    """(client, throwaway alias) on osmem-server, or on the real cluster of ELASTICSEARCH_URL."""
    if request.param == "real":
        if not clusters.real_cluster_url():
            pytest.skip("ELASTICSEARCH_URL is not set: no real cluster to compare against")
        client = clusters.real_client()
    else:
        client = clusters.emulated_client()
    alias = clusters.throwaway_alias()
    yield client, alias
    clusters.drop(client, alias)


@pytest.fixture
def indexed(cluster):
    """The generated facts in PostgreSQL and in the index, through the live path: an empty index
    version behind the alias, then the writer's outbox drained through the alias."""
    client, alias = cluster
    search_index.rebuild(client, alias)
    rows = generate()
    with override_settings(ELASTICSEARCH_URL="http://cluster.invalid"):  # only switches the outbox on
        assert write(rows) == len(rows)
    assert PendingFactIndex.objects.count() == len(rows)
    assert search_index.drain(client, alias) == len(rows)
    assert not PendingFactIndex.objects.exists()  # every mark taken, none lost
    client.indices.refresh(index=alias)
    assert client.count(index=alias)["count"] == len(rows)
    return es.ElasticsearchBackend(client, alias), rows


def reports(backend, filters: Filters) -> dict:
    """Every report of the interface for one filter case."""
    out = {
        "provinces": backend.province_totals(filters),
        "cities": backend.city_totals(filters, "440000"),
        "unknown province cities": backend.city_totals(filters, ""),
        "first sales": backend.first_sale_dates(filters),
    }
    for measure in Measure:
        out[f"values {measure}"] = backend.product_values(filters, measure)
        out[f"abc {measure}"] = backend.abc(filters, measure)
        out[f"monthly {measure}"] = backend.monthly_values(filters, measure)
    for dimension in GROUP_DIMENSIONS:
        for measure in Measure:
            out[f"abc by {dimension} {measure}"] = backend.abc_by_group(filters, dimension, measure)
        out[f"monthly by {dimension}"] = backend.monthly_values_by_group(filters, dimension, Measure.QUANTITY)
    for dimension in Dimension:
        for by_month in (False, True):
            out[f"performance {dimension} {by_month}"] = backend.performance(filters, dimension, by_month=by_month)
    for dimension in (None, Dimension.SALESPERSON, Dimension.PROVINCE, Dimension.CATEGORY):
        out[f"company counts {dimension}"] = backend.company_counts(filters, dimension, company_buckets(filters))
    return out


def company_buckets(filters: Filters) -> list[Period]:
    """The filters' period in two halves (the first half of 2025 and the rest when it has none)."""
    if filters.period is None:
        return [Period(date(2025, 1, 1), date(2025, 6, 30)), Period(date(2025, 7, 1), date(2026, 12, 31))]
    start, end = filters.period.start, filters.period.end
    middle = start + (end - start) // 2
    return [Period(start, middle), Period(middle + timedelta(days=1), end)]


def test_every_report_is_the_same_on_both_backends_and_after_a_rebuild(indexed, cluster):
    backend, rows = indexed
    for name, filters in CASES.items():
        expected, got = reports(PG, filters), reports(backend, filters)
        for report in expected:
            assert got[report] == expected[report], (name, report)
    everything = reports(PG, Filters())
    assert all(everything[r] for r in everything if r != "unknown province cities")  # nothing vacuous
    counts = everything["company counts province"].values()
    assert sum(c.new for c in counts) and sum(c.repeat for c in counts) and sum(c.repurchasing for c in counts)
    # months are Shanghai months, and the generated history spans more than a year of them
    months = {r.month for r in everything["performance province True"]}
    assert min(months) == date(2025, 1, 1) and len(months) >= 13

    # a rebuild writes every fact to a new version and moves the alias to it in one step
    client, alias = cluster
    before = es.alias_indices(client, alias)
    assert len(before) == 1
    result = search_index.rebuild(client, alias, batch=700)
    assert result.documents == len(rows)
    assert es.alias_indices(client, alias) == [result.index] != before
    assert result.removed == tuple(before)
    assert not client.indices.exists(index=before[0])
    client.indices.refresh(index=alias)
    assert client.count(index=alias)["count"] == len(rows)
    for filters in (CASES["partial period (facts)"], CASES["a city"]):
        assert backend.province_totals(filters) == PG.province_totals(filters)
        assert backend.abc(filters, Measure.MARGIN) == PG.abc(filters, Measure.MARGIN)


def test_the_strict_mapping_refuses_an_unknown_field(cluster):
    client, alias = cluster
    search_index.rebuild(client, alias)  # an empty index from the template
    stored, refused = es.index_documents(
        client, alias, [{"source_id": "x", "kind": "sale", "surprise": 1}], through_alias=True
    )
    assert stored == [] and len(refused) == 1
    assert "strict" in str(refused[0]["error"])


def test_an_unreachable_cluster_loses_no_fact(cluster):
    client, alias = cluster
    rows = generate(orders=30)
    with override_settings(ELASTICSEARCH_URL="http://cluster.invalid"):
        write(rows)
    down = Elasticsearch("http://127.0.0.1:9", max_retries=0, request_timeout=2)  # nothing listens there
    with pytest.raises(ClusterUnreachable):
        search_index.drain(down, alias)
    assert PendingFactIndex.objects.count() == len(rows) == SalesFact.objects.count()
    # the next drain builds the index (none yet behind the alias) and then indexes the queue
    assert search_index.drain(client, alias) == len(rows)
    assert not PendingFactIndex.objects.exists()
    client.indices.refresh(index=alias)
    assert client.count(index=alias)["count"] == len(rows)
