"""The fact pipeline on the platform's real paths: an order paid, refunded, cancelled or re-routed
through the kernel's and the plugins' services becomes fact rows (by the Celery task listening to
their events, run after commit) and the reports read the numbers a user expects, to the fen."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.utils import timezone

from core.orders.services import cancel_order
from plugins.bigdata.backends import backend
from plugins.bigdata.backends.base import Filters, Period
from plugins.bigdata.models import MonthlySales, SalesFact
from plugins.bigdata.services import rebuild
from plugins.bigdata.services.facts import rebuild_rollup, write
from plugins.bigdata.tasks import record_order_facts
from plugins.finance.services import refunds
from tests import factories
from tests.bigdata.generated import generate
from tests.finance.fixtures_refunds import finance_user

pytestmark = pytest.mark.django_db

FIELDS = ("source_id", "kind", "quantity", "revenue", "cost", "freight", "supplier_id", "product_id")


def stored() -> list[tuple]:
    return list(SalesFact.objects.order_by("source_id").values_list(*FIELDS))


def rollup() -> list[tuple]:
    return list(
        MonthlySales.objects.order_by("month", "product_id", "supplier_id").values_list(
            "month",
            "product_id",
            "province_code",
            "supplier_id",
            "category_id",
            "quantity",
            "revenue",
            "cost",
            "freight",
        )
    )


def guangdong():
    return next(t for t in backend().province_totals(Filters()) if t.code == "440000")


@pytest.fixture
def priced(catalogue):
    """The catalogue with suppliers' costs on the offers (what a sale's cost is taken from)."""
    from oscar.core.loading import get_model

    StockRecord = get_model("partner", "StockRecord")
    StockRecord.objects.filter(partner_sku="JG-HB-M8-30").update(cost=Decimal("25.00"))
    StockRecord.objects.filter(partner_sku="DF-BV-2.5").update(cost=Decimal("180.50"))
    return catalogue


@pytest.fixture
def paid(buyer, priced, django_capture_on_commit_callbacks):
    """10 bolts at 32.00 and 2 wires at 218.00, paid by bank transfer."""
    with django_capture_on_commit_callbacks(execute=True):
        order = factories.place_order(buyer, [(priced["bolt"], 10), (priced["wire"], 2)], paid=True)
    return order


def test_a_paid_order_becomes_one_sale_fact_per_line_to_the_fen(paid, priced):
    bolt, wire = paid.lines.order_by("id")
    rows = {f.source_id: f for f in SalesFact.objects.all()}
    assert sorted(rows) == [f"sale:{bolt.pk}", f"sale:{wire.pk}"]
    b, w = rows[f"sale:{bolt.pk}"], rows[f"sale:{wire.pk}"]
    assert (b.quantity, b.revenue, b.cost, w.quantity, w.revenue, w.cost) == (10, 32000, 25000, 2, 43600, 36100)
    assert b.freight + w.freight == int(paid.shipping_incl_tax * 100)
    assert (b.province_code, b.province, b.company_id, b.order_number) == (
        "440000",
        "广东省",
        paid.company_id,
        paid.number,
    )
    assert b.category_id == priced["categories"]["bolts"].pk and b.supplier_id == priced["suppliers"]["jg"].pk
    assert b.date == timezone.localdate()  # Asia/Shanghai
    totals = guangdong()
    assert (totals.revenue, totals.orders, totals.companies, totals.average_order_value) == (75600, 1, 1, 75600)
    assert sum(r[6] for r in rollup()) == 75600 and sum(r[7] for r in rollup()) == 61100


def test_a_re_delivered_event_changes_nothing(paid):
    before, rolled = stored(), rollup()
    assert record_order_facts.delay(paid.pk).get() == 0  # the task again, as a re-delivery would
    assert record_order_facts(paid.pk) == 0
    assert stored() == before and rollup() == rolled


def test_a_refund_after_the_fact_is_subtracted_on_its_date(paid, buyer, django_capture_on_commit_callbacks):
    finance = finance_user()
    bolt = paid.lines.get(partner_sku="JG-HB-M8-30")
    refund = refunds.request_refund(paid, reason="return", lines=[(bolt, 3)], by=buyer)
    refunds.approve(refund, finance)
    with django_capture_on_commit_callbacks(execute=True):
        refunds.execute(refund, payout_reference="BANK-RF-1", by=finance)
    line = refund.lines.get()
    row = SalesFact.objects.get(source_id=f"refund:{line.pk}")
    assert (row.kind, row.quantity, row.revenue, row.cost, row.freight) == ("refund", -3, -9600, -7500, 0)
    totals = guangdong()
    assert (totals.revenue, totals.orders, totals.companies, totals.average_order_value) == (66000, 1, 1, 66000)
    assert sum(r[6] for r in rollup()) == 66000


def test_a_refund_counts_on_the_day_it_was_paid_back(buyer, priced, django_capture_on_commit_callbacks):
    """Sold 40 days ago (its facts written late, as after an outage), refunded today: the sale
    stays in its month, the refund is subtracted from today's period."""
    from oscar.core.loading import get_model

    order = factories.place_order(buyer, [(priced["bolt"], 10)], paid=True)  # no facts yet: not committed
    sold = timezone.now() - timedelta(days=40)
    get_model("order", "PaymentEvent").objects.filter(order=order, event_type__code="secured").update(date_created=sold)
    finance = finance_user()
    refund = refunds.request_refund(order, reason="return", lines=[(order.lines.get(), 3)], by=buyer)
    refunds.approve(refund, finance)
    with django_capture_on_commit_callbacks(execute=True):
        refunds.execute(refund, payout_reference="BANK-RF-3", by=finance)
    today = timezone.localdate()
    then = Filters(period=Period(today - timedelta(days=50), today - timedelta(days=1)))
    now = Filters(period=Period(today, today))
    [before] = backend().province_totals(then)
    [after] = backend().province_totals(now)
    assert (before.revenue, before.orders, before.average_order_value) == (32000, 1, 32000)
    assert (after.revenue, after.orders, after.companies, after.average_order_value) == (-9600, 0, 0, None)
    assert SalesFact.objects.get(kind="sale").date == sold.astimezone(timezone.get_current_timezone()).date()


def test_cancellation_after_payment_nets_to_zero(paid, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(paid, reason="客户取消")
    assert [r[1] for r in stored()].count("cancellation") == 2
    assert SalesFact.objects.filter(order_id=paid.pk).values_list("revenue", flat=True).count() == 4
    assert sum(SalesFact.objects.values_list("revenue", flat=True)) == 0
    totals = guangdong()
    assert (totals.revenue, totals.orders, totals.companies, totals.average_order_value) == (0, 0, 0, None)
    assert all(r[5:] == (0, 0, 0, 0) for r in rollup())
    assert [(r.grade, r.value) for r in backend().abc(Filters())] == [("N", 0), ("N", 0)]


def test_a_refund_then_the_cancellation_nets_to_zero(paid, buyer, django_capture_on_commit_callbacks):
    finance = finance_user()
    refund = refunds.request_refund(paid, reason="allowance", lines=[(paid.lines.first(), 0, "50.00")], by=buyer)
    refunds.approve(refund, finance)
    with django_capture_on_commit_callbacks(execute=True):
        refunds.execute(refund, payout_reference="BANK-RF-2", by=finance)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_order(paid, reason="客户取消")
    kinds = sorted(r[1] for r in stored())
    assert kinds == ["cancellation", "cancellation", "refund", "sale", "sale"]
    assert sum(SalesFact.objects.values_list("revenue", flat=True)) == 0
    assert guangdong().revenue == 0 and guangdong().orders == 0


def test_an_order_not_paid_yet_makes_no_fact(buyer, priced, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        order = factories.place_order(buyer, [(priced["bolt"], 1)], secure=False)
        cancel_order(order, reason="客户取消")
    assert SalesFact.objects.count() == 0 and MonthlySales.objects.count() == 0


def test_a_re_routed_part_moves_its_lines_to_the_backup(buyer, priced, django_capture_on_commit_callbacks):
    from plugins.s2b2b_orders.models import SupplierOrder, SupplierProfile
    from plugins.s2b2b_orders.services import escalation

    jg, df = priced["suppliers"]["jg"], priced["suppliers"]["df"]
    SupplierProfile.objects.update_or_create(partner=jg, defaults={"legal_name": jg.name, "backup_partner": df})
    from oscar.core.loading import get_model

    get_model("partner", "StockRecord").objects.create(
        product=priced["bolt"],
        partner=df,
        partner_sku="DF-HB-M8-30",
        price=Decimal("32.00"),
        num_in_stock=9,
        cost=Decimal("26.10"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        order = factories.place_order(buyer, [(priced["bolt"], 10)], paid=True)
    with django_capture_on_commit_callbacks(execute=True):
        escalation.reroute(SupplierOrder.objects.get(order=order, partner=jg))
    per_supplier = {
        s: (
            sum(SalesFact.objects.filter(supplier_id=s.pk).values_list("revenue", flat=True)),
            sum(SalesFact.objects.filter(supplier_id=s.pk).values_list("cost", flat=True)),
        )
        for s in (jg, df)
    }
    assert per_supplier == {jg: (0, 0), df: (32000, 26100)}
    assert sorted(r[1] for r in stored()) == ["reroute", "reroute", "sale"]
    assert guangdong().revenue == 32000 and guangdong().orders == 1


def test_the_rebuild_streams_history_into_the_same_facts_and_is_idempotent(paid, buyer, priced, capsys):
    with transaction.atomic():
        cancel_order(factories.place_order(buyer, [(priced["nut"], 4)], paid=True), reason="取消")
    live = stored()
    rebuild.truncate()
    assert SalesFact.objects.count() == 0
    call_command("bigdata_rebuild", "--batch", "1")
    out = capsys.readouterr()
    assert "2 个订单，新增" in out.out and "100% 2/2" in out.err
    rebuilt, rolled = stored(), rollup()
    assert {r[0] for r in live} <= {r[0] for r in rebuilt}
    assert sum(r[3] for r in rebuilt) == 75600
    call_command("bigdata_rebuild")
    assert stored() == rebuilt and rollup() == rolled


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_facts_are_append_only_on_postgresql(paid):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        SalesFact.objects.update(revenue=0)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        SalesFact.objects.all().delete()
    assert sum(r[3] for r in stored()) == 75600


def test_events_queue_their_orders_in_the_same_transaction_and_one_drain_writes_them_all(buyer, priced):
    """Without the after-commit kick (a broker down), the marks wait; the beat's drain writes them."""
    from plugins.bigdata.models import PendingOrder
    from plugins.bigdata.tasks import drain_fact_queue

    orders = [factories.place_order(buyer, [(priced["bolt"], n)], paid=True) for n in (1, 2, 3)]
    assert sorted(PendingOrder.objects.values_list("order_id", flat=True)) == sorted(o.pk for o in orders)
    assert SalesFact.objects.count() == 0
    assert drain_fact_queue() == 3
    assert PendingOrder.objects.count() == 0 and guangdong().revenue == 6 * 3200
    assert drain_fact_queue() == 0


def test_a_batch_repeating_rows_and_rows_already_stored_writes_each_fact_once():
    rows = generate()[:300]
    assert write(rows[:100]) == 100
    # already stored, new, new ones given twice, stored again: a re-delivery inside one batch
    batch = rows[50:200] + rows[150:250] + rows[:10]
    assert write(batch) == 150
    assert SalesFact.objects.count() == 250
    incremented = rollup_with_counts()
    rebuild_rollup()  # the rollup recomputed from the stored facts: the increments were exact
    assert incremented == rollup_with_counts()
    assert write(batch) == 0 and rollup_with_counts() == incremented


def rollup_with_counts() -> list[tuple]:
    return list(
        MonthlySales.objects.order_by(
            "month", "product_id", "province_code", "supplier_id", "category_id", "salesperson_id"
        ).values_list(
            "month",
            "product_id",
            "province_code",
            "supplier_id",
            "category_id",
            "salesperson_id",
            "quantity",
            "revenue",
            "cost",
            "freight",
            "facts",
        )
    )
