"""The clusters the Elasticsearch tests run against: ``osmem-server`` (an in-memory,
OpenSearch-compatible server from the package index, started once per test process) and a real
cluster when ``ELASTICSEARCH_URL`` is set in the environment.

The official client talks to osmem through ``PlainJsonNode``, a test-only transport node: the
client sends the compatibility media type (``application/vnd.elasticsearch+json;
compatible-with=8``), which an OpenSearch-compatible server answers with 406, and it refuses a
server whose answers lack ``X-Elastic-Product: Elasticsearch``. The node sends plain
``application/json`` / ``application/x-ndjson`` and adds the header to osmem's answers; nothing
else is changed (bodies go through untouched, both ways)."""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import uuid

from elastic_transport import Urllib3HttpNode
from elastic_transport._node import NodeApiResponse
from elastic_transport.client_utils import DEFAULT
from elasticsearch import Elasticsearch, NotFoundError

_COMPAT = re.compile(r"application/vnd\.elasticsearch\+([a-z-]+); ?compatible-with=\d+")


class PlainJsonNode(Urllib3HttpNode):
    """Test-only: plain JSON media types for an OpenSearch-compatible emulator."""

    def perform_request(self, method, target, body=None, headers=None, request_timeout=DEFAULT) -> NodeApiResponse:
        plain = headers.copy() if headers is not None else None
        for name in ("accept", "content-type"):
            if plain is not None and name in plain:
                plain[name] = _COMPAT.sub(r"application/\1", plain[name])
        response = super().perform_request(method, target, body=body, headers=plain, request_timeout=request_timeout)
        answered = response.meta.headers.copy()
        answered["x-elastic-product"] = "Elasticsearch"
        return NodeApiResponse(dataclasses.replace(response.meta, headers=answered), response.body)


_emulator = None


def emulator_url() -> str:
    """The URL of this test process's osmem server (started on first use, stopped at exit: the
    server watches its parent process)."""
    global _emulator
    if _emulator is None:
        from osmem_server import OsmemServer

        _emulator = OsmemServer.start(japanese=False)
    return _emulator.url


def emulated_client() -> Elasticsearch:
    return Elasticsearch(emulator_url(), node_class=PlainJsonNode, request_timeout=120)


def real_cluster_url() -> str:
    return os.environ.get("ELASTICSEARCH_URL", "")


def real_client() -> Elasticsearch:
    return Elasticsearch(real_cluster_url(), request_timeout=120)


def throwaway_alias() -> str:
    """An alias no deployment uses (the real cluster may hold the platform's own index)."""
    return f"test-sales-facts-{uuid.uuid4().hex[:10]}"


def drop(client: Elasticsearch, alias: str) -> None:
    """Remove every version of a test alias and its template."""
    # by name: Elasticsearch 8 refuses wildcard deletes (action.destructive_requires_name)
    for index in client.indices.get(index=f"{alias}-v*", allow_no_indices=True):
        client.indices.delete(index=index, ignore_unavailable=True)
    with contextlib.suppress(NotFoundError):  # never created
        client.indices.delete_index_template(name=alias)
