"""Analytics backends behind one interface (``base.Backend``).

``backend()`` answers with the one ``settings.ANALYTICS_BACKEND`` names (``elasticsearch`` when
``ELASTICSEARCH_URL`` is set, else ``postgres``); an unknown name falls back to PostgreSQL. A
backend is registered by name in ``BACKENDS`` (dotted path of its class).
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string

from plugins.bigdata.backends.base import Backend

BACKENDS: dict[str, str] = {
    "postgres": "plugins.bigdata.backends.postgres.PostgresBackend",
    "elasticsearch": "plugins.bigdata.backends.elasticsearch.ElasticsearchBackend",
}


def selected_name() -> str:
    name = getattr(settings, "ANALYTICS_BACKEND", "postgres")
    return name if name in BACKENDS else "postgres"


@cache
def get(name: str) -> Backend:
    return import_string(BACKENDS[name])()


def backend() -> Backend:
    return get(selected_name())
