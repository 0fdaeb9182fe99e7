"""The PostgreSQL backend's reports against an independent pandas computation on the same
generated facts, to the fen: province and city totals (revenue, orders, active companies, average
order value), ABC by revenue, quantity and margin over everything, a whole-months period (answered
from the rollup), a partial period and per province, supplier, salesperson and tier (answered
from the facts); and the rollup itself against a group-by of the facts."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd
import pytest

from plugins.bigdata.backends.base import Cutoffs, Filters, Measure, Period, Region
from plugins.bigdata.backends.postgres import PostgresBackend
from plugins.bigdata.models import MonthlySales
from plugins.bigdata.services.facts import write
from tests.bigdata.generated import generate

pytestmark = pytest.mark.django_db
PG = PostgresBackend()


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
                "order_id": f.dims.order_id,
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
                "freight": f.freight,
            }
            for f in rows
        ]
    )


def half_up(revenue: int, orders: int):
    if orders <= 0:
        return None
    return int((Decimal(revenue) / Decimal(orders)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def select(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    if filters.period:
        df = df[(df["date"] >= filters.period.start) & (df["date"] <= filters.period.end)]
    if filters.regions:
        mask = pd.Series(False, index=df.index)
        for r in filters.regions:
            mask |= (df["province_code"] == r.province_code) & ((df["city"] == r.city) if r.city else True)
        df = df[mask]
    for column, values in (
        ("supplier_id", filters.supplier_ids),
        ("category_id", filters.category_ids),
        ("salesperson_id", filters.salesperson_ids),
        ("tier_code", filters.tier_codes),
    ):
        if values:
            df = df[df[column].isin(values)]
    return df


def totals_reference(df: pd.DataFrame, key: str) -> list[tuple]:
    out = []
    for k, g in sorted(df.groupby(key), key=lambda item: item[0]):
        revenue = int(g["revenue"].sum())
        orders = (
            g.loc[g["kind"] == "sale", "order_id"].nunique() - g.loc[g["kind"] == "cancellation", "order_id"].nunique()
        )
        per_company = g.dropna(subset=["company_id"]).groupby("company_id")["revenue"].sum()
        out.append((k, revenue, int(orders), int((per_company > 0).sum()), half_up(revenue, orders)))
    return out


def abc_reference(df: pd.DataFrame, measure: Measure, a: int = 8000, b: int = 9500) -> list[tuple]:
    values = df.assign(margin=df["revenue"] - df["cost"])
    column = {"revenue": "revenue", "quantity": "quantity", "margin": "margin"}[measure]
    v = values.groupby("product_id")[column].sum().reset_index(name="value")
    positive = v[v["value"] > 0].sort_values(["value", "product_id"], ascending=[False, True])
    total = int(positive["value"].sum())
    positive = positive.assign(before=positive["value"].cumsum() - positive["value"])
    rows = [
        (int(p), int(val), int(bef), "A" if bef * 10000 < total * a else "B" if bef * 10000 < total * b else "C")
        for p, val, bef in positive[["product_id", "value", "before"]].itertuples(index=False)
    ]
    rest = v[v["value"] <= 0].sort_values(["value", "product_id"], ascending=[False, True])
    return rows + [(int(p), int(val), None, "N") for p, val in rest.itertuples(index=False)]


CASES = {
    "everything": Filters(),
    "whole months (rollup)": Filters(period=Period(date(2025, 3, 1), date(2025, 8, 31))),
    "partial period (facts)": Filters(period=Period(date(2025, 3, 14), date(2025, 9, 2))),
    "one province": Filters(regions=(Region("440000"),)),
    "a city": Filters(regions=(Region("440000", "二市"), Region("110000"))),
    "suppliers and months": Filters(period=Period(date(2025, 1, 1), date(2025, 12, 31)), supplier_ids=(1, 9)),
    "salesperson": Filters(salesperson_ids=(502,)),
    "tier and category": Filters(tier_codes=("gold",), category_ids=(2, 3, 4)),
}


def test_province_and_city_totals_match_pandas_to_the_fen(frame):
    for name, filters in CASES.items():
        check_totals(frame, name, filters)


def check_totals(frame, name, filters):
    df = select(frame, filters)
    got = [(t.code, t.revenue, t.orders, t.companies, t.average_order_value) for t in PG.province_totals(filters)]
    assert all(type(v) is int for row in got for v in row[1:4]), name  # not Decimal: backends compare with ==
    assert got == totals_reference(df, "province_code"), name
    assert len(got) > 3 or filters.regions
    guangdong = df[df["province_code"] == "440000"]
    cities = [
        (t.code, t.revenue, t.orders, t.companies, t.average_order_value) for t in PG.city_totals(filters, "440000")
    ]
    assert cities == totals_reference(guangdong, "city"), name


def test_abc_matches_pandas_exactly(frame):
    for name, filters in CASES.items():
        for measure in Measure:
            got = [(r.product_id, r.value, r.cumulative_before, r.grade) for r in PG.abc(filters, measure)]
            expected = abc_reference(select(frame, filters), measure)
            assert got == expected, (name, measure)
            grades = [g for *_rest, g in got]
            assert grades[0] == "A" and {"A", "B", "C"} <= set(grades), (name, measure)


def test_abc_has_no_value_products_as_n_and_ties_by_product_id(frame):
    got = PG.abc(Filters())
    assert [(r.product_id, r.value) for r in got if r.grade == "N"] == [(1004, 0)]
    tied = [r.product_id for r in got if r.product_id in (1001, 1002, 1003)]
    assert tied == [1001, 1002, 1003]
    partial = PG.abc(CASES["partial period (facts)"])
    assert (partial[-1].product_id, partial[-1].value, partial[-1].grade) == (1005, -70000, "N")
    values = [(r.value, r.product_id) for r in got if r.grade != "N"]
    assert values == sorted(values, key=lambda v: (-v[0], v[1]))


def test_cut_offs_are_configurable(frame):
    got = [(r.product_id, r.grade) for r in PG.abc(Filters(), Measure.REVENUE, Cutoffs(Decimal("50"), Decimal("70")))]
    assert got == [(p, g) for p, _v, _b, g in abc_reference(frame, Measure.REVENUE, 5000, 7000)]


def test_the_rollup_is_the_group_by_of_the_facts(frame):
    key = ["month", "product_id", "province_code", "supplier_id", "category_id", "salesperson_id"]
    expected = (
        frame.fillna({"product_id": 0, "supplier_id": 0, "category_id": 0})
        .groupby(key)[["quantity", "revenue", "cost", "freight"]]
        .sum()
        .reset_index()
    )
    expected = sorted(
        tuple(int(x) if not isinstance(x, (str, date)) else x for x in row) for row in expected.itertuples(index=False)
    )
    got = sorted(MonthlySales.objects.values_list(*key, "quantity", "revenue", "cost", "freight"))
    assert got == expected


def performance_reference(df: pd.DataFrame, key: str, by_month: bool) -> list[tuple]:
    df = df.assign(m=df["month"] if by_month else None)
    out = []
    for (k, m), g in df.groupby([key, "m"], dropna=False):
        revenue = int(g["revenue"].sum())
        orders = (
            g.loc[g["kind"] == "sale", "order_id"].nunique() - g.loc[g["kind"] == "cancellation", "order_id"].nunique()
        )
        per_company = g.dropna(subset=["company_id"]).groupby("company_id")["revenue"].sum()
        m = None if pd.isna(m) else m
        key_text = "" if pd.isna(k) else str(int(k)) if isinstance(k, float) else str(k)
        out.append(
            (
                m,
                key_text,
                revenue,
                int(g["cost"].sum()),
                int(orders),
                int((per_company > 0).sum()),
                int(g["quantity"].sum()),
            )
        )
    return sorted(out, key=lambda r: (r[0] or date.min, r[1]))


@pytest.mark.parametrize(
    "dimension,column", [("salesperson", "salesperson_id"), ("supplier", "supplier_id"), ("tier", "tier_code")]
)
def test_performance_by_dimension_and_month_matches_pandas(frame, dimension, column):
    from plugins.bigdata.backends.base import Dimension

    filters = CASES["partial period (facts)"]
    df = select(frame, filters)
    if column == "salesperson_id":
        df = df.assign(salesperson_id=df["salesperson_id"].replace(0, None))
    for by_month in (False, True):
        rows = PG.performance(filters, Dimension(dimension), by_month=by_month)
        got = sorted(
            ((r.month, r.key, r.revenue, r.cost, r.orders, r.companies, r.quantity) for r in rows),
            key=lambda r: (r[0] or date.min, r[1]),
        )
        assert got == performance_reference(df, column, by_month), (dimension, by_month)
