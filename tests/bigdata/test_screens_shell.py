"""The analytics screens' shell: the filter bar refuses bad input field by field, a salesperson
sees only the sales credited to them whatever they ask for, others see nothing, and tables show
and export money to the fen (exports formula-safe)."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from plugins.bigdata.backends.base import Filters, Period, Region
from plugins.bigdata.screens.filters import FilterForm, default_period
from plugins.bigdata.screens.scope import scoped
from plugins.bigdata.screens.tables import Column, Table
from plugins.bigdata.screens.views import AnalyticsView
from tests import factories

pytestmark = pytest.mark.django_db


def form(**data) -> FilterForm:
    query = QueryDict(mutable=True)
    query.update(data)
    return FilterForm(query)


def test_default_period_is_the_last_twelve_months():
    assert default_period(date(2026, 11, 29)) == (date(2025, 12, 1), date(2026, 11, 29))
    assert default_period(date(2026, 1, 5)) == (date(2025, 2, 1), date(2026, 1, 5))
    f = form()
    assert f.is_valid(), f.errors
    assert f.filters().period == Period(*default_period())


def test_filters_from_valid_input():
    supplier = factories.supplier()
    parent = factories.category("紧固件")
    child = factories.category("螺栓", parent=parent)
    f = form(
        start="2026-01-01",
        end="2026-03-31",
        province="440000",
        city="深圳市",
        supplier=str(supplier.pk),
        category=str(parent.pk),
    )
    assert f.is_valid(), f.errors
    filters = f.filters()
    assert filters.period == Period(date(2026, 1, 1), date(2026, 3, 31))
    assert filters.regions == (Region("440000", city="深圳市"),)
    assert filters.supplier_ids == (supplier.pk,)
    assert set(filters.category_ids) == {parent.pk, child.pk}  # a category covers what is under it


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"start": "2026-03-01", "end": "2026-02-01"}, "end", "The end date is before the start date."),
        ({"start": "2020-01-01", "end": "2026-01-02"}, "end", "A period may cover at most five years."),
        ({"start": "1999-12-31", "end": "2000-01-02"}, "start", "Dates before 2000-01-01 are not covered."),
        ({"start": "2026-02-30"}, "start", "Enter a valid date."),
        ({"city": "深圳市"}, "city", "Choose the province of the city first."),
        ({"province": "999999"}, "province", "Select a valid choice. 999999 is not one of the available choices."),
        ({"supplier": "99999"}, "supplier", "Select a valid choice. That choice is not one of the available choices."),
        ({"city": "深" * 65, "province": "440000"}, "city", "Ensure this value has at most 64 characters (it has 65)."),
    ],
)
def test_bad_filters_are_refused_with_a_message(data, field, message):
    with translation.override("en"):
        f = form(**data)
        assert not f.is_valid()
        assert message in f.errors[field]


def test_chinese_messages():
    with translation.override("zh-hans"):
        f = form(start="2026-03-01", end="2026-02-01")
        assert not f.is_valid()
        assert f.errors["end"] == ["结束日期早于开始日期。"]


def test_a_salesperson_sees_only_their_own_sales_whatever_they_ask():
    wang, li = factories.salesperson("wang"), factories.salesperson("li")
    asked = Filters(salesperson_ids=(li.pk,))
    assert scoped(wang, asked).salesperson_ids == (wang.pk,)
    assert scoped(wang, Filters()).salesperson_ids == (wang.pk,)
    assert scoped(factories.operator(), asked) == asked


@pytest.mark.parametrize("who", ["distributor", "supplier", "anonymous"])
def test_nobody_else_sees_analytics(who):
    from django.contrib.auth.models import AnonymousUser

    user = {
        "distributor": lambda: factories.distributor("d1"),
        "supplier": lambda: factories.supplier_staff(factories.supplier()),
        "anonymous": AnonymousUser,
    }[who]()
    with pytest.raises(PermissionDenied):
        scoped(user, Filters())


class Page(AnalyticsView):
    """A page as an area builds one: one table of what the filters asked."""

    template_name = "bigdata/dashboard/base.html"
    title = "t"

    def report(self, filters):
        rows = [("=cmd|' /C calc'!A0", 1234567, 3, Decimal("12.345")), ("广东", -5, None, None)]
        columns = [Column("name"), Column("revenue", "fen"), Column("orders", "int"), Column("share", "percent")]
        self.seen = filters
        return {"tables": [Table("t1", "Table", columns, rows)], "charts": []}


def get(user, **params):
    request = RequestFactory().get("/x/", params)
    request.user = user
    view = Page()
    response = Page.as_view()(request)
    return response, view


def test_table_shows_yuan_and_exports_numbers_formula_safe():
    operator = factories.operator()
    response, _ = get(operator)
    response.render()
    html = response.content.decode()
    assert "¥12,345.67" in html and "¥-0.05" in html and "12.3%" in html and "—" in html
    assert "export=csv" in html and "table=t1" in html

    response, _ = get(operator, export="csv", table="t1")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["name", "revenue", "orders", "share"]
    assert rows[1] == ["'=cmd|' /C calc'!A0", "12345.67", "3", "12.3"]
    assert rows[2] == ["广东", "-0.05", "", ""]

    response, _ = get(operator, export="xlsx", table="t1")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]] == ["'=cmd|' /C calc'!A0", 12345.67, 3, 12.3]


def test_unknown_export_is_not_found_and_bad_filters_run_no_report():
    from django.http import Http404

    operator = factories.operator()
    with pytest.raises(Http404):
        get(operator, export="pdf", table="t1")
    with pytest.raises(Http404):
        get(operator, export="csv", table="nope")
    with translation.override("en"):
        response, _ = get(operator, start="2026-03-01", end="2026-02-01")
        response.render()
    html = response.content.decode()
    assert "The end date is before the start date." in html
    assert "table-t1" not in html
