"""A buyer exports their order history and its lines (CSV and XLSX) from the order history page:
their own orders only, amounts to the fen, statuses in their language, the page's filters obeyed,
cells a spreadsheet would run made text; nobody else may export."""

import csv
import io
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.django_db

URL = reverse("storefront:order-export")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def orders(catalogue):
    buyer, other = factories.distributor("buyer"), factories.distributor("other")
    mine = factories.place_order(buyer, [(catalogue["bolt"], 3), (catalogue["wire"], 1)])
    older = factories.place_order(buyer, [(catalogue["nut"], 2)], secure=False)
    older.date_placed = timezone.now() - timedelta(days=40)
    older.save(update_fields=["date_placed"])
    theirs = factories.place_order(other, [(catalogue["breaker"], 1)])
    return {"buyer": buyer, "mine": mine, "older": older, "theirs": theirs}


def test_orders_export_has_my_orders_only_to_the_fen(orders):
    client = signed_in(orders["buyer"])
    rows = csv_rows(client.get(URL, {"what": "orders", "format": "csv"}))
    assert rows[0][:5] == ["订单号", "下单时间", "状态", "采购单号", "下单人"]
    numbers = [row[0] for row in rows[1:]]
    assert numbers == [orders["mine"].number, orders["older"].number]  # newest first
    assert orders["theirs"].number not in numbers
    mine = orders["mine"]
    row = rows[1]
    assert row[2] == "已确认" and rows[2][2] == "待付款"
    assert row[5] == "4"
    assert row[6] == str(mine.total_incl_tax - mine.shipping_incl_tax)  # goods: 3 × 32.00 + 218.00
    assert row[6] == "314.00"
    assert row[7] == str(mine.shipping_incl_tax) and row[8] == str(mine.total_incl_tax)
    assert row[9] == "张三" and row[10].startswith("广东省 深圳市")


def test_lines_export_and_xlsx(orders):
    client = signed_in(orders["buyer"])
    rows = csv_rows(client.get(URL, {"what": "lines", "format": "csv"}))
    assert rows[0] == ["订单号", "下单时间", "状态", "SKU", "商品", "供应商", "数量", "单价", "小计", "行状态"]
    lines = {(row[0], row[3]): row for row in rows[1:]}
    assert set(lines) == {
        (orders["mine"].number, "JG-HB-M8-30"),
        (orders["mine"].number, "DF-BV-2.5"),
        (orders["older"].number, "JG-HN-M8"),
    }
    bolt = lines[(orders["mine"].number, "JG-HB-M8-30")]
    assert bolt[4:9] == ["外六角螺栓 M8×30", "苏州精工五金制品有限公司", "3", "32.00", "96.00"]

    response = client.get(URL, {"what": "lines", "format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][3] == "SKU" and len(values) == 4
    assert any(row[3] == "JG-HB-M8-30" and row[7] == 32 and row[8] == 96 for row in values[1:])


def test_the_history_filters_apply_and_bad_ones_are_refused(orders):
    client = signed_in(orders["buyer"])
    since = (timezone.localdate() - timedelta(days=7)).isoformat()
    rows = csv_rows(client.get(URL, {"what": "orders", "format": "csv", "date_from": since}))
    assert [row[0] for row in rows[1:]] == [orders["mine"].number]
    rows = csv_rows(client.get(URL, {"what": "orders", "format": "csv", "order_number": orders["older"].number}))
    assert [row[0] for row in rows[1:]] == [orders["older"].number]

    response = client.get(URL, {"what": "orders", "format": "csv", "date_from": "2026-02-30"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("customer:order-list")
    assert client.get(URL, {"what": "everything", "format": "csv"}).status_code == 404
    assert client.get(URL, {"what": "orders", "format": "pdf"}).status_code == 404


def test_a_consignee_a_spreadsheet_would_run_is_text(catalogue):
    buyer = factories.distributor("buyer2")
    order = factories.place_order(buyer, [(catalogue["bolt"], 1)])
    order.shipping_address.last_name = "=cmd|' /C calc'!A0"
    order.shipping_address.save()
    rows = csv_rows(signed_in(buyer).get(URL, {"what": "orders", "format": "csv"}))
    assert rows[1][9] == "'=cmd|' /C calc'!A0"


def test_the_history_page_links_its_filters_to_the_export(orders):
    client = signed_in(orders["buyer"])
    page = client.get(reverse("customer:order-list"), {"order_number": orders["mine"].number}).content.decode()
    assert f"{URL}?order_number={orders['mine'].number}&amp;what=lines&amp;format=xlsx" in page


@pytest.mark.parametrize("who", ["anonymous", "supplier", "operator"])
def test_nobody_else_may_export(orders, catalogue, who):
    client = Client()
    if who == "supplier":
        client.force_login(factories.supplier_staff(catalogue["suppliers"]["jg"]))
    elif who == "operator":
        client.force_login(factories.operator())
    response = client.get(URL, {"what": "orders", "format": "csv"})
    assert response.status_code in (302, 403)
    assert orders["mine"].number.encode() not in response.content
