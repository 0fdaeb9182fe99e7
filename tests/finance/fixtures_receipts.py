"""Fixtures of the receipts tests (imported explicitly by tests/finance/test_receipts_*.py)."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group

from core.access import OPERATORS_GROUP
from plugins.finance.access import FINANCE_GROUP
from plugins.finance.services import receipts as service
from plugins.finance.services.ledger import business_date
from tests import factories


def clerk(key: str = "clerk"):
    """An operator of the finance group (not a superuser): may record and approve receipts."""
    user = factories.User.objects.create_user(username=key, email=f"{key}@example.cn", password="pw", is_staff=True)
    for name in (OPERATORS_GROUP, FINANCE_GROUP):
        user.groups.add(Group.objects.get_or_create(name=name)[0])
    return user


def looker(key: str = "looker"):
    """An operator outside the finance group: may look, not act."""
    user = factories.User.objects.create_user(username=key, email=f"{key}@example.cn", password="pw", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=OPERATORS_GROUP)[0])
    return user


@pytest.fixture(name="finance_clerk")
def finance_clerk_fixture(db):
    return clerk()


@pytest.fixture(name="other_buyer")
def other_buyer_fixture(db):
    return factories.distributor("otherbuyer")


def today() -> date:
    return business_date()


_refs = iter(range(1, 10**6))


def receipt(
    by, amount="100.00", *, payer_name="某某公司", memo="", ref=None, payer_account="6222 0000 1111 2345", **kw
):
    return service.record_receipt(
        bank_reference=ref or f"BR-{next(_refs)}",
        received_on=kw.pop("received_on", today()),
        amount=Decimal(amount),
        payer_name=payer_name,
        payer_account=payer_account,
        memo=memo,
        by=by,
        **kw,
    )
