"""Celery tasks: thin and idempotent, each calling a service."""

from __future__ import annotations

from celery import shared_task
from oscar.core.loading import get_model


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def contract_for_order(self, order_id: int) -> str:
    """Make, render and send the order's sales contract when its company's policy asks for one
    (every order; or no framework agreement in force). Running it twice does nothing new."""
    from plugins.contracts.models import Policy, State
    from plugins.contracts.services.contracts import create_sales_contract, framework_in_force, issue, policy_of
    from plugins.contracts.services.templates import ensure_default_templates

    order = get_model("order", "Order").objects.select_related("company").filter(pk=order_id).first()
    if order is None or order.company_id is None:
        return "no order"
    if policy_of(order.company).policy == Policy.FRAMEWORK and framework_in_force(order.company) is not None:
        return "covered by the framework agreement"
    ensure_default_templates()  # the platform's standard texts, until operators publish their own
    contract = create_sales_contract(order=order)
    if contract.state == State.DRAFT:
        issue(contract=contract)
    return contract.number


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def issue_contract(self, contract_id: int) -> str:
    from plugins.contracts.models import Contract, State
    from plugins.contracts.services.contracts import issue

    contract = Contract.objects.get(pk=contract_id)
    if contract.state in (State.DRAFT, State.NEGOTIATING):
        issue(contract=contract)
    return contract.number


@shared_task(bind=True, max_retries=5, default_retry_delay=30, acks_late=True)
def contract_order_changed(self, order_id: int, reason: str) -> str:
    from plugins.contracts.services.contracts import order_changed

    order = get_model("order", "Order").objects.filter(pk=order_id).first()
    if order is None:
        return "no order"
    contract = order_changed(order=order, reason=reason)
    return contract.number if contract else "no contract to change"


@shared_task
def daily_contracts() -> dict:
    """Framework agreements: expire (or hand over to their renewal) and remind before the end."""
    from plugins.contracts.services.contracts import expire_due, remind_renewals

    return {"expired": expire_due(), "reminded": remind_renewals()}


@shared_task
def archive_contracts() -> int:
    """B-LTA archive timestamps for signed contracts that are due (see signing.archive_due)."""
    from plugins.contracts.services.signing import archive_due

    return archive_due()
