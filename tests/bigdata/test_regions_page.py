"""The regional distribution page (数据分析 › 区域分布): provinces on the China map (示意图) beside a
ranked table, the metric switch, the drill-down to cities, the export, and who sees what — on facts
written through the real writer, with refunds and a cancellation, to the fen."""

import csv
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from core.regions import PROVINCES
from plugins.bigdata import facts
from plugins.bigdata.regions.selectors import MAP_NAMES
from plugins.bigdata.services.facts import write
from tests import factories

pytestmark = pytest.mark.django_db

URL = "/dashboard/analytics/regions/"
CHINA_JSON = Path(__file__).resolve().parents[2] / "plugins/bigdata/static/bigdata/vendor/map/china.json"
GUANGDONG, ZHEJIANG = ("440000", "广东省"), ("330000", "浙江省")


def order(n, place, city, company, revenue, *, salesperson=None, days_ago=20, refund=0, cancelled=False):
    """The facts of one paid order of one line (refunded in part, or cancelled, if asked)."""
    code, name = place
    at = timezone.now() - timedelta(days=days_ago)
    dims = facts.Dimensions(
        order_id=n,
        order_number=f"10{n:04d}",
        company_id=company,
        company_name=f"企业{company}",
        salesperson_id=salesperson,
        province_code=code,
        province=name,
        city=city,
    )
    line = facts.LineSource(line_id=n * 10, quantity=2, revenue=revenue, product_id=n, unit_cost=revenue // 4)
    refunds = ()
    if refund:
        refunds = (
            facts.RefundSource(n, at + timedelta(days=2), (facts.RefundLineSource(n * 10 + 1, n * 10, 1, refund),)),
        )
    history = facts.OrderHistory(
        dims=dims,
        lines=(line,),
        secured_at=at,
        cancelled_at=at + timedelta(days=1) if cancelled else None,
        refunds=refunds,
    )
    return facts.order_facts(history)


def salesperson(key: str = "sales.a"):
    return factories.User.objects.create_user(
        username=key, email=f"{key}@example.cn", password=factories.PASSWORD, is_staff=True
    )


def write_sales(salesperson_id: int) -> None:
    """广东: 深圳 ¥1,000.00 (company 1, credited to the salesperson) and ¥500.00 less a ¥200.00
    refund (company 2); 广州 ¥300.01 cancelled the next day (company 1). 浙江: 杭州 ¥2,000.00
    (company 3). An order without a known province: ¥50.00 (company 4)."""
    rows = (
        order(1, GUANGDONG, "深圳市", 1, 100000, salesperson=salesperson_id)
        + order(2, GUANGDONG, "深圳市", 2, 50000, refund=20000)
        + order(3, GUANGDONG, "广州市", 1, 30001, cancelled=True)
        + order(4, ZHEJIANG, "杭州市", 3, 200000)
        + order(5, ("", ""), "", 4, 5000)
    )
    assert write(rows) == len(rows)


@pytest.fixture
def sales_a(db):
    return salesperson()


@pytest.fixture
def sold(sales_a):
    write_sales(sales_a.pk)


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def table(html: str, name: str) -> list[list[str]]:
    """The text of each body row of the table ``name`` (links and tags stripped)."""
    block = re.search(rf'id="table-{name}".*?<tbody>(.*?)</tbody>', html, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", block, re.S):
        rows.append([re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)])
    return rows


def chart_option(html: str, name: str) -> dict:
    found = re.search(rf'<script id="chart-option-{name}" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_every_province_code_names_a_feature_of_the_vendored_map():
    features = {f["id"]: f["properties"]["name"] for f in json.loads(CHINA_JSON.read_text())["features"]}
    assert len(features) == 34 == len(PROVINCES) == len(MAP_NAMES)
    for province in PROVINCES:
        assert features[province.code] == MAP_NAMES[province.code], province.name
        assert province.name.startswith(MAP_NAMES[province.code])  # 内蒙古自治区 → 内蒙古, 广东省 → 广东


def test_provinces_ranked_by_revenue_beside_the_map_to_the_fen(sold):
    page = client_of(factories.operator()).get(URL)
    assert page.status_code == 200
    html = page.content.decode()
    # rank, province, revenue, share, orders, active companies, 客单价
    rows = table(html, "provinces")
    assert rows[:2] == [
        ["1", "浙江省", "¥2,000.00", "59.7%", "1", "1", "¥2,000.00"],
        ["2", "广东省", "¥1,300.00", "38.8%", "2", "2", "¥650.00"],
    ]
    assert rows[2][1] in ("未知地区", "Unknown region") and rows[2][2:] == ["¥50.00", "1.5%", "1", "1", "¥50.00"]
    option = chart_option(html, "province-map")
    series = option["series"][0]
    assert series["type"] == "map" and series["map"] == "china"
    values = {d["name"]: d["value"] for d in series["data"]}
    assert len(values) == 34 and values["浙江"] == 2000.0 and values["广东"] == 1300.0 and values["北京"] == 0
    assert option["visualMap"]["max"] == 2000.0
    # a click on 广东 (or its row) opens its cities, with the page's filters
    assert option["_link"]["广东"] == "/dashboard/analytics/regions/440000/"
    assert 'href="/dashboard/analytics/regions/440000/"' in html
    assert 'data-map="china"' in html and "（示意图）</small>" in html  # the map's caption: a schematic map


def test_the_metric_switch_ranks_and_colours_by_orders(sold):
    page = client_of(factories.operator()).get(URL, {"metric": "orders"})
    rows = table(page.content.decode(), "provinces")
    # ties by code, a region unknown after the known ones
    assert [(r[0], r[1], r[4]) for r in rows[:2]] == [("1", "广东省", "2"), ("2", "浙江省", "1")]
    assert rows[2][0] == "3" and rows[2][4] == "1"
    option = chart_option(page.content.decode(), "province-map")
    data = {d["name"]: d["value"] for d in option["series"][0]["data"]}
    assert data["广东"] == 2 and data["浙江"] == 1
    assert option["_link"]["浙江"] == "/dashboard/analytics/regions/330000/?metric=orders"  # the switch goes along


def test_an_unknown_metric_is_refused_with_a_message_and_no_report(sold):
    page = client_of(factories.operator()).get(URL, {"metric": "profit"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="analytics-filter-errors"' in html and 'id="table-provinces"' not in html


def test_cities_of_a_province_on_drill_down(sold):
    client = client_of(factories.operator())
    page = client.get(URL + "440000/")
    html = page.content.decode()
    assert table(html, "cities") == [
        ["1", "深圳市", "¥1,300.00", "100.0%", "2", "2", "¥650.00"],
        ["2", "广州市", "¥0.00", "0.0%", "0", "0", "—"],
    ]
    bars = chart_option(html, "city-bars")
    assert bars["yAxis"]["data"] == ["广州市", "深圳市"] and bars["series"][0]["data"] == [0.0, 1300.0]
    assert client.get(URL + "999999/").status_code == 404


def test_the_ranked_table_exports_with_the_page_filters(sold):
    response = client_of(factories.operator()).get(URL, {"metric": "orders", "export": "csv", "table": "provinces"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[1][:5] == ["1", "广东省", "1300.00", "38.8", "2"]
    assert len(rows) == 4


def test_a_period_without_the_sales_shows_no_rows(sold):
    today = timezone.localdate()
    page = client_of(factories.operator()).get(URL, {"start": today.isoformat(), "end": today.isoformat()})
    html = page.content.decode()
    assert len(table(html, "provinces")) == 1 and 'class="text-muted no-rows"' in html


def test_a_salesperson_sees_only_the_sales_credited_to_them(sold, sales_a):
    page = client_of(sales_a).get(URL)
    assert table(page.content.decode(), "provinces") == [["1", "广东省", "¥1,000.00", "100.0%", "1", "1", "¥1,000.00"]]
    # asking for everyone's numbers changes nothing
    again = client_of(sales_a).get(URL, {"salesperson": ""})
    assert table(again.content.decode(), "provinces") == table(page.content.decode(), "provinces")


def test_distributors_and_suppliers_may_not_see_the_map(sold):
    assert client_of(factories.distributor("d1")).get(URL).status_code == 403
    staff = factories.supplier_staff(factories.supplier("jg"), "jgstaff")
    assert client_of(staff).get(URL + "440000/").status_code == 403
    assert Client().get(URL).status_code == 302  # to the login page
