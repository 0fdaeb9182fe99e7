"""The contracts section of the back office's company page (slot companies.company_detail.sections)."""

from types import SimpleNamespace

from django import template

from plugins.contracts.hooks import terms_gate
from plugins.contracts.models import Contract
from plugins.contracts.services.contracts import framework_in_force, policy_of

register = template.Library()


@register.simple_tag
def company_contracts(company) -> SimpleNamespace:
    return SimpleNamespace(
        policy=policy_of(company),
        framework=framework_in_force(company),
        refusal=terms_gate(company),
        count=Contract.objects.filter(company=company).count(),
    )
