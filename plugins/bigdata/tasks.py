"""Celery tasks: thin and idempotent (a re-delivered task inserts nothing)."""

from celery import shared_task
from django.db import DatabaseError
from elastic_transport import TransportError
from elasticsearch import ApiError


# a database hiccup (a deadlock victim, a dropped connection) is retried with backoff: the task
# only inserts what is missing, so a retry after a partial failure is safe
@shared_task(
    bind=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=8, acks_late=True, ignore_result=False
)
def record_order_facts(self, order_id: int) -> int:
    """Bring one order's sales facts up to date with its history; rows inserted."""
    from plugins.bigdata.services.facts import record_orders

    return record_orders([order_id])


@shared_task(
    bind=True, autoretry_for=(DatabaseError,), retry_backoff=5, max_retries=8, acks_late=True, ignore_result=False
)
def drain_fact_queue(self) -> int:
    """Write the facts of every queued order, in batches (services.queue); rows inserted. Also
    on beat every minute, so marks left by a broker outage are drained."""
    from plugins.bigdata.services.queue import drain

    return drain()


# the cluster down or overloaded (connection errors, timeouts, 429/5xx): retried with backoff; the
# marks stay in PostgreSQL meanwhile, and beat sends the task every minute anyway
@shared_task(
    bind=True,
    autoretry_for=(DatabaseError, TransportError, ApiError),
    retry_backoff=5,
    max_retries=8,
    acks_late=True,
    ignore_result=False,
)
def index_facts(self) -> int:
    """Write the facts waiting for the Elasticsearch index (services.search_index); documents
    stored. Nothing to do when ELASTICSEARCH_URL is not set."""
    from plugins.bigdata.services import search_index

    if not search_index.enabled():
        return 0
    return search_index.drain()
