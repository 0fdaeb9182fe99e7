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
