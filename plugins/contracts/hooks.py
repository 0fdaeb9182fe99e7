"""What contracts provides to the kernel's hooks (declared on ContractsConfig)."""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from plugins.contracts.models import CompanyContractPolicy

GATED_KEY = "contracts:framework-required-companies"


def gated_companies() -> frozenset[int]:
    """The companies whose credit line and tier wait for a framework agreement: few, asked on every
    priced page, so kept in the cache (dropped whenever a policy is saved)."""
    found = cache.get(GATED_KEY)
    if found is None:
        gated = CompanyContractPolicy.objects.filter(framework_required_for_credit=True)
        found = frozenset(gated.values_list("company_id", flat=True))
        cache.set(GATED_KEY, found, 300)
    return found


def forget_gated_companies() -> None:
    """Now and again once the change commits (a reader between the two could cache the old set)."""
    cache.delete(GATED_KEY)
    transaction.on_commit(lambda: cache.delete(GATED_KEY))


def terms_gate(company) -> str | None:
    """A company whose operator requires a framework agreement gets its credit line and tier only
    while one is in force (no query for the others)."""
    if company.pk not in gated_companies():
        return None
    from plugins.contracts.services.contracts import framework_in_force

    if framework_in_force(company) is not None:
        return None
    return _(
        "%(company)s's credit line and member tier take effect once its framework agreement is signed and in force."
    ) % {"company": company.legal_name}
