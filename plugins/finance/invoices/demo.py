"""Demo data of this area (called by plugins.finance.demo in area order)."""


def seed(report, *, now, rng) -> None:
    """Add this area's demo rows; ``report.notes`` gets one line saying what was added."""
