from decimal import Decimal

import pytest
from django.test import Client

from plugins.member_tiers.models import Membership, PriceRule, Tier
from tests import factories


def make_tier(code, name, rank, discount="0", threshold="0", rate="1") -> Tier:
    return Tier.objects.create(
        code=code,
        name=name,
        rank=rank,
        default_discount_percent=Decimal(discount),
        upgrade_threshold=Decimal(threshold),
        points_per_yuan=Decimal(rate),
    )


def rule(**kwargs) -> PriceRule:
    kwargs.setdefault("min_quantity", 1)
    return PriceRule.objects.create(**kwargs)


@pytest.fixture
def tiers(db):
    return {
        "regular": make_tier("regular", "普通会员", 1),
        "silver": make_tier("silver", "银牌", 2, "3", "20000", "1.2"),
        "gold": make_tier("gold", "金牌", 3, "5", "40000", "1.5"),
        "diamond": make_tier("diamond", "钻石", 4, "8", "80000", "2"),
    }


@pytest.fixture
def gold_buyer(buyer, tiers):
    Membership.objects.create(company=factories.company_of(buyer), tier=tiers["gold"])
    return buyer


@pytest.fixture
def gold_client(gold_buyer):
    client = Client()
    client.force_login(gold_buyer)
    return client


@pytest.fixture
def operator_client(db):
    client = Client()
    client.force_login(factories.operator())
    return client
