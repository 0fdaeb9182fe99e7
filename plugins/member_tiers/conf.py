"""Plugin settings, each overridable in Django settings (defaults here, nothing needed in config/)."""

from decimal import Decimal

from django.conf import settings


def points_expiry_days() -> int:
    return getattr(settings, "MEMBER_POINTS_EXPIRY_DAYS", 365)


def points_per_yuan_redeemed() -> int:
    """How many points make one yuan off at checkout."""
    return getattr(settings, "MEMBER_POINTS_PER_YUAN_REDEEMED", 100)


def points_redeem_cap_percent() -> Decimal:
    """At most this share of an order's total may be paid with points."""
    return Decimal(str(getattr(settings, "MEMBER_POINTS_REDEEM_CAP_PERCENT", 20)))


def default_floor_margin_percent() -> Decimal:
    """The margin over cost no member price goes below, for rules naming no floor of their own,
    until an operator sets it in the back office (PricingPolicy)."""
    return Decimal(str(getattr(settings, "MEMBER_DEFAULT_FLOOR_MARGIN_PERCENT", 0))).quantize(Decimal("0.01"))


def rule_import_max_rows() -> int:
    """At most this many lines in one file of price rules."""
    return int(getattr(settings, "MEMBER_RULE_IMPORT_MAX_ROWS", 10000))


def rule_import_progress_every() -> int:
    """The import task reports its progress every this many lines."""
    return int(getattr(settings, "MEMBER_RULE_IMPORT_PROGRESS_EVERY", 250))
