"""Statement figures from the ledger, to the fen: a company's opening balance, orders (with the
points part), cancellations, receipts, refunds (by transfer and on account), credit used and
repaid, unapplied receipts, invoiced and uninvoiced, closing; a supplier's payables, clawbacks
and payouts. The other areas' entries are posted as FINANCE.md documents them."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core.orders.services import cancel_order
from plugins.finance import chart
from plugins.finance.services import statements
from plugins.member_tiers.models import CreditAccount
from plugins.member_tiers.services import credit
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_statements import finance_operator, invoice, order_of, posting, today

pytestmark = pytest.mark.django_db

B, U, P = chart.RECEIVABLE_ORDERS, chart.UNAPPLIED, chart.RECEIVABLE_ON_ACCOUNT
PLATFORM: dict = {}


def company_world():
    user = factories.distributor("stmt")
    factories.credit_line(user, limit="1000.00")
    company = factories.company_of(user)
    c = {"company_id": company.pk}
    start, end = today() - timedelta(days=10), today()
    before, after_ = start - timedelta(days=5), end + timedelta(days=1)
    a, b, d = order_of(user, "A-1"), order_of(user, "B-1"), order_of(user, "D-1")
    order_of(user, "E-1")
    # before the period: order A secured by transfer (the company owes 100.00)
    posting(
        "order:A-1:secured",
        chart.ORDER_SECURED,
        [(B, 10000, c), (chart.REVENUE, -10000, PLATFORM)],
        on=before,
        order_number=a.number,
    )
    # in the period: a receipt of 150.00 recorded, approved, 100.00 allocated to A (50.00 unapplied)
    posting(
        "receipt:SK-1", chart.RECEIPT, [(chart.BANK, 15000, PLATFORM), (chart.UNCLAIMED, -15000, PLATFORM)], on=start
    )
    posting(
        "receipt:SK-1:approved", chart.RECEIPT_APPLIED, [(chart.UNCLAIMED, 15000, PLATFORM), (U, -15000, c)], on=start
    )
    posting(
        "allocation:1",
        chart.RECEIPT_APPLIED,
        [(U, 10000, c), (B, -10000, c)],
        on=start + timedelta(days=1),
        order_number=a.number,
    )
    # order B on account: 80.00 on credit (member_tiers posts it, dated today) + 5.00 paid with points
    account_ = CreditAccount.objects.get(membership__company=company)
    credit.reserve(user, Decimal("80.00"), b.number)
    posting(
        "order:B-1:secured",
        chart.ORDER_SECURED,
        [(chart.POINTS_REDEEMED, 500, PLATFORM), (chart.REVENUE, -500, PLATFORM)],
        on=start,
        order_number=b.number,
    )
    # refunds: 20.00 of A by bank transfer, 10.00 of B restoring credit
    posting(
        "refund:TK-1",
        chart.REFUND,
        [(chart.REVENUE, 2000, PLATFORM), (chart.BANK, -2000, PLATFORM)],
        on=start + timedelta(days=2),
        order_number=a.number,
    )
    credit.refund(account_, Decimal("10.00"), order_number=b.number, reason="销售折让")
    # order D secured and cancelled in the period
    secured = posting(
        "order:D-1:secured",
        chart.ORDER_SECURED,
        [(B, 3000, c), (chart.REVENUE, -3000, PLATFORM)],
        on=start,
        order_number=d.number,
    )
    from plugins.finance.services.ledger import reverse

    reverse(entry=secured, reason="取消", key="order:D-1:cancelled")
    # fapiao: A invoiced in the period (100.00), a red-letter invoice of the refund (20.00)
    invoice(company, "1" * 20, "100.00", on=start + timedelta(days=1))
    invoice(company, "2" * 20, "20.00", on=start + timedelta(days=3), red=True)
    invoice(company, "3" * 20, "1.00", on=after_)  # after the period
    return user, company, start, end


def test_company_figures_add_up_to_the_fen_from_every_area_s_postings():
    user, company, start, end = company_world()
    f = statements.company_figures(company, start, end)
    assert f["opening"] == 10000
    assert f["orders"] == 8000 + 500 + 3000
    assert f["points"] == -500
    assert f["cancellations"] == -3000
    assert f["receipts"] == -15000
    assert f["refunds"] == -2000 - 1000
    assert f["refunds_paid"] == 2000
    assert f["write_offs"] == f["other"] == 0
    assert f["closing"] == 2000  # 112201 70.00 owed on credit − 50.00 held unapplied
    assert (f["credit_opening"], f["credit_used"], f["credit_restored"], f["credit_closing"]) == (0, 8000, 1000, 7000)
    assert (f["unapplied_opening"], f["unapplied_closing"]) == (0, 5000)
    assert f["invoiced"] == 8000 and f["invoiced_to_date"] == 8000
    assert f["sales_to_date"] == 10000 + 8000 + 500 + 3000 - 3000 - 2000 - 1000
    assert f["uninvoiced"] == f["sales_to_date"] - 8000
    # the lines of the statement: every entry of the period once, with its effect; the refund by
    # transfer (no company account) with what was paid out; they add up to the movements
    from plugins.finance.models import Statement

    lines = list(statements.party_entries(Statement(company=company, period_start=start, period_end=end)))
    assert (
        len({line["id"] for line in lines}) == len(lines) == 7
    )  # the points entry and the bank side are not the company's
    assert sum(line["effect"] for line in lines) == f["closing"] - f["opening"]
    refund = next(line for line in lines if line["kind"] == chart.REFUND)
    assert (refund["effect"], refund["paid"], refund["order_number"]) == (0, -2000, "A-1")
    assert_books_hold(user, skip_areas=("receipts", "refunds", "settlement", "invoices"))


def test_the_opening_of_a_period_is_the_closing_of_the_one_before():
    user, company, start, end = company_world()
    first = statements.company_figures(company, start - timedelta(days=30), start - timedelta(days=1))
    second = statements.company_figures(company, start, end)
    assert first["closing"] == second["opening"] == 10000
    assert first["orders"] == 10000 and first["opening"] == 0


def test_a_paid_order_cancelled_midway_leaves_its_money_held_for_the_company(catalogue):
    user = factories.distributor("paidcancel")
    order = factories.place_order(user, [(catalogue["bolt"], 2)], paid=True)
    total = int(order.total_incl_tax * 100)
    cancel_order(order, reason="客户取消")
    f = statements.company_figures(order.company_id, today(), today())
    assert f["orders"] == total and f["receipts"] == -total and f["cancellations"] == -total
    assert f["closing"] == -total and f["unapplied_closing"] == total  # nothing lost: held as 预收款
    assert f["sales_to_date"] == 0 and f["uninvoiced"] == 0
    assert_books_hold(skip_areas=("receipts", "refunds", "settlement", "invoices"))


def test_credit_repaid_shows_as_a_receipt_and_credit_repaid(catalogue):
    user = factories.distributor("repay")
    factories.credit_line(user, limit="1000.00")
    account_ = CreditAccount.objects.get(membership__company=factories.company_of(user))
    order = order_of(user, "R-9")
    credit.reserve(user, Decimal("300.00"), order.number)
    credit.record_repayment(account_, Decimal("120.50"), reason="网银还款")
    f = statements.company_figures(order.company_id, today(), today())
    assert (f["credit_used"], f["credit_repaid"], f["receipts"], f["closing"]) == (30000, 12050, -12050, 17950)
    assert_books_hold(user, skip_areas=("receipts", "refunds", "settlement", "invoices"))


def test_supplier_figures_payables_clawbacks_payouts():
    jg = factories.supplier("jgs", "苏州精工五金制品有限公司")
    s = {"supplier_id": jg.pk}
    start, end = today() - timedelta(days=10), today()
    posting(
        "settlement:JS-1",
        chart.SETTLEMENT,
        [(chart.COST_OF_GOODS, 10000, PLATFORM), (chart.PAYABLE, -9000, s), (chart.COMMISSION, -1000, PLATFORM)],
        on=start - timedelta(days=3),
    )
    posting("payout:JS-1", chart.PAYOUT, [(chart.PAYABLE, 9000, s), (chart.BANK, -9000, PLATFORM)], on=start)
    posting(
        "settlement:JS-2",
        chart.SETTLEMENT,
        [(chart.COST_OF_GOODS, 5000, PLATFORM), (chart.PAYABLE, -4500, s), (chart.COMMISSION, -500, PLATFORM)],
        on=start + timedelta(days=1),
    )
    posting(
        "clawback:7",
        chart.CLAWBACK,
        [(chart.PAYABLE, 900, s), (chart.COMMISSION, 100, PLATFORM), (chart.COST_OF_GOODS, -1000, PLATFORM)],
        on=end,
    )
    other = factories.supplier("dfs", "宁波东方电气设备有限公司")
    posting(
        "settlement:JS-3",
        chart.SETTLEMENT,
        [(chart.COST_OF_GOODS, 700, PLATFORM), (chart.PAYABLE, -700, {"supplier_id": other.pk})],
        on=start,
    )
    f = statements.supplier_figures(jg, start, end)
    assert (f["opening"], f["payables"], f["clawbacks"], f["payouts"], f["other"], f["closing"]) == (
        9000,
        4500,
        -900,
        -9000,
        0,
        3600,
    )
    assert (f["goods"], f["commission"]) == (4000, 400)
    assert statements.supplier_figures(other, start, end)["closing"] == 700
    assert_books_hold(skip_areas=("receipts", "refunds", "settlement", "invoices"))


def test_a_period_that_ends_before_it_starts_or_in_the_future_is_refused():
    fin = finance_operator()
    user = factories.distributor("period")
    company = factories.company_of(user)
    with pytest.raises(ValidationError) as bad:
        statements.issue_statement(company, today(), today() - timedelta(days=1), fin)
    assert "ends before it starts" in str(bad.value)
    with pytest.raises(ValidationError) as bad:
        statements.issue_statement(company, today(), today() + timedelta(days=1), fin)
    assert "not ended" in str(bad.value)
    from plugins.finance.models import Statement

    assert not Statement.objects.exists()


def _orders_with_refunds(key: str, n: int):
    user = factories.distributor(key)
    company = factories.company_of(user)
    c = {"company_id": company.pk}
    for i in range(n):
        order = order_of(user, f"{key.upper()}-{i}")
        posting(
            f"order:{order.number}:secured",
            chart.ORDER_SECURED,
            [(B, 1000, c), (chart.REVENUE, -1000, PLATFORM)],
            on=today() - timedelta(days=i % 20),
            order_number=order.number,
        )
        posting(
            f"refund:TK-{order.number}",
            chart.REFUND,
            [(chart.REVENUE, 100, PLATFORM), (chart.BANK, -100, PLATFORM)],
            on=today(),
            order_number=order.number,
        )
    return company


def test_the_figures_cost_the_same_queries_for_10_and_50_orders():
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small, big = _orders_with_refunds("few", 10), _orders_with_refunds("many", 50)
    counts = []
    for company in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            f = statements.company_figures(company, today() - timedelta(days=10), today())
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1] <= 3
    # 50 orders of 10.00 over 20 days: 11 of the 20 days fall in the period (today and 10 days back)
    in_period = sum(1 for i in range(50) if i % 20 <= 10)
    assert f["orders"] == in_period * 1000 and f["opening"] == (50 - in_period) * 1000
    assert f["refunds"] == -5000 and f["refunds_paid"] == 5000 and f["closing"] == 50 * 1000
