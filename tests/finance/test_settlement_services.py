"""Supplier settlement to the fen: what is settleable, commission per supplier order with category
overrides (rounded once per supplier order), freight, refunds before settlement, clawbacks netted
and a debit balance carried; confirm posts the settlement, pay posts the payout; bad input is
refused and changes nothing; the books hold after every scenario."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.statemachine import history
from plugins.finance import chart
from plugins.finance.models import CategoryCommission, JournalEntry, SettlementBatch, SettlementLine
from plugins.finance.selectors import balance
from plugins.finance.services import settlement
from plugins.finance.services.ledger import account, business_date
from plugins.s2b2b_orders.models import State
from tests import factories
from tests.finance.conftest import assert_books_hold, fen_of
from tests.finance.fixtures_settlement import (
    clawback,
    delivered_orders,
    executed_refund,
    finance_operator,
    long_ago,
    supplier_with_staff,
)

pytestmark = pytest.mark.django_db
D = Decimal
TODAY = business_date


@pytest.fixture
def world(db):
    jg, jg_staff = supplier_with_staff("jg", "苏州精工五金制品有限公司")
    df, df_staff = supplier_with_staff("df", "宁波东方电气设备有限公司", rate="0.1000")
    a = factories.category("紧固件")
    b = factories.category("螺栓", parent=a)
    c = factories.category("垫圈")
    CategoryCommission.objects.create(supplier=jg, category=a, rate=D("0.0800"))
    CategoryCommission.objects.create(supplier=jg, category=c, rate=D("0.0333"))
    CategoryCommission.objects.create(supplier=df, category=a, rate=D("0.5000"))  # another supplier's: not jg's
    p1 = factories.product("P1", "外六角螺栓", "33.33", partner=jg, categories=(a,))
    p2 = factories.product("P2", "内六角螺栓", "12.50", partner=jg, categories=(b,))  # under a: a's rate
    p3 = factories.product("P3", "扳手", "10.10", partner=jg)
    p4 = factories.product("P4", "平垫圈", "15.15", partner=jg, categories=(c,))
    p5 = factories.product("P5", "钳子", "10.10", partner=jg)
    return {
        "jg": jg,
        "jg_staff": jg_staff,
        "df": df,
        "df_staff": df_staff,
        "op": finance_operator(),
        "p": {1: p1, 2: p2, 3: p3, 4: p4, 5: p5},
    }


def _orders(w):
    p = w["p"]
    so1, so2 = delivered_orders(
        w["jg"],
        [[(p[3], 1, "10.10"), (p[5], 1, "10.10")], [(p[1], 3, "33.33"), (p[2], 1, "12.50"), (p[4], 2, "15.15")]],
        freight=["5.00", "8.00"],
    )
    (recent,) = delivered_orders(w["jg"], [[(p[3], 1, "10.10")]], delivered_at=timezone.now() - timedelta(days=2))
    (shipped,) = delivered_orders(w["jg"], [[(p[3], 1, "10.10")]], state=State.SHIPPED)
    (other,) = delivered_orders(w["df"], [[(p[3], 1, "10.10")]])
    return so1, so2, recent, shipped, other


def _draft(w, **kw):
    kw.setdefault("period_start", TODAY() - timedelta(days=60))
    kw.setdefault("period_end", TODAY())
    return settlement.draft_batch(w["jg"], by=w["op"], **kw)


def test_a_batch_settles_delivered_orders_past_the_window_to_the_fen_and_posts_on_confirm_and_pay(world):
    w = world
    so1, so2, recent, shipped, other = _orders(w)
    batch = _draft(w)
    assert batch.number.startswith("JS-") and batch.state == "draft"
    lines = {line.supplier_order_id: line for line in batch.lines.all()}
    assert set(lines) == {so1.pk, so2.pk}  # not the one inside its window, not the shipped one, not df's
    one, two = lines[so1.pk], lines[so2.pk]
    # 10.10 × 5 % twice = 1.01 exactly: rounded per supplier order, not 0.51 + 0.51 per line
    assert (one.goods, one.commission, one.commission_rate, one.freight, one.payable) == (
        D("20.20"),
        D("1.01"),
        D("0.0500"),
        D("5.00"),
        D("24.19"),
    )
    # 99.99 × 8 % + 12.50 × 8 % (螺栓 under 紧固件) + 30.30 × 3.33 % = 10.00819 → 10.01
    assert (two.goods, two.commission, two.commission_rate, two.freight, two.payable) == (
        D("142.79"),
        D("10.01"),
        D("0.0701"),
        D("8.00"),
        D("140.78"),
    )
    assert (batch.goods, batch.commission, batch.freight, batch.refunds, batch.netted, batch.payable) == (
        D("162.99"),
        D("11.02"),
        D("13.00"),
        D("0.00"),
        D("0.00"),
        D("164.97"),
    )
    assert not JournalEntry.objects.filter(key__startswith="settlement:").exists()  # a draft posts nothing
    assert_books_hold(skip_areas=("refunds",))

    settlement.confirm(batch, by=w["jg_staff"])
    batch.refresh_from_db()
    assert batch.state == "confirmed" and batch.confirmed_by == w["jg_staff"] and batch.confirmed_at
    entry = JournalEntry.objects.get(key=f"settlement:{batch.number}")
    assert entry.kind == chart.SETTLEMENT
    assert fen_of(entry) == {chart.COST_OF_GOODS: 17599, chart.COMMISSION: -1102, chart.PAYABLE: -16497}
    assert balance(account(chart.PAYABLE, supplier_id=w["jg"].pk)) == -16497
    assert_books_hold(skip_areas=("refunds",))

    settlement.pay(batch, payout_reference=" HX-2026-0001 ", by=w["op"])
    batch.refresh_from_db()
    assert batch.state == "paid" and batch.payout_reference == "HX-2026-0001" and batch.paid_by == w["op"]
    assert fen_of(JournalEntry.objects.get(key=f"payout:{batch.number}")) == {chart.PAYABLE: 16497, chart.BANK: -16497}
    assert balance(account(chart.PAYABLE, supplier_id=w["jg"].pk)) == 0
    assert [h.to_state for h in history(batch)] == ["confirmed", "paid"]
    assert_books_hold(skip_areas=("refunds",))
    # settled orders are in no further batch; the recent one becomes settleable after its window
    assert not settlement.settleable(w["jg"].pk, TODAY()).exists()
    later = timezone.now() + timedelta(days=6)
    assert list(settlement.settleable(w["jg"].pk, TODAY() + timedelta(days=6), later)) == [recent]


def test_a_refund_executed_before_settlement_is_deducted_and_the_posting_splits_it(world):
    w = world
    so1, so2, *_ = _orders(w)
    executed_refund(so1, goods="10.10", commission="0.51")
    batch = _draft(w)
    one = batch.lines.get(supplier_order=so1)
    assert (one.refunds, one.payable) == (D("9.59"), D("14.60"))
    assert (batch.refunds, batch.payable) == (D("9.59"), D("155.38"))
    settlement.confirm(batch, by=w["jg_staff"])
    assert fen_of(JournalEntry.objects.get(key=f"settlement:{batch.number}")) == {
        chart.COST_OF_GOODS: 17599 - 1010,
        chart.COMMISSION: -(1102 - 51),
        chart.PAYABLE: -15538,
    }
    assert_books_hold(skip_areas=("refunds",))


def test_clawbacks_are_netted_a_debit_balance_carries_and_is_netted_in_the_next_batch(world):
    w = world
    p3 = w["p"][3]
    so1, so2, *_ = _orders(w)
    first = _draft(w)
    settlement.confirm(first, by=w["jg_staff"])
    settlement.pay(first, payout_reference="HX-1", by=w["op"])
    # a return after payout: the supplier owes 107.99 − 8.00 commission = 99.99
    allocation = clawback(so2, goods="99.99", freight="8.00", commission="8.00")
    assert_books_hold(skip_areas=("refunds",))
    (so6,) = delivered_orders(w["jg"], [[(p3, 1, "50.00")]])
    second = _draft(w)
    claw = second.lines.get(refund_allocation=allocation)
    assert (claw.refunds, claw.payable, claw.supplier_order_id) == (D("99.99"), D("-99.99"), None)
    assert second.lines.get(supplier_order=so6).payable == D("47.50")
    # 47.50 − 99.99: the supplier owes 52.49; nothing to pay, the debit carries
    assert (second.refunds, second.netted, second.payable) == (D("99.99"), D("0.00"), D("0.00"))
    settlement.confirm(second, by=w["jg_staff"])
    assert fen_of(JournalEntry.objects.get(key=f"settlement:{second.number}")) == {
        chart.COST_OF_GOODS: 5000,
        chart.COMMISSION: -250,
        chart.PAYABLE: -4750,
    }
    assert settlement.carried_debit(w["jg"].pk) == D("52.49")
    assert balance(account(chart.PAYABLE, supplier_id=w["jg"].pk)) == 5249
    settlement.pay(second, payout_reference="HX-2", by=w["op"])
    assert not JournalEntry.objects.filter(key=f"payout:{second.number}").exists()  # nothing was paid
    assert_books_hold(skip_areas=("refunds",))
    # the clawback is netted once: not again in the next batch
    (so7,) = delivered_orders(w["jg"], [[(p3, 1, "100.00")]])
    third = _draft(w)
    assert not third.lines.filter(refund_allocation__isnull=False).exists()
    assert (third.netted, third.payable) == (D("52.49"), D("42.51"))
    settlement.confirm(third, by=w["jg_staff"])
    settlement.pay(third, payout_reference="HX-3", by=w["op"])
    assert fen_of(JournalEntry.objects.get(key=f"payout:{third.number}")) == {chart.PAYABLE: 4251, chart.BANK: -4251}
    assert balance(account(chart.PAYABLE, supplier_id=w["jg"].pk)) == 0
    assert settlement.carried_debit(w["jg"].pk) == 0
    assert_books_hold(skip_areas=("refunds",))


def test_a_change_after_the_draft_refuses_the_confirmation_until_finance_refreshes(world):
    w = world
    so1, *_ = _orders(w)
    batch = _draft(w)
    executed_refund(so1, goods="5.00", commission="0.25")
    with pytest.raises(ValidationError) as refused:
        settlement.confirm(batch, by=w["jg_staff"])
    assert "changed since it was drafted" in str(refused.value)
    batch.refresh_from_db()
    assert batch.state == "draft" and not JournalEntry.objects.filter(kind=chart.SETTLEMENT).exists()
    CategoryCommission.objects.filter(supplier=w["jg"]).update(rate=D("0.0900"))
    settlement.refresh(batch, by=w["op"])
    batch.refresh_from_db()
    assert batch.lines.get(supplier_order=so1).refunds == D("4.75")
    settlement.confirm(batch, by=w["jg_staff"])
    assert batch.state == "confirmed"
    assert_books_hold(skip_areas=("refunds",))


def test_dispute_refresh_and_cancel_make_the_orders_settleable_again(world):
    w = world
    so1, so2, *_ = _orders(w)
    batch = _draft(w)
    with pytest.raises(ValidationError) as refused:
        settlement.dispute(batch, reason="  ", by=w["jg_staff"])
    assert "reason" in refused.value.message_dict
    settlement.dispute(batch, reason="运费不对", by=w["jg_staff"])
    batch.refresh_from_db()
    assert (batch.state, batch.dispute_reason) == ("disputed", "运费不对")
    with pytest.raises(ValidationError):
        settlement.confirm(batch, by=w["jg_staff"])  # a disputed batch is refreshed first
    settlement.refresh(batch, by=w["op"])
    assert batch.state == "draft"
    settlement.cancel(batch, by=w["op"], reason="重新出单")
    assert batch.state == "cancelled"
    again = _draft(w)
    assert set(again.lines.values_list("supplier_order_id", flat=True)) == {so1.pk, so2.pk}
    assert_books_hold(skip_areas=("refunds",))


def test_bad_input_is_refused_with_a_clear_error_and_changes_nothing(world):
    w = world
    _orders(w)
    cases = [
        (dict(period_start=TODAY(), period_end=TODAY() - timedelta(days=1)), w["op"], "period_end"),
        (dict(period_end=TODAY() + timedelta(days=1)), w["op"], "period_end"),
        (dict(), w["jg_staff"], "batch"),  # supplier staff cannot draft
        (dict(), _plain_operator(), "batch"),  # an operator outside the finance group
        (
            dict(period_end=TODAY() - timedelta(days=90), period_start=TODAY() - timedelta(days=120)),
            w["op"],
            "period_end",
        ),
    ]
    for kwargs, by, field in cases:
        kwargs.setdefault("period_start", TODAY() - timedelta(days=60))
        kwargs.setdefault("period_end", TODAY())
        with pytest.raises(ValidationError) as refused:
            settlement.draft_batch(w["jg"], by=by, **kwargs)
        assert field in refused.value.message_dict, (kwargs, refused.value)
    assert not SettlementBatch.objects.exists() and not SettlementLine.objects.exists()

    batch = _draft(w)
    with pytest.raises(ValidationError, match="already has an open settlement batch"):
        _draft(w)
    for by in (w["df_staff"], w["op"]):  # another supplier's staff, an operator: not the supplier
        with pytest.raises(ValidationError, match="supplier's own staff"):
            settlement.confirm(batch, by=by)
        with pytest.raises(ValidationError, match="supplier's own staff"):
            settlement.dispute(batch, reason="x", by=by)
    with pytest.raises(ValidationError) as refused:
        settlement.pay(batch, payout_reference="HX-9", by=w["op"])  # a draft is not paid
    assert "state" in refused.value.message_dict
    settlement.confirm(batch, by=w["jg_staff"])
    with pytest.raises(ValidationError, match="finance staff"):
        settlement.pay(batch, payout_reference="HX-9", by=w["jg_staff"])
    with pytest.raises(ValidationError) as refused:
        settlement.pay(batch, payout_reference="   ", by=w["op"])
    assert "payout_reference" in refused.value.message_dict
    with pytest.raises(ValidationError):
        settlement.cancel(batch, by=w["op"])  # a confirmed batch is not cancelled
    settlement.pay(batch, payout_reference="HX-9", by=w["op"])
    with pytest.raises(ValidationError):
        settlement.pay(batch, payout_reference="HX-10", by=w["op"])  # paid once
    # a duplicate payout reference for df's batch
    p3 = w["p"][3]
    df_batch = settlement.draft_batch(
        w["df"], period_start=TODAY() - timedelta(days=60), period_end=TODAY(), by=w["op"]
    )
    assert df_batch.lines.get().supplier_order.partner == w["df"] and p3
    settlement.confirm(df_batch, by=w["df_staff"])
    with pytest.raises(ValidationError) as refused:
        settlement.pay(df_batch, payout_reference="HX-9", by=w["op"])
    assert "payout_reference" in refused.value.message_dict
    df_batch.refresh_from_db()
    assert df_batch.state == "confirmed" and not JournalEntry.objects.filter(key=f"payout:{df_batch.number}").exists()
    assert JournalEntry.objects.filter(kind=chart.PAYOUT).count() == 1
    assert_books_hold(skip_areas=("refunds",))


def _plain_operator():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    user = get_user_model().objects.create_user(username="looker", password="x", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="operators")[0])
    return user


def test_commission_rates_are_validated_and_apply_to_the_next_batch(world):
    w = world
    for bad in ("1", "-0.01", "0.123456", "abc", "NaN"):
        with pytest.raises(ValidationError) as refused:
            settlement.set_supplier_rate(w["jg"], rate=bad, by=w["op"])
        assert "rate" in refused.value.message_dict
    with pytest.raises(ValidationError, match="finance staff"):
        settlement.set_supplier_rate(w["jg"], rate="0.02", by=w["jg_staff"])
    settlement.set_supplier_rate(w["jg"], rate="0.0200", by=w["op"])
    settlement.set_category_rate(w["jg"], category=factories.category("垫圈"), rate="0.1", by=w["op"])
    (so,) = delivered_orders(w["jg"], [[(w["p"][3], 1, "100.00"), (w["p"][4], 1, "100.00")]])
    batch = _draft(w)
    line = batch.lines.get(supplier_order=so)
    assert (line.commission, line.commission_rate) == (D("12.00"), D("0.0600"))


def test_an_order_cancelled_midway_loses_nothing_the_delivered_part_is_settled_alone(world):
    """An order of two suppliers: one part cancelled before delivery is never settled; the other
    part is settled whole; the ledger explains every fen."""
    from core.orders.services import cancel_order

    w = world
    buyer = factories.distributor("buyer")
    jg_product, df_product = w["p"][3], factories.product("DF-1", "断路器", "13.80", partner=w["df"])
    order = factories.place_order(buyer, [(jg_product, 2), (df_product, 1)])
    jg_part = order.supplier_orders.get(partner=w["jg"])
    df_part = order.supplier_orders.get(partner=w["df"])
    from plugins.s2b2b_orders.services import lifecycle

    lifecycle.cancel(df_part, reason="缺货", actor=w["op"])
    type(jg_part).objects.filter(pk=jg_part.pk).update(state=State.DELIVERED, delivered_at=long_ago())
    batch = _draft(w)
    assert list(batch.lines.values_list("supplier_order_id", flat=True)) == [jg_part.pk]
    assert batch.goods == D("20.20") and batch.commission == D("1.01")
    with pytest.raises(ValidationError, match="Nothing to settle"):
        settlement.draft_batch(w["df"], period_start=TODAY(), period_end=TODAY(), by=w["op"])
    settlement.confirm(batch, by=w["jg_staff"])
    assert_books_hold(skip_areas=("refunds",))
    with pytest.raises(ValidationError, match="can no longer be cancelled"):
        cancel_order(order, reason="客户取消")  # a settled, delivered part keeps the order
    assert_books_hold(skip_areas=("refunds",))
    assert fen_of(JournalEntry.objects.get(key=f"settlement:{batch.number}"))[chart.PAYABLE] == -(2020 - 101)


def test_the_query_count_does_not_grow_with_the_number_of_orders(world):
    w = world
    p = w["p"]
    counts = []
    for n in (3, 10, 50):  # the first batch opens the ledger's accounts: a warm-up
        delivered_orders(w["jg"], [[(p[1], 1, "33.33"), (p[3], 2, "10.10")] for _ in range(n)], freight="3.00")
        with CaptureQueriesContext(connection) as drafting:
            batch = settlement.draft_batch(w["jg"], period_start=TODAY(), period_end=TODAY(), by=w["op"])
        with CaptureQueriesContext(connection) as confirming:
            settlement.confirm(batch, by=w["jg_staff"])
        with CaptureQueriesContext(connection) as paying:
            settlement.pay(batch, payout_reference=f"HX-{n}", by=w["op"])
        assert batch.lines.count() == n
        # 33.33 × 8 % (紧固件) + 20.20 × 5 % = 3.6764 → 3.68, rounded half up once per supplier order
        assert batch.commission == D("3.68") * n
        counts.append((len(drafting), len(confirming), len(paying)))
    assert counts[1] == counts[2], counts
    assert_books_hold(skip_areas=("refunds",))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL path is PostgreSQL's")
def test_the_sql_path_and_the_python_reference_give_the_same_lines(world):
    w = world
    p = w["p"]
    import random

    rng = random.Random(11)
    items = [
        [
            (p[rng.randint(1, 5)], rng.randint(1, 9), f"{rng.randint(1, 99999) / 100:.2f}")
            for _ in range(rng.randint(1, 4))
        ]
        for _ in range(40)
    ]
    orders = delivered_orders(w["jg"], items, freight=[f"{rng.randint(0, 2000) / 100:.2f}" for _ in items])
    for so in orders[:8]:
        executed_refund(so, goods="1.00", freight="0.50", commission="0.05")
    sql = _draft(w, engine="sql")
    sql_lines = sorted(
        sql.lines.values_list(
            "supplier_order_id", "goods", "commission_rate", "commission", "freight", "refunds", "payable"
        )
    )
    sql_totals = (sql.goods, sql.commission, sql.freight, sql.refunds, sql.payable)
    settlement.cancel(sql, by=w["op"])
    python = _draft(w, engine="python")
    python_lines = sorted(
        python.lines.values_list(
            "supplier_order_id", "goods", "commission_rate", "commission", "freight", "refunds", "payable"
        )
    )
    assert sql_lines == python_lines and len(sql_lines) == 40
    assert sql_totals == (python.goods, python.commission, python.freight, python.refunds, python.payable)
