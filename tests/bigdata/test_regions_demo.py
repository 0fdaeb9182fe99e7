"""The analytics demo data: a year and more of paid orders over 20+ provinces and several cities
each, refunds and cancellations among them, salespeople and tiers on the facts — shown by the
regional distribution page; the books hold (finance_check); loading it again adds nothing."""

import re
import time
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from core.demo.seed import SeedReport, seed_demo
from plugins.bigdata import demo
from plugins.bigdata.models import SalesFact
from tests.bigdata.test_regions_page import table

pytestmark = pytest.mark.django_db

Order = get_model("order", "Order")


def months_back(today: date, n: int) -> date:
    month = today.month - n
    return date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def test_the_demo_fills_the_map_and_every_month_and_loads_again_unchanged(settings, capsys):
    settings.BIGDATA_DEMO_HISTORY = True
    started = time.monotonic()
    report = seed_demo(months=1)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(f"\nseed_demo(months=1) with the analytics history: {seconds:.1f} s")  # noqa: T201
    assert len(report.notes) > 1

    operator = get_user_model().objects.get(email="operator@demo.s2b2b.cn")
    client = Client()
    client.force_login(operator)
    rows = table(client.get("/dashboard/analytics/regions/").content.decode(), "provinces")
    with_revenue = [r for r in rows if r[2].startswith("¥") and r[2] != "¥0.00" and not r[2].startswith("¥-")]
    assert len(with_revenue) >= 20
    # several cities in most provinces
    cities = SalesFact.objects.values("province_code").annotate(n=Count("city", distinct=True))
    assert sum(1 for c in cities if c["n"] >= 2) >= 15
    # every one of the last twelve whole months has sales
    today = timezone.localdate()
    months = set(SalesFact.objects.filter(kind="sale").values_list("month", flat=True).distinct())
    assert {months_back(today, n) for n in range(1, 13)} <= {
        m if isinstance(m, date) else date.fromisoformat(m) for m in months
    }
    kinds = set(SalesFact.objects.values_list("kind", flat=True).distinct())
    assert {"sale", "refund", "cancellation"} <= kinds
    assert SalesFact.objects.exclude(salesperson_id=None).values("salesperson_id").distinct().count() >= 4
    assert SalesFact.objects.exclude(tier_code="").values("tier_code").distinct().count() >= 2
    # a province's cities on drill-down
    guangdong = table(client.get("/dashboard/analytics/regions/440000/").content.decode(), "cities")
    assert len(guangdong) >= 3 and re.match(r"¥[\d,]+\.\d\d", guangdong[0][2])

    # the history's money is posted before the demo closes a month: the books hold
    if apps.is_installed("plugins.finance"):
        from plugins.finance.services.reconcile import check

        assert check().errors == []

    orders, facts = Order.objects.count(), SalesFact.objects.count()
    demo.seed(SeedReport(), now=timezone.now(), seed=2026)
    assert (Order.objects.count(), SalesFact.objects.count()) == (orders, facts)
