"""The finance plugin's pages, assembled from its areas (receipts, refunds, settlement,
statements, invoices): each area declares its menu entries, access rules and template slots in
its ``routes`` module. Constants only: imported while the app registry loads."""

from django.utils.translation import gettext_lazy as _

from core.access import OPERATORS
from plugins.finance.invoices import routes as invoices
from plugins.finance.receipts import routes as receipts
from plugins.finance.refunds import routes as refunds
from plugins.finance.settlement import routes as settlement
from plugins.finance.statements import routes as statements

AREAS = (receipts, refunds, settlement, statements, invoices)


def menu() -> list[dict]:
    children = [entry for area in AREAS for entry in area.MENU]
    if not children:
        return []
    return [
        {"label": _("Finance"), "icon": "fas fa-yen-sign", "children": children},
        *[entry for area in AREAS for entry in area.PORTAL_MENU],
    ]


def access() -> dict[str, tuple[str, ...]]:
    rules = {"finance-dashboard:ledger": OPERATORS, "finance-dashboard:ledger-account": OPERATORS}
    for area in AREAS:
        rules.update(area.ACCESS)
    return rules


def slots() -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for area in AREAS:
        for slot, templates in area.SLOTS.items():
            merged.setdefault(slot, []).extend(templates)
    return merged


def beat() -> dict[str, dict]:
    merged: dict[str, dict] = {}
    for area in AREAS:
        merged.update(area.BEAT)
    return merged
