"""对账单 issue → confirm / dispute → resolve; closed periods. Bad input and the wrong person are
refused with a clear error and change nothing."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from core.outbox.models import OutboxMessage
from core.statemachine import history
from plugins.finance import chart
from plugins.finance.models import ClosedPeriod, JournalEntry, Receipt, Statement
from plugins.finance.selectors import statements as selectors
from plugins.finance.services import statements
from plugins.finance.services.ledger import LedgerError, business_date
from tests import factories
from tests.finance.conftest import assert_books_hold
from tests.finance.fixtures_statements import finance_operator, order_of, posting, today

pytestmark = pytest.mark.django_db

PLATFORM: dict = {}


def world():
    user = factories.distributor("alpha")
    company = factories.company_of(user)
    order = order_of(user, "A-7")
    posting(
        "order:A-7:secured",
        chart.ORDER_SECURED,
        [(chart.RECEIVABLE_ORDERS, 12345, {"company_id": company.pk}), (chart.REVENUE, -12345, PLATFORM)],
        on=today() - timedelta(days=2),
        order_number=order.number,
    )
    return user, company


def test_issuing_freezes_the_figures_and_a_second_statement_of_the_period_is_refused():
    fin = finance_operator()
    user, company = world()
    start, end = today() - timedelta(days=5), today()
    s = statements.issue_statement(company, start, end, fin)
    assert s.number.startswith("DZ-") and s.state == Statement.State.ISSUED
    assert s.figures["orders"] == 12345 and s.figures["closing"] == 12345
    # a later posting in the period does not rewrite the issued statement
    posting(
        "order:A-7:paid",
        chart.ORDER_PAID,
        [(chart.BANK, 12345, PLATFORM), (chart.RECEIVABLE_ORDERS, -12345, {"company_id": company.pk})],
        on=today(),
        order_number="A-7",
    )
    s.refresh_from_db()
    assert s.figures["closing"] == 12345
    with pytest.raises(ValidationError) as refused:
        statements.issue_statement(company, start, end, fin)
    assert s.number in str(refused.value)
    assert Statement.objects.count() == 1


def test_only_the_finance_team_issues():
    user, company = world()
    looker = factories.operator("looker")
    looker.is_superuser = False
    looker.save()
    with pytest.raises(ValidationError, match="finance team"):
        statements.issue_statement(company, today(), today(), looker)
    assert not Statement.objects.exists()


def test_the_company_confirms_its_own_statement_and_nobody_else_can():
    fin = finance_operator()
    user, company = world()
    other = factories.distributor("beta")
    buyer = factories.person("alphabuyer")
    factories.join(buyer, company, role="buyer")
    s = statements.issue_statement(company, today(), today(), fin)
    for stranger in (other, buyer, fin):
        with pytest.raises(ValidationError, match="counterparty"):
            statements.confirm(s, by=stranger)
    s.refresh_from_db()
    assert s.state == Statement.State.ISSUED
    statements.confirm(s, by=user)
    s.refresh_from_db()
    assert s.state == Statement.State.CONFIRMED and s.answered_by == user and s.answered_at
    assert [(h.from_state, h.to_state) for h in history(s)] == [("issued", "confirmed")]
    with pytest.raises(ValidationError, match="cannot become"):
        statements.dispute(s, reason="金额不对", by=user)


def test_a_dispute_needs_a_reason_opens_a_work_item_and_mails_the_finance_team():
    fin = finance_operator()
    bystander = factories.operator("bystander")  # a superuser: may manage finance too
    looker = factories.operator("looker")
    looker.is_superuser = False
    looker.save()
    user, company = world()
    s = statements.issue_statement(company, today(), today(), fin)
    with pytest.raises(ValidationError, match="what is wrong"):
        statements.dispute(s, reason="  ", by=user)
    assert not OutboxMessage.objects.exists()
    statements.dispute(s, reason="订单 A-7 已于 11 月 20 日付款", by=user)
    s.refresh_from_db()
    assert s.state == Statement.State.DISPUTED and "A-7" in s.dispute_reason
    assert list(selectors.disputes()) == [s]
    mails = OutboxMessage.objects.filter(topic="finance.statement.disputed", channel="email")
    assert sorted(mails.values_list("recipient", flat=True)) == sorted([fin.email, bystander.email])
    assert s.number in mails.first().payload["subject"]
    # resolving is for the finance team, with a resolution
    with pytest.raises(ValidationError, match="finance team"):
        statements.resolve(s, resolution="x", by=user)
    with pytest.raises(ValidationError, match="how the dispute"):
        statements.resolve(s, resolution="", by=fin)
    statements.resolve(s, resolution="已核实，付款在下期入账", by=fin)
    s.refresh_from_db()
    assert s.state == Statement.State.RESOLVED and s.resolved_by == fin
    assert not selectors.disputes().exists()
    # a disputed period may get a corrected statement
    assert statements.issue_statement(company, today(), today(), fin).number != s.number


def test_supplier_staff_answer_their_supplier_s_statement_only():
    fin = finance_operator()
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    df = factories.supplier("df", "宁波东方电气设备有限公司")
    jg_staff, df_staff = factories.supplier_staff(jg, "jgstaff"), factories.supplier_staff(df, "dfstaff")
    s = statements.issue_statement(jg, today(), today(), fin)
    with pytest.raises(ValidationError, match="counterparty"):
        statements.dispute(s, reason="不对", by=df_staff)
    statements.dispute(s, reason="少了一笔结算", by=jg_staff)
    s.refresh_from_db()
    assert s.state == Statement.State.DISPUTED
    assert list(selectors.supplier_statements(df_staff)) == []
    assert list(selectors.supplier_statements(jg_staff)) == [s]


def _last_month() -> date:
    return (business_date().replace(day=1) - timedelta(days=1)).replace(day=1)


def test_closing_a_month_refuses_postings_dated_in_it_and_corrections_post_today():
    fin = finance_operator()
    user, company = world()
    month = _last_month()
    closed = statements.close_period(month, by=fin)
    assert closed.month == month and closed.closed_by == fin
    count = JournalEntry.objects.count()
    with pytest.raises(LedgerError, match="closed"):
        posting(
            "order:A-7:late",
            chart.ORDER_SECURED,
            [(chart.RECEIVABLE_ORDERS, 100, {"company_id": company.pk}), (chart.REVENUE, -100, PLATFORM)],
            on=month + timedelta(days=3),
            order_number="A-7",
        )
    assert JournalEntry.objects.count() == count
    posting(
        "order:A-7:late",
        chart.ORDER_SECURED,
        [(chart.RECEIVABLE_ORDERS, 100, {"company_id": company.pk}), (chart.REVENUE, -100, PLATFORM)],
        on=today(),
        order_number="A-7",
    )
    with pytest.raises(ValidationError, match="cannot be reopened"):
        statements.reopen(closed, by=fin)
    assert ClosedPeriod.objects.filter(month=month).exists()
    with pytest.raises(ValidationError, match="already closed"):
        statements.close_period(month, by=fin)
    assert_books_hold()


def test_a_month_is_not_closed_before_it_ends_nor_by_someone_outside_finance():
    fin = finance_operator()
    with pytest.raises(ValidationError, match="not ended"):
        statements.close_period(business_date(), by=fin)
    looker = factories.operator("looker")
    looker.is_superuser = False
    looker.save()
    with pytest.raises(ValidationError, match="finance team"):
        statements.close_period(_last_month(), by=looker)
    assert not ClosedPeriod.objects.exists()


def test_a_month_with_a_receipt_awaiting_approval_is_not_closed():
    fin = finance_operator()
    user, company = world()
    month = _last_month()
    Receipt.objects.create(
        number="SK-20261001-000001",
        bank_reference="B-1",
        received_on=month + timedelta(days=4),
        amount="10.00",
        payer_name=company.legal_name,
        company=company,
        state=Receipt.State.PENDING,
    )
    with pytest.raises(ValidationError) as refused:
        statements.close_period(month, by=fin)
    assert "SK-20261001-000001" in str(refused.value) and "not posted" in str(refused.value)
    assert not ClosedPeriod.objects.exists()
    Receipt.objects.update(state=Receipt.State.APPROVED)
    assert statements.close_period(month, by=fin).month == month


def test_finance_check_reports_an_entry_written_into_a_month_after_it_was_closed():
    user, company = world()
    month = _last_month()
    entry = posting(
        "order:A-7:backdated",
        chart.ORDER_SECURED,
        [(chart.RECEIVABLE_ORDERS, 100, {"company_id": company.pk}), (chart.REVENUE, -100, PLATFORM)],
        on=month + timedelta(days=1),
        order_number="A-7",
    )
    closed = ClosedPeriod.objects.create(month=month)
    assert_books_hold()  # closed after the entry was written: fine
    # as if the entry had slipped in after the closing (by hand, or racing it)
    ClosedPeriod.objects.filter(pk=closed.pk).update(closed_at=entry.created_at - timedelta(minutes=1))
    from plugins.finance.services.reconcile import check

    errors = check().errors
    assert len(errors) == 1 and "order:A-7:backdated" in errors[0] and "closed before it was written" in errors[0]


def test_issuing_for_everyone_skips_the_quiet_and_those_already_issued():
    fin = finance_operator()
    user, company = world()  # 123.45 secured two days ago
    factories.distributor("quiet")  # no accounts: no statement
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    posting(
        "settlement:JS-9",
        chart.SETTLEMENT,
        [(chart.COST_OF_GOODS, 1000, PLATFORM), (chart.PAYABLE, -1000, {"supplier_id": jg.pk})],
        on=today(),
    )
    start, end = today() - timedelta(days=5), today()
    already = statements.issue_statement(company, start, end, fin)
    made = statements.issue_for_period(start, end, fin)
    assert [(s.company_id, s.supplier_id) for s in made] == [(None, jg.pk)]
    assert made[0].figures["payables"] == 1000
    assert statements.issue_for_period(start, end, fin) == []
    assert Statement.objects.count() == 2 and already.state == Statement.State.ISSUED
    looker = factories.operator("looker")
    looker.is_superuser = False
    looker.save()
    with pytest.raises(ValidationError, match="finance team"):
        statements.issue_for_period(start, end, looker)
