"""``monthly_values`` (XYZ's input) and ``first_sale_dates`` (new vs repeat companies) of the
PostgreSQL backend against an independent pandas computation on the same generated facts, for
every filter case of the reference test (the rollup answers whole months, the facts the rest)."""

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from plugins.bigdata.backends.base import CompanyFirstSale, Filters, Measure, MonthlyValue, Period
from plugins.bigdata.backends.postgres import PostgresBackend
from plugins.bigdata.services.facts import write
from tests.bigdata.generated import generate
from tests.bigdata.test_reference import CASES, select

pytestmark = pytest.mark.django_db
PG = PostgresBackend()

#: a late period: most companies bought first before it starts (the start must not apply)
LATE = Filters(period=Period(date(2025, 11, 10), date(2025, 12, 20)))


@pytest.fixture
def frame() -> pd.DataFrame:
    rows = generate()
    assert write(rows) == len(rows)
    return pd.DataFrame(
        [
            {
                "kind": f.kind,
                "date": f.date,
                "month": f.month,
                "company_id": f.dims.company_id,
                "province_code": f.dims.province_code,
                "city": f.dims.city,
                "tier_code": f.dims.tier_code,
                "salesperson_id": f.dims.salesperson_id or 0,
                "supplier_id": f.supplier_id,
                "category_id": f.category_id,
                "product_id": f.product_id,
                "quantity": f.quantity,
                "revenue": f.revenue,
                "cost": f.cost,
            }
            for f in rows
        ]
    )


def monthly_reference(df: pd.DataFrame, measure: Measure) -> list[MonthlyValue]:
    df = df.assign(margin=df["revenue"] - df["cost"]).dropna(subset=["product_id"])
    sums = df.groupby(["product_id", "month"])[str(measure)].sum().reset_index()
    rows = [MonthlyValue(int(p), m, int(v)) for p, m, v in sums.itertuples(index=False)]
    return sorted(rows, key=lambda r: (r.product_id, r.month))


def first_sales_reference(frame: pd.DataFrame, filters: Filters) -> list[CompanyFirstSale]:
    df = select(frame, replace(filters, period=None))
    if filters.period:
        df = df[df["date"] <= filters.period.end]
    sales = df[(df["kind"] == "sale") & df["company_id"].notna()]
    first = sales.groupby("company_id")["date"].min()
    return [CompanyFirstSale(int(c), d) for c, d in sorted(first.items())]


def test_monthly_values_match_pandas_to_the_fen(frame):
    for name, filters in {**CASES, "late": LATE}.items():
        for measure in Measure:
            got = PG.monthly_values(filters, measure)
            assert all(type(r.value) is int and type(r.month) is date for r in got), (name, measure)
            assert got == monthly_reference(select(frame, filters), measure), (name, measure)
            assert got, (name, measure)


def test_monthly_values_sum_to_the_product_values(frame):
    filters = CASES["whole months (rollup)"]
    totals: dict[int, int] = {}
    for row in PG.monthly_values(filters, Measure.MARGIN):
        assert row.month.day == 1 and date(2025, 3, 1) <= row.month <= date(2025, 8, 1)
        totals[row.product_id] = totals.get(row.product_id, 0) + row.value
    assert totals == {v.product_id: v.value for v in PG.product_values(filters, Measure.MARGIN)}


def test_a_product_whose_month_nets_to_zero_is_listed_with_zero(frame):
    # product 1004 was sold and cancelled in January 2025 (generated edge case)
    rows = [r for r in PG.monthly_values(Filters(), Measure.REVENUE) if r.product_id == 1004]
    assert rows == [MonthlyValue(1004, date(2025, 1, 1), 0)]


def test_first_sale_dates_match_pandas(frame):
    for name, filters in {**CASES, "late": LATE}.items():
        got = PG.first_sale_dates(filters)
        assert got == first_sales_reference(frame, filters), name
        assert got, name


def test_first_sale_dates_ignore_the_period_start_but_not_its_end(frame):
    got = PG.first_sale_dates(LATE)
    assert any(r.first_date < LATE.period.start for r in got)  # bought before: a repeat company
    assert all(r.first_date <= LATE.period.end for r in got)
    everything = {r.company_id: r.first_date for r in PG.first_sale_dates(Filters())}
    assert {r.company_id: r.first_date for r in got}.items() <= everything.items()
    early = PG.first_sale_dates(Filters(period=Period(date(2025, 1, 1), date(2025, 1, 3))))
    assert len(early) < len(everything)
