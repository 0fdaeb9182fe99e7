"""Demo data of the analytics plugin: the facts of the demo's order history (idempotent)."""

from plugins.bigdata.services import rebuild


def seed(report, *, now, seed):
    result = rebuild.rebuild()
    report.notes.append(f"analytics: {result.facts} new sales facts from {result.orders} paid orders")
