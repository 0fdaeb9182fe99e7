"""Exports a spreadsheet opens: a cell that would start a formula (= + - @, tab, CR) stays text,
Chinese survives Excel (UTF-8 with a BOM), statuses are in the reader's language."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook
from oscar.core.loading import get_model

from core.tabular import csv_bytes, safe_cell, xlsx_bytes
from tests import factories

Order = get_model("order", "Order")

ATTACK = "=cmd|' /C calc'!A0"


def test_formula_starts_become_text_and_numbers_stay_numbers():
    for value in (ATTACK, "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert safe_cell(value) == "'" + value
    assert safe_cell("华南五金") == "华南五金"
    assert safe_cell(-5) == -5 and safe_cell(None) == ""


def test_csv_and_xlsx_writers_neutralise_every_cell():
    data = csv_bytes(["名称", "=header"], [[ATTACK, -3], ["普通", "+86 138"]])
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [["名称", "'=header"], ["'" + ATTACK, "-3"], ["普通", "'+86 138"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(["名称"], [[ATTACK], [12.5]], title="导出"))).active
    assert sheet.title == "导出"
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == ["名称", "'" + ATTACK, 12.5]


def test_operator_order_export_is_safe_and_in_chinese(client, catalogue):
    buyer = factories.distributor("csvbuyer")
    order = factories.place_order(buyer, [(catalogue["bolt"], 2)], secure=False)
    order.shipping_address.first_name, order.shipping_address.last_name = "", ATTACK
    order.shipping_address.save()
    client.force_login(factories.operator())
    response = client.post(
        reverse("dashboard:order-list"), {"action": "download_selected_orders", "selected_order": [order.pk]}
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, row = rows[0], rows[1]
    assert header == ["订单号", "订单金额", "下单时间", "商品件数", "状态", "客户邮箱", "收货人", "开票人"]
    assert row[0] == order.number and row[4] == "待付款"
    assert "待付款" in row and "Pending payment" not in row
    assert "'" + ATTACK in row and ATTACK not in row
