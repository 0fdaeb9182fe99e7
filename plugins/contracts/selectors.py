"""What each party may read about contracts. Scoping lives here, never in templates."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from companies.models import Role
from companies.selectors import membership_of
from core.access import is_operator
from plugins.contracts.models import Contract, EvidenceEvent, Kind, SealGrant, State

#: roles that see every contract of their company; buyers see their own orders' and the framework
COMPANY_WIDE = frozenset({Role.ADMIN, Role.APPROVER, Role.FINANCE, Role.READ_ONLY})


def visible_contracts(user) -> QuerySet[Contract]:
    """Operators: all. A company's people: by role (a buyer: contracts of the orders they placed,
    the company's framework agreements, and any contract they are authorised to sign). Anyone
    else: none (suppliers are no party to these contracts)."""
    base = Contract.objects.select_related("company", "order", "template_version__template")
    if user is None or not user.is_authenticated:
        return base.none()
    if is_operator(user):
        return base
    membership = membership_of(user)
    if membership is None:
        return base.none()
    company = base.filter(company_id=membership.company_id)
    if membership.role in COMPANY_WIDE:
        return company
    signer = SealGrant.objects.filter(company_id=membership.company_id, user=user, revoked_at__isnull=True).exists()
    if signer:
        return company
    return company.filter(Q(order__user=user) | Q(kind=Kind.FRAMEWORK))


def contract_for(user, number: str) -> Contract | None:
    return visible_contracts(user).filter(number=number).first()


def operator_contracts(*, state: str = "", kind: str = "", company: str = "", search: str = "") -> QuerySet[Contract]:
    qs = Contract.objects.select_related("company", "order", "template_version__template")
    if state:
        qs = qs.filter(state=state)
    if kind:
        qs = qs.filter(kind=kind)
    if company:
        qs = qs.filter(Q(company__legal_name__icontains=company) | Q(company__uscc=company.upper()))
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(order__number=search))
    return qs


def awaiting_countersignature() -> QuerySet[Contract]:
    return Contract.objects.filter(state=State.BUYER_SIGNED).select_related("company").order_by("buyer_signed_at")


def evidence_of(contract: Contract) -> QuerySet[EvidenceEvent]:
    return contract.evidence.select_related("actor").order_by("seq")


def contracts_of_order(user, order) -> QuerySet[Contract]:
    return visible_contracts(user).filter(order=order).order_by("created_at")


def by_number(number: str) -> Contract | None:
    """For the public verification page: the contract, without saying anything about its parties
    beyond what its signatures state."""
    return Contract.objects.filter(number=(number or "").strip()).first()
