"""The statements screens: the back office issues, resolves and closes; a company's 财务/admin
and a supplier's staff see, confirm, dispute and download their own statements only; exports
(CSV formula-safe, XLSX, Chinese PDF); the ledger browser's trial balance and drill-down with a
fixed number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from plugins.finance import chart
from plugins.finance.models import ClosedPeriod, Statement
from plugins.finance.services import statements
from plugins.finance.services.ledger import account
from plugins.finance.statements import exports
from tests import factories
from tests.finance.fixtures_statements import finance_operator, order_of, posting, today

pytestmark = pytest.mark.django_db
PLATFORM: dict = {}


def said(body: str, english: str, chinese: str) -> bool:
    """The page says it, in English or in Chinese (the catalogues may or may not be compiled)."""
    return english in body or chinese in body


def client_of(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def company_with_orders(key: str, n: int, memo_prefix: str = ""):
    user = factories.distributor(key)
    company = factories.company_of(user)
    for i in range(n):
        order = order_of(user, f"{key.upper()}-{i}")
        posting(
            f"order:{order.number}:secured",
            chart.ORDER_SECURED,
            [(chart.RECEIVABLE_ORDERS, 1000 + i, {"company_id": company.pk}), (chart.REVENUE, -(1000 + i), PLATFORM)],
            on=today() - timedelta(days=1),
            order_number=order.number,
        )
    return user, company


@pytest.fixture
def fin(db):
    return finance_operator()


def test_back_office_issues_and_shows_a_statement_and_bad_input_changes_nothing(fin):
    user, company = company_with_orders("alpha", 2)
    c = client_of(fin)
    url = reverse("finance-dashboard:statement-issue")
    assert c.get(url).status_code == 200
    bad = c.post(url, {"action": "issue", "company": company.pk, "period_start": today(), "period_end": "x"})
    assert bad.status_code == 400 and not Statement.objects.exists()
    both = c.post(
        url,
        {
            "action": "issue",
            "company": company.pk,
            "supplier": "",
            "period_start": today() + timedelta(days=1),
            "period_end": today() + timedelta(days=2),
        },
    )
    assert (
        both.status_code == 400
        and said(both.content.decode(), "not ended", "尚未结束")
        and not Statement.objects.exists()
    )
    ok = c.post(
        url,
        {"action": "issue", "company": company.pk, "period_start": today() - timedelta(days=3), "period_end": today()},
    )
    s = Statement.objects.get()
    assert ok.status_code == 302 and ok["Location"] == reverse("finance-dashboard:statement-detail", args=[s.number])
    page = c.get(ok["Location"]).content.decode()
    assert s.number in page and "20.01" in page  # orders: 10.00 + 10.01
    listing = c.get(reverse("finance-dashboard:statement-list"), {"q": company.legal_name[:4]}).content.decode()
    assert s.number in listing


def test_the_company_confirms_and_disputes_in_the_storefront_and_others_get_404(fin):
    user, company = company_with_orders("alpha", 1)
    s1 = statements.issue_statement(company, today() - timedelta(days=3), today(), fin)
    s2 = statements.issue_statement(company, today() - timedelta(days=2), today(), fin)
    beta = factories.distributor("beta")
    for who in (beta,):
        other = client_of(who)
        assert other.get(reverse("finance:statement-detail", args=[s1.number])).status_code == 404
        assert (
            other.post(reverse("finance:statement-detail", args=[s1.number]), {"action": "confirm"}).status_code == 404
        )
        assert other.get(reverse("finance:statement-export", args=[s1.number, "csv"])).status_code == 404
        assert s1.number not in other.get(reverse("finance:statement-list")).content.decode()
    c = client_of(user)
    assert s1.number in c.get(reverse("finance:statement-list")).content.decode()
    assert c.post(reverse("finance:statement-detail", args=[s1.number]), {"action": "confirm"}).status_code == 302
    empty = c.post(reverse("finance:statement-detail", args=[s2.number]), {"action": "dispute", "reason": ""})
    assert empty.status_code == 400
    s2.refresh_from_db()
    assert s2.state == Statement.State.ISSUED
    c.post(reverse("finance:statement-detail", args=[s2.number]), {"action": "dispute", "reason": "少记一笔收款"})
    s1.refresh_from_db(), s2.refresh_from_db()
    assert (s1.state, s2.state) == (Statement.State.CONFIRMED, Statement.State.DISPUTED)
    disputes = client_of(fin).get(reverse("finance-dashboard:statement-disputes")).content.decode()
    assert s2.number in disputes and "少记一笔收款" in disputes and s1.number not in disputes
    # resolve in the back office
    r = client_of(fin).post(
        reverse("finance-dashboard:statement-detail", args=[s2.number]), {"action": "resolve", "resolution": "已补记"}
    )
    assert r.status_code == 302
    s2.refresh_from_db()
    assert s2.state == Statement.State.RESOLVED


def test_the_supplier_portal_shows_only_the_supplier_s_statements(fin):
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    df = factories.supplier("df", "宁波东方电气设备有限公司")
    jg_staff, df_staff = factories.supplier_staff(jg, "jgstaff"), factories.supplier_staff(df, "dfstaff")
    s = statements.issue_statement(jg, today(), today(), fin)
    df_client, jg_client = client_of(df_staff), client_of(jg_staff)
    assert df_client.get(reverse("finance-dashboard:statement-portal-detail", args=[s.number])).status_code == 404
    assert (
        df_client.post(reverse("finance-dashboard:statement-portal-detail", args=[s.number]), {"action": "confirm"})
    ).status_code == 404
    assert s.number not in df_client.get(reverse("finance-dashboard:statement-portal-list")).content.decode()
    assert s.number in jg_client.get(reverse("finance-dashboard:statement-portal-list")).content.decode()
    jg_client.post(reverse("finance-dashboard:statement-portal-detail", args=[s.number]), {"action": "confirm"})
    s.refresh_from_db()
    assert s.state == Statement.State.CONFIRMED
    pdf = jg_client.get(reverse("finance-dashboard:statement-portal-export", args=[s.number, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        jg_client.get(reverse("finance-dashboard:statement-portal-export", args=[s.number, "exe"])).status_code == 404
    )


def test_csv_cells_that_look_like_formulas_are_neutralised_and_xlsx_reads_back(fin):
    user = factories.distributor("evil")
    company = factories.company_of(user)
    company.legal_name = '=HYPERLINK("http://x")有限公司'
    company.save()
    order = order_of(user, "EV-1")
    entry = posting(
        "order:EV-1:secured",
        chart.ORDER_SECURED,
        [(chart.RECEIVABLE_ORDERS, 5000, {"company_id": company.pk}), (chart.REVENUE, -5000, PLATFORM)],
        on=today(),
        order_number=order.number,
    )
    from plugins.finance.models import JournalEntry

    assert JournalEntry.objects.filter(pk=entry.pk).exists()
    s = statements.issue_statement(company, today(), today(), fin)
    text = b"".join(
        x.encode() if isinstance(x, str) else x
        for x in client_of(user).get(reverse("finance:statement-export", args=[s.number, "csv"])).streaming_content
    ).decode("utf-8-sig")
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert '\'=HYPERLINK("http://x")有限公司' in cells
    assert not any(c.startswith(("=", "+", "@")) for c in cells)
    assert "50.00" in cells and "EV-1" in cells
    assert exports.safe("-1+2") == "'-1+2" and exports.safe("\tx") == "'\tx" and exports.safe("正常") == "正常"
    from openpyxl import load_workbook

    xlsx = client_of(fin).get(reverse("finance-dashboard:statement-export", args=[s.number, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [v for row in sheet.iter_rows(values_only=True) for v in row if v is not None]
    assert '\'=HYPERLINK("http://x")有限公司' in values and 50.0 in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_closed_periods_page_closes_and_refuses_to_reopen(fin):
    c = client_of(fin)
    url = reverse("finance-dashboard:statement-periods")
    assert c.post(url, {"action": "close", "month": "not-a-month"}).status_code == 400
    future = c.post(url, {"action": "close", "month": f"{today():%Y-%m}"})
    assert future.status_code == 400 and not ClosedPeriod.objects.exists()
    last = (today().replace(day=1) - timedelta(days=1)).replace(day=1)
    assert c.post(url, {"action": "close", "month": f"{last:%Y-%m}"}).status_code == 302
    period = ClosedPeriod.objects.get()
    refused = c.post(url, {"action": "reopen", "period": period.pk}, follow=True)
    assert said(refused.content.decode(), "cannot be reopened", "不能反结账")
    assert ClosedPeriod.objects.filter(pk=period.pk).exists()
    looker = factories.operator("looker")
    looker.is_superuser = False
    looker.save()
    looker.groups.add(__import__("django.contrib.auth.models", fromlist=["Group"]).Group.objects.get(name="operators"))
    before = f"{(last - timedelta(days=1)).replace(day=1):%Y-%m}"
    assert client_of(looker).post(url, {"action": "close", "month": before}).status_code == 400
    assert ClosedPeriod.objects.count() == 1


def _ledger_queries(c, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert c.get(url, params or {}).status_code == 200
    return len(ctx.captured_queries)


def test_the_trial_balance_filters_and_drills_down_with_a_fixed_number_of_queries(fin):
    c = client_of(fin)
    company_with_orders("small", 2)
    small = _ledger_queries(c, reverse("finance-dashboard:ledger"))
    user, company = company_with_orders("big", 12)
    assert _ledger_queries(c, reverse("finance-dashboard:ledger")) == small
    page = c.get(
        reverse("finance-dashboard:ledger"), {"code": "1122", "owner_name": company.legal_name}
    ).content.decode()
    assert company.legal_name in page and "120.66" in page  # 12 orders: 10.00 … 10.11
    acct = account(chart.RECEIVABLE_ORDERS, company_id=company.pk)
    url = reverse("finance-dashboard:ledger-account", args=[acct.pk])
    few = _ledger_queries(c, url, {"kind": chart.ORDER_SECURED})
    company_with_orders("big2", 0)
    posting(
        "order:BIG-x:secured",
        chart.ORDER_SECURED,
        [(chart.RECEIVABLE_ORDERS, 7, {"company_id": company.pk}), (chart.REVENUE, -7, PLATFORM)],
        on=today(),
    )
    assert _ledger_queries(c, url, {"kind": chart.ORDER_SECURED}) == few
    body = c.get(url, {"order_number": "BIG-3"}).content.decode()
    assert "BIG-3" in body and "BIG-4" not in body
    assert c.get(reverse("finance-dashboard:ledger-account", args=[999999])).status_code == 404
    bad = c.get(reverse("finance-dashboard:ledger"), {"since": today(), "until": today() - timedelta(days=1)})
    assert bad.status_code == 200 and said(bad.content.decode(), "ends before it starts", "早于开始日期")


def test_an_operator_outside_finance_may_look_but_not_issue_or_resolve(fin):
    from django.contrib.auth.models import Group

    user, company = company_with_orders("alpha", 1)
    s = statements.issue_statement(company, today(), today(), fin)
    statements.dispute(s, reason="不对", by=user)
    looker = factories.operator("looker")
    looker.is_superuser = False
    looker.save()
    looker.groups.add(Group.objects.get_or_create(name="operators")[0])
    c = client_of(looker)
    assert s.number in c.get(reverse("finance-dashboard:statement-detail", args=[s.number])).content.decode()
    refused = c.post(
        reverse("finance-dashboard:statement-detail", args=[s.number]), {"action": "resolve", "resolution": "好"}
    )
    assert refused.status_code == 400
    s.refresh_from_db()
    assert s.state == Statement.State.DISPUTED and s.resolution == ""
    issue = c.post(
        reverse("finance-dashboard:statement-issue"),
        {"action": "issue", "company": company.pk, "period_start": today() - timedelta(days=1), "period_end": today()},
    )
    assert issue.status_code == 400 and Statement.objects.count() == 1
    pdf = client_of(user).get(reverse("finance:statement-export", args=[s.number, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and pdf["Content-Type"] == "application/pdf"


def test_the_back_office_shows_what_the_ledger_moved_since_issuing(fin):
    user, company = company_with_orders("alpha", 1)
    s = statements.issue_statement(company, today() - timedelta(days=3), today(), fin)
    url = reverse("finance-dashboard:statement-detail", args=[s.number])
    assert 'id="statement-drift"' not in client_of(fin).get(url).content.decode()
    posting(
        "order:ALPHA-late:secured",
        chart.ORDER_SECURED,
        [(chart.RECEIVABLE_ORDERS, 777, {"company_id": company.pk}), (chart.REVENUE, -777, PLATFORM)],
        on=today() - timedelta(days=2),
    )
    page = client_of(fin).get(url).content.decode()
    assert 'id="statement-drift"' in page and "¥10.00 → ¥17.77" in page
    s.refresh_from_db()
    assert s.figures["orders"] == 1000  # the statement itself stays as issued


def test_the_back_office_issues_for_everyone_in_one_click(fin):
    company_with_orders("alpha", 2)
    company_with_orders("beta", 1)
    c = client_of(fin)
    url = reverse("finance-dashboard:statement-issue")
    assert c.post(url, {"action": "issue_all", "period_start": "x"}).status_code == 400
    assert not Statement.objects.exists()
    done = c.post(url, {"action": "issue_all", "period_start": today() - timedelta(days=5), "period_end": today()})
    assert done.status_code == 302 and done["Location"] == reverse("finance-dashboard:statement-list")
    assert Statement.objects.count() == 2


def test_the_menus_lead_operators_and_suppliers_to_their_statement_pages(fin):
    jg = factories.supplier("jg", "苏州精工五金制品有限公司")
    staff = factories.supplier_staff(jg, "jgstaff")
    operator_page = client_of(fin).get(reverse("finance-dashboard:statement-disputes")).content.decode()
    for name in ("statement-list", "statement-disputes", "statement-periods", "ledger"):
        assert reverse(f"finance-dashboard:{name}") in operator_page
    portal_page = client_of(staff).get(reverse("finance-dashboard:statement-portal-list")).content.decode()
    assert reverse("finance-dashboard:statement-portal-list") in portal_page
    assert reverse("finance-dashboard:ledger") not in portal_page
    assert reverse("finance-dashboard:statement-list") not in portal_page
