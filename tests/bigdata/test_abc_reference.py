"""ABC per province / supplier / category and XYZ against an independent pandas computation on the
generated facts (tests/bigdata/generated.py), to the fen; and the XYZ rule at its boundaries."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plugins.bigdata.abc import xyz
from plugins.bigdata.abc.analysis import Options, analyse
from plugins.bigdata.abc.models import AbcScope
from plugins.bigdata.backends.base import (
    GROUP_DIMENSIONS,
    Cutoffs,
    Dimension,
    Filters,
    Measure,
    MonthlyValue,
    Period,
    Region,
)
from plugins.bigdata.backends.names import province_name
from plugins.bigdata.backends.postgres import PostgresBackend
from plugins.bigdata.services.facts import write
from tests.bigdata.generated import generate

WHOLE_MONTHS = Filters(period=Period(date(2025, 3, 1), date(2025, 8, 31)))  # the rollup answers
PARTIAL = Filters(period=Period(date(2025, 2, 10), date(2025, 11, 20)))  # the facts answer
CITY = Filters(period=Period(date(2025, 1, 1), date(2025, 12, 31)), regions=(Region("440000", "二市"),))


@pytest.fixture
def frame(db) -> pd.DataFrame:
    rows = generate()
    assert write(rows) == len(rows)
    return pd.DataFrame(
        [
            {
                "date": f.date,
                "month": f.month,
                "province_code": f.dims.province_code,
                "city": f.dims.city,
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


def within(df: pd.DataFrame, filters: Filters) -> pd.DataFrame:
    p = filters.period
    df = df[(df["date"] >= p.start) & (df["date"] <= p.end)]
    for r in filters.regions:
        df = df[(df["province_code"] == r.province_code) & ((df["city"] == r.city) if r.city else True)]
    return df


def ranked(df: pd.DataFrame, measure: str, a: int, b: int) -> list[tuple]:
    """(product, value, before, class) by the ABC rule, written afresh on a pandas Series."""
    values = (df["revenue"] - df["cost"]) if measure == "margin" else df[measure]
    per_product = values.groupby(df["product_id"]).sum()
    order = sorted(per_product.items(), key=lambda kv: (-kv[1], kv[0]))
    positive = [(int(p), int(v)) for p, v in order if v > 0]
    total = sum(v for _p, v in positive)
    out, before = [], 0
    for p, v in positive:
        share = Fraction(before * 100, total)
        out.append((p, v, before, "A" if share < a else "B" if share < b else "C"))
        before += v
    return out + [(int(p), int(v), None, "N") for p, v in order if v <= 0]


def grouped(df: pd.DataFrame, scope: str, measure: str, a=80, b=95) -> dict[str, list[tuple]]:
    if scope == AbcScope.OVERALL:
        return {"": ranked(df, measure, a, b)}
    column = {"province": "province_code", "supplier": "supplier_id", "category": "category_id"}[scope]
    out = {}
    for key, g in df.dropna(subset=[column]).groupby(column):
        out[str(int(key)) if isinstance(key, float) else str(key)] = ranked(g, measure, a, b)
    return out


def got_grouped(filters: Filters, options: Options) -> dict[str, list[tuple]]:
    out: dict[str, list[tuple]] = {}
    for i in analyse(filters, options):
        out.setdefault(i.scope_key, []).append((i.product_id, i.value, i.cumulative_before, i.grade))
    return out


@pytest.mark.parametrize("scope", [AbcScope.OVERALL, AbcScope.PROVINCE, AbcScope.SUPPLIER, AbcScope.CATEGORY])
def test_abc_per_scope_matches_pandas_to_the_fen(frame, scope):
    for filters in (WHOLE_MONTHS, PARTIAL, CITY):
        for measure in Measure:
            expected = grouped(within(frame, filters), scope, measure)
            got = got_grouped(filters, Options(scope=scope, measure=measure))
            assert got == expected, (scope, filters, measure)
            if scope != AbcScope.OVERALL and not filters.regions:
                assert len(got) >= 5, scope  # really split into groups
    # configurable cut-offs, per province
    expected = grouped(within(frame, PARTIAL), AbcScope.PROVINCE, "revenue", 60, 90)
    options = Options(scope=AbcScope.PROVINCE, cutoffs=Cutoffs(Decimal(60), Decimal(90)))
    assert got_grouped(PARTIAL, options) == expected


@pytest.mark.parametrize("dimension", GROUP_DIMENSIONS)
def test_abc_by_group_is_each_groups_abc_in_one_request(frame, dimension):
    """The backend's per-group method against pandas, and each group against ``abc`` narrowed to
    that group (what the analysis called once per group before), in one statement."""
    pg = PostgresBackend()
    scope = str(dimension)
    for filters in (WHOLE_MONTHS, PARTIAL, CITY):
        for measure in (Measure.REVENUE, Measure.MARGIN):
            with CaptureQueriesContext(connection) as queries:
                groups = pg.abc_by_group(filters, dimension, measure)
            # the ranking in one statement (+ the suppliers' or categories' names)
            assert len(queries) == (1 if dimension == Dimension.PROVINCE else 2)
            got = {g.key: [(r.product_id, r.value, r.cumulative_before, r.grade) for r in g.rows] for g in groups}
            assert got == grouped(within(frame, filters), scope, measure), (dimension, filters, measure)
            assert [g.key for g in groups] == sorted(got, key=lambda k: (len(k), k))  # by code / id
            for g in groups:
                if dimension == Dimension.PROVINCE:
                    narrowed = replace(filters, regions=filters.regions or (Region(g.key),))
                elif dimension == Dimension.SUPPLIER:
                    narrowed = replace(filters, supplier_ids=(int(g.key),))
                else:
                    narrowed = replace(filters, category_ids=(int(g.key),))
                assert g.rows == pg.abc(narrowed, measure), (dimension, g.key)
                by_row = {r.key: r.name for r in pg.performance(narrowed, dimension)}
                expected_name = province_name(g.key) if dimension == Dimension.PROVINCE else by_row[g.key]
                assert g.name == expected_name
    monthly = pg.monthly_values_by_group(PARTIAL, dimension, Measure.QUANTITY)
    for key in {m.key for m in monthly}:
        ids = (int(key),) if key and dimension != Dimension.PROVINCE else ()
        narrowed = (
            replace(PARTIAL, regions=(Region(key),))
            if dimension == Dimension.PROVINCE
            else replace(PARTIAL, supplier_ids=ids)
            if dimension == Dimension.SUPPLIER
            else replace(PARTIAL, category_ids=ids)
        )
        expected = [(v.product_id, v.month, v.value) for v in pg.monthly_values(narrowed, Measure.QUANTITY)]
        assert [(m.product_id, m.month, m.value) for m in monthly if m.key == key] == expected, key


def xyz_reference(df: pd.DataFrame, filters: Filters, x: float, y: float) -> dict[int, tuple[str, float | None]]:
    months = pd.period_range(filters.period.start, filters.period.end, freq="M")
    monthly = (
        df.assign(m=pd.to_datetime(df["date"]).dt.to_period("M"))
        .groupby(["product_id", "m"])["quantity"]
        .sum()
        .unstack(fill_value=0)
        .reindex(columns=months, fill_value=0)
    )
    out = {}
    for product, row in monthly.iterrows():
        mean = row.mean()
        if mean <= 0:
            out[int(product)] = ("", None)
            continue
        cv = row.std(ddof=0) / mean
        out[int(product)] = ("X" if cv <= x else "Y" if cv <= y else "Z", cv)
    return out


@pytest.mark.parametrize("filters", [WHOLE_MONTHS, PARTIAL], ids=["whole months", "partial period"])
def test_xyz_matches_pandas(frame, filters):
    for x, y in ((Decimal("0.5"), Decimal("1")), (Decimal("1.2"), Decimal("2"))):
        expected = xyz_reference(within(frame, filters), filters, float(x), float(y))
        items = analyse(filters, Options(xyz=xyz.XyzCutoffs(x, y)))
        got = {i.product_id: (i.xyz, i.variation) for i in items}
        assert set(got) == set(expected)
        for product, (grade, cv) in expected.items():
            assert got[product][0] == grade, (product, x, y)
            if cv is None:
                assert got[product][1] is None
            else:
                assert abs(float(got[product][1]) - cv) <= 0.00005, product
        assert len({g for g, _cv in got.values()}) >= 2, (x, y)


def test_xyz_per_province_uses_each_provinces_own_demand(frame):
    filters = WHOLE_MONTHS
    df = within(frame, filters)
    items = analyse(filters, Options(scope=AbcScope.PROVINCE))
    for key in df["province_code"].value_counts().index[:3]:
        expected = xyz_reference(df[df["province_code"] == key], filters, 0.5, 1.0)
        got = {i.product_id: i.xyz for i in items if i.scope_key == key}
        assert got == {p: g for p, (g, _cv) in expected.items()}, key


def test_xyz_rule_at_its_boundaries():
    # [1, 3]: σ = 1, μ = 2 → CV exactly 0.5 → X (≤); [0, 2]: CV exactly 1 → Y; [0, 0, 3]: √2 → Z
    assert xyz.variation([1, 3], 2) == xyz.Variation("X", Decimal("0.5000"))
    assert xyz.variation([0, 2], 2) == xyz.Variation("Y", Decimal("1.0000"))
    assert xyz.variation([3], 3) == xyz.Variation("Z", Decimal("1.4142"))
    assert xyz.variation([5, 5, 5], 3) == xyz.Variation("X", Decimal("0.0000"))
    # no positive mean: no class
    assert xyz.variation([4, -4], 2) == xyz.Variation("", None)
    assert xyz.variation([], 0) == xyz.Variation("", None)
    # months without facts count as zeros
    values = [MonthlyValue(7, date(2025, 1, 1), 10), MonthlyValue(7, date(2025, 3, 1), 10)]
    months = xyz.months(date(2025, 1, 15), date(2025, 3, 2))
    assert months == [date(2025, 1, 1), date(2025, 2, 1), date(2025, 3, 1)]
    assert xyz.classify(values, months)[7] == xyz.variation([10, 10], 3)
    for x, y in (("0", "1"), ("1", "0.5"), ("-1", "1"), ("1", "101")):
        with pytest.raises(ValueError):
            xyz.XyzCutoffs(Decimal(x), Decimal(y))
