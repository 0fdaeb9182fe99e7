"""The fact rows an order's history makes (plugins/bigdata/facts.py), on hand-made histories:
each event's rows to the fen, and the sums a user reads afterwards (a cancelled order nets to
zero, a refund after the cancellation moves nothing, a re-routed line changes supplier)."""

from datetime import UTC, date, datetime, timedelta

from plugins.bigdata import facts
from plugins.bigdata.facts import Dimensions, LineSource, OrderHistory, RefundLineSource, RefundSource, Reroute

T0 = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)  # 2026-04-01 01:30 in Shanghai
DIMS = Dimensions(order_id=1, order_number="100001", company_id=7, province_code="440000", province="广东省")
LINES = (
    LineSource(
        line_id=11, quantity=10, revenue=32000, product_id=101, supplier_id=1, supplier_name="精工", unit_cost=2500
    ),
    LineSource(
        line_id=12, quantity=1, revenue=21800, product_id=102, supplier_id=2, supplier_name="东方", unit_cost=None
    ),
)


def history(**changes) -> OrderHistory:
    return OrderHistory(**{"dims": DIMS, "lines": LINES, "freight": 1001, "secured_at": T0, **changes})


def sums(rows, *fields):
    return tuple(sum(getattr(r, f) for r in rows) for f in fields)


def test_a_secured_order_makes_one_sale_per_line_with_its_freight_split_by_revenue_to_the_fen():
    rows = facts.order_facts(history())
    assert [(r.source_id, r.kind, r.quantity, r.revenue, r.cost, r.freight) for r in rows] == [
        ("sale:11", "sale", 10, 32000, 25000, 595),  # 1001 × 32000 / 53800 = 595.37
        ("sale:12", "sale", 1, 21800, 0, 406),  # 405.63 rounds up: the largest remainder
    ]
    assert rows[0].date == date(2026, 4, 1) and rows[0].month == date(2026, 4, 1)  # Shanghai's day


def test_an_order_whose_payment_was_never_secured_makes_nothing():
    assert facts.order_facts(history(secured_at=None)) == []


def test_a_refund_makes_negative_rows_keyed_by_its_lines_and_nets_the_order():
    refund = RefundSource(
        refund_id=5,
        at=T0 + timedelta(days=3),
        freight=300,
        lines=(
            RefundLineSource(refund_line_id=51, line_id=11, quantity=3, amount=9600),
            RefundLineSource(refund_line_id=52, line_id=12, quantity=0, amount=1000),  # an allowance
        ),
    )
    rows = facts.order_facts(history(refunds=(refund,)))
    refunds = [r for r in rows if r.kind == "refund"]
    assert [(r.source_id, r.quantity, r.revenue, r.cost, r.freight) for r in refunds] == [
        ("refund:51", -3, -9600, -7500, -272),  # 300 × 9600 / 10600 = 271.70: the largest remainder
        ("refund:52", 0, -1000, 0, -28),  # 28.30
    ]
    assert sums(refunds, "revenue", "freight") == (-10600, -300)
    assert sums(rows, "quantity", "revenue", "cost") == (8, 53800 - 10600, 25000 - 7500)
    assert all(r.date == date(2026, 4, 4) for r in refunds)


def test_cancellation_after_payment_nets_every_line_to_zero():
    rows = facts.order_facts(history(cancelled_at=T0 + timedelta(hours=2)))
    cancels = [r for r in rows if r.kind == "cancellation"]
    assert [r.source_id for r in cancels] == ["cancel:11:1", "cancel:12:2"]
    assert sums(rows, "quantity", "revenue", "cost", "freight") == (0, 0, 0, 0)


def test_a_refund_before_the_cancellation_is_kept_and_the_cancellation_takes_back_the_rest():
    refund = RefundSource(refund_id=5, at=T0 + timedelta(hours=1), lines=(RefundLineSource(51, 11, 3, 9600),))
    rows = facts.order_facts(history(refunds=(refund,), cancelled_at=T0 + timedelta(hours=2)))
    assert [r.kind for r in rows] == ["sale", "sale", "refund", "cancellation", "cancellation"]
    assert next(r for r in rows if r.source_id == "cancel:11:1").revenue == -(32000 - 9600)
    assert sums(rows, "quantity", "revenue", "cost", "freight") == (0, 0, 0, 0)


def test_a_refund_paid_out_after_the_cancellation_moves_no_sales():
    """The cancellation already gave back the whole order; finance pays out held money then."""
    refund = RefundSource(refund_id=5, at=T0 + timedelta(hours=3), lines=(RefundLineSource(51, 11, 3, 9600),))
    rows = facts.order_facts(history(refunds=(refund,), cancelled_at=T0 + timedelta(hours=2)))
    assert not [r for r in rows if r.kind == "refund"]
    assert sums(rows, "revenue") == (0,)


def test_a_re_routed_line_moves_to_the_backup_with_the_backups_cost():
    moved = Reroute(at=T0 + timedelta(hours=1), new_part_id=9, lines={11: (3, "备用", 2700)})
    rows = facts.order_facts(history(reroutes=(moved,)))
    assert [(r.source_id, r.supplier_id, r.quantity, r.revenue, r.cost, r.freight) for r in rows[2:]] == [
        ("reroute:9:11:out", 1, -10, -32000, -25000, -595),
        ("reroute:9:11:in", 3, 10, 32000, 27000, 595),
    ]
    by_supplier = {s: sums([r for r in rows if r.supplier_id == s], "revenue", "cost") for s in (1, 2, 3)}
    assert by_supplier == {1: (0, 0), 2: (21800, 0), 3: (32000, 27000)}
    # a refund afterwards comes off the backup; the cancellation nets each supplier to zero
    refund = RefundSource(refund_id=5, at=T0 + timedelta(hours=2), lines=(RefundLineSource(51, 11, 2, 6400),))
    rows = facts.order_facts(history(reroutes=(moved,), refunds=(refund,), cancelled_at=T0 + timedelta(hours=4)))
    assert next(r for r in rows if r.kind == "refund").supplier_id == 3
    assert next(r for r in rows if r.kind == "refund").cost == -5400
    assert [r.source_id for r in rows if r.kind == "cancellation"] == ["cancel:11:3", "cancel:12:2"]
    for supplier in (1, 2, 3):
        assert sums([r for r in rows if r.supplier_id == supplier], "quantity", "revenue", "cost") == (0, 0, 0)


def test_the_same_history_always_makes_the_same_rows():
    refund = RefundSource(refund_id=5, at=T0 + timedelta(hours=1), lines=(RefundLineSource(51, 11, 3, 9600),))
    h = history(refunds=(refund,), cancelled_at=T0 + timedelta(hours=2))
    assert facts.order_facts(h) == facts.order_facts(h)


def test_allocate_fen_adds_up_exactly_and_keeps_the_sign():
    assert facts.allocate_fen(100, [1, 1, 1]) == [34, 33, 33]
    assert facts.allocate_fen(-100, [1, 1, 1]) == [-34, -33, -33]
    assert facts.allocate_fen(5, [0, 0]) == [3, 2]
    assert facts.allocate_fen(0, [3, 4]) == [0, 0]
