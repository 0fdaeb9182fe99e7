"""Search backends behind one interface (base.SearchBackend), like plugins/bigdata's analytics
backends: the database one is the embedded default."""

from storefront.search.backends.base import SearchBackend


def get(name: str) -> SearchBackend:
    if name == "database":
        from storefront.search.backends.database import DatabaseBackend

        return DatabaseBackend()
    raise ValueError(f"unknown search backend {name!r}")


def backend() -> SearchBackend:
    return get("database")
