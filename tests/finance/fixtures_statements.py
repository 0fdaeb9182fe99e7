"""Statement fixtures: a company and a supplier with entries posted the way each area posts them
(through ``services.ledger.post`` with the documented keys, kinds and accounts of FINANCE.md), so
the statements are tested against what receipts, refunds and settlement will write."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from plugins.finance import chart
from plugins.finance.access import FINANCE_GROUP
from plugins.finance.models import Invoice, InvoiceRequest
from plugins.finance.services.ledger import SHANGHAI, account, business_date, post
from tests import factories


def today() -> date:
    return business_date()


def posting(key, kind, lines, *, on: date, order_number="", supplier_order_number=""):
    """Post ``lines`` ([(code, fen, owner kwargs)]) as an area would."""
    resolved = [(account(code, **owner), fen) for code, fen, owner in lines]
    return post(
        key=key,
        kind=kind,
        lines=resolved,
        posted_on=on,
        order_number=order_number,
        supplier_order_number=supplier_order_number,
    )


def invoice(company, number: str, amount: str, *, on: date, red: bool = False):
    request = InvoiceRequest.objects.create(
        number=f"KP-{number[-8:]}",
        company=company,
        kind=InvoiceRequest.Kind.NORMAL,
        buyer_name=company.legal_name,
        buyer_tax_number=company.uscc,
        state=InvoiceRequest.State.ISSUED,
        amount_incl_tax=Decimal(amount),
    )
    amount = Decimal(amount)
    return Invoice.objects.create(
        request=request,
        number=number,
        kind=InvoiceRequest.Kind.NORMAL,
        is_red=red,
        issued_at=datetime.combine(on, time(10), tzinfo=SHANGHAI),
        provider="builtin",
        amount_incl_tax=-amount if red else amount,
    )


def finance_operator(key: str = "fin"):
    user = factories.operator(key)
    user.is_superuser = False
    user.save()
    for name in ("operators", FINANCE_GROUP):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def order_of(user, number: str, total: str = "100.00"):
    return factories.history_order(user, number, total, timezone.now() - timedelta(days=30), paid=False)


@pytest.fixture
def fin(db):
    return finance_operator()


@pytest.fixture
def looker(db):
    """An operator outside the finance group: may look, not issue or close."""
    user = factories.operator("looker")
    user.is_superuser = False
    user.save()
    user.groups.add(Group.objects.get_or_create(name="operators")[0])
    return user


__all__ = ["chart", "today", "posting", "invoice", "finance_operator", "order_of", "fin", "looker"]
