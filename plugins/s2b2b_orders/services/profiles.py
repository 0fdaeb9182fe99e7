"""Supplier profiles, kept by operators."""

from django.db import transaction

from plugins.s2b2b_orders.models import SupplierProfile


def save_profile(profile: SupplierProfile) -> SupplierProfile:
    """Validate (the rules the DB constraints also hold, with readable messages) and save."""
    profile.full_clean()
    with transaction.atomic():
        profile.save()
    return profile
