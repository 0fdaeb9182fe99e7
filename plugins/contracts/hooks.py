"""What contracts provides to the kernel's hooks (declared on ContractsConfig)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from plugins.contracts.models import CompanyContractPolicy


def terms_gate(company) -> str | None:
    """A company whose operator requires a framework agreement gets its credit line and tier only
    while one is in force (one query when none is required)."""
    if not CompanyContractPolicy.objects.filter(company=company, framework_required_for_credit=True).exists():
        return None
    from plugins.contracts.services.contracts import framework_in_force

    if framework_in_force(company) is not None:
        return None
    return _(
        "%(company)s's credit line and member tier take effect once its framework agreement is signed and in force."
    ) % {"company": company.legal_name}
