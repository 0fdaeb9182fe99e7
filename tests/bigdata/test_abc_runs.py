"""Stored ABC runs: what a run keeps (to the fen), how a product's class changed between two runs
(up / down / new / gone, counts per transition), the daily scheduled run and the latest class per
product, never-sold products as N, and who may store a run."""

from datetime import UTC, date, datetime
from decimal import Decimal
from itertools import count

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import translation

from plugins.bigdata import facts
from plugins.bigdata.abc import analysis, services
from plugins.bigdata.abc.analysis import Options
from plugins.bigdata.abc.models import AbcRun, AbcRunItem, AbcScope, ProductClass
from plugins.bigdata.abc.xyz import XyzCutoffs
from plugins.bigdata.backends.base import Cutoffs, Filters, Measure, Period
from plugins.bigdata.services.facts import write
from tests import factories

pytestmark = pytest.mark.django_db

JAN = Period(date(2026, 1, 1), date(2026, 1, 31))
FEB = Period(date(2026, 2, 1), date(2026, 2, 28))
_orders = count(1)


def sell(product, yuan: int, day: date, *, supplier_id: int, salesperson_id=None, province="440000", quantity=1):
    """One paid order of one line (written through the real fact writer)."""
    n = next(_orders)
    dims = facts.Dimensions(
        order_id=n,
        order_number=f"T{n:05d}",
        company_id=1,
        salesperson_id=salesperson_id,
        province_code=province,
    )
    line = facts.LineSource(
        line_id=n * 10,
        quantity=quantity,
        revenue=yuan * 100,
        product_id=product.pk,
        supplier_id=supplier_id,
        supplier_name="测试供应商",
    )
    at = datetime(day.year, day.month, day.day, 4, tzinfo=UTC)
    return write(facts.order_facts(facts.OrderHistory(dims=dims, lines=(line,), secured_at=at)))


@pytest.fixture
def shop():
    sup = factories.supplier("abc", "测试供应商")
    products = {k: factories.product(f"ABC-{k}", f"商品{k}", partner=sup) for k in range(1, 7)}
    jan, feb = date(2026, 1, 10), date(2026, 2, 10)
    for k, yuan in ((1, 600), (2, 300), (3, 60), (4, 40)):
        sell(products[k], yuan, jan, supplier_id=sup.pk)
    for k, yuan in ((4, 600), (1, 30), (3, 60), (5, 40)):
        sell(products[k], yuan, feb, supplier_id=sup.pk)
    # product 6 is never sold
    return sup, products, factories.operator("op")


def test_a_saved_run_keeps_every_products_class_and_what_was_asked(shop):
    sup, p, op = shop
    filters = Filters(period=JAN, supplier_ids=(sup.pk,))
    options = Options(measure=Measure.REVENUE, cutoffs=Cutoffs(Decimal("80"), Decimal("95")))
    run = services.save_run(filters=filters, options=options, by=op)
    assert (run.scope, run.measure, run.cutoff_a, run.cutoff_b, run.created_by) == (
        "overall",
        "revenue",
        Decimal("80"),
        Decimal("95"),
        op,
    )
    assert (run.xyz_cutoff_x, run.xyz_cutoff_y) == (Decimal("0.5"), Decimal("1"))
    assert run.filters["start"] == "2026-01-01" and run.filters["supplier_ids"] == [sup.pk]
    assert analysis.filters_from_json(run.filters) == filters
    items = list(
        run.items.order_by("grade", "-value").values_list("product_id", "sku", "value", "cumulative_before", "grade")
    )
    assert items == [
        (p[1].pk, "ABC-1", 60000, 0, "A"),
        (p[2].pk, "ABC-2", 30000, 60000, "A"),
        (p[3].pk, "ABC-3", 6000, 90000, "B"),
        (p[4].pk, "ABC-4", 4000, 96000, "C"),
    ]  # restricted to a supplier: never-sold products are not added
    assert not run.scheduled


def test_two_runs_compared_up_down_new_gone(shop):
    sup, p, op = shop
    base = services.save_run(filters=Filters(period=JAN, supplier_ids=(sup.pk,)), options=Options(), by=op)
    other = services.save_run(filters=Filters(period=FEB, supplier_ids=(sup.pk,)), options=Options(), by=op)
    from plugins.bigdata.abc.selectors import run_items

    changes = analysis.compare(run_items(base), run_items(other))
    got = {c.product_id: (c.before, c.after, c.movement) for c in changes}
    assert got == {
        p[4].pk: ("C", "A", "up"),  # 40 → 600
        p[1].pk: ("A", "C", "down"),  # 600 → 30: the value before it is 700 of 730 (95.9 %)
        p[5].pk: ("", "B", "new"),  # first sold in February: 660 of 730 before it (90.4 %)
        p[2].pk: ("A", "", "gone"),
        p[3].pk: ("B", "B", "same"),
    }
    assert [c.movement for c in changes] == ["up", "down", "new", "gone", "same"]
    assert analysis.transitions(changes) == {("C", "A"): 1, ("A", "C"): 1, ("", "B"): 1, ("A", ""): 1, ("B", "B"): 1}


def test_per_province_runs_store_each_province_with_its_key(shop):
    sup, p, op = shop
    sell(p[2], 500, date(2026, 1, 12), supplier_id=sup.pk, province="110000")
    with translation.override("zh-hans"):  # group names are stored in the language of the run
        run = services.save_run(
            filters=Filters(period=JAN), options=Options(scope=AbcScope.PROVINCE, measure=Measure.QUANTITY), by=op
        )
    rows = set(run.items.values_list("scope_key", "scope_name", "product_id", "value", "grade"))
    assert ("110000", "北京市", p[2].pk, 1, "A") in rows
    guangdong = [r for r in rows if r[0] == "440000"]
    assert len(guangdong) == 4 and {r[1] for r in guangdong} == {"广东省"}
    assert run.items.filter(product_id=p[6].pk).count() == 0  # per province: nothing added


def test_the_scheduled_run_writes_the_latest_class_of_every_product(shop):
    sup, p, op = shop
    run = services.scheduled_run(today=date(2026, 3, 1))
    assert run.created_by is None and run.scheduled and run.schedule_key == "daily:2026-02-28"
    assert run.filters["start"] == "2025-03-01" and run.filters["end"] == "2026-02-28"
    classes = dict(ProductClass.objects.values_list("product_id", "grade"))
    # 640, 630, 300 | 120 | 40 of 1,730; product 6 never sold: N with value 0
    assert classes == {p[4].pk: "A", p[1].pk: "A", p[2].pk: "A", p[3].pk: "B", p[5].pk: "C", p[6].pk: "N"}
    assert ProductClass.objects.get(product_id=p[6].pk).value == 0
    assert list(ProductClass.objects.filter(grade="A").order_by("-value").values_list("value", flat=True)) == [
        64000,
        63000,
        30000,
    ]
    # the same day again (a re-delivered task): nothing stored twice
    assert services.scheduled_run(today=date(2026, 3, 1)).pk == run.pk
    assert AbcRun.objects.count() == 1 and AbcRunItem.objects.filter(run=run).count() == 6
    # the next day: a new run, and the classes follow it (product 5 sells a lot)
    sell(p[5], 5000, date(2026, 3, 1), supplier_id=sup.pk)
    later = services.scheduled_run(today=date(2026, 3, 2))
    assert later.pk != run.pk
    assert ProductClass.objects.get(product_id=p[5].pk).grade == "A"
    assert set(ProductClass.objects.values_list("run", flat=True)) == {later.pk}
    assert ProductClass.objects.count() == 6


def test_the_celery_task_runs_the_daily_run_and_is_on_beat(shop):
    from core.plugins import beat_schedule
    from plugins.bigdata.abc.tasks import scheduled_abc_run

    run_id = scheduled_abc_run.apply().get()
    assert AbcRun.objects.get(pk=run_id).scheduled
    assert scheduled_abc_run.apply().get() == run_id
    entry = beat_schedule()["bigdata-abc-daily"]
    assert entry["task"] == "plugins.bigdata.abc.tasks.scheduled_abc_run"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({2}, {30})


def test_only_an_operator_stores_a_run(shop):
    sales = get_user_model().objects.create_user(username="sales", password="x", is_staff=True)
    with pytest.raises(PermissionDenied):
        services.save_run(filters=Filters(period=JAN), options=Options(), by=sales)
    assert AbcRun.objects.count() == 0


def test_bad_cut_offs_cannot_be_stored():
    for a, b in (("90", "80"), ("0", "95"), ("80", "101"), ("-5", "95")):
        with pytest.raises(ValueError):
            Cutoffs(Decimal(a), Decimal(b))
    with pytest.raises(ValueError):
        XyzCutoffs(Decimal("2"), Decimal("1"))
    with pytest.raises(ValueError):
        Measure("price")
