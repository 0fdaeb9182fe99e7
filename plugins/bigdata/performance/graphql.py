"""This area's GraphQL queries for operators and salespeople (scoped like the screens): the same
selectors as the pages, so the same numbers. Money in yuan (Decimal, two places), percentages as
Decimal to 0.1 (null where the page shows "—"). Targets are edited on the page only (the
operators' target editor), not through the API."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from core.access import OPERATOR, SALESPERSON
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.money import from_fen
from plugins.bigdata.backends import backend
from plugins.bigdata.backends.base import Dimension
from plugins.bigdata.performance import forms, selectors
from plugins.bigdata.performance.models import TargetOwner
from plugins.bigdata.performance.periods import Level
from plugins.bigdata.screens.graphql_inputs import AnalyticsFiltersInput, analytics_filters
from plugins.bigdata.screens.scope import salesperson_scope


def _yuan(fen: int | None):
    return None if fen is None else from_fen(fen)


class PerformanceMonthValue(graphene.ObjectType):
    month = graphene.Date(required=True)
    revenue = graphene.Decimal(required=True, description="Net revenue, yuan")
    orders = graphene.Int(required=True)
    average_order_value = graphene.Decimal()


class PerformanceRow(graphene.ObjectType):
    rank = graphene.Int()
    key = graphene.String(required=True, description="The dimension's id or code; empty when unknown")
    name = graphene.String(required=True)
    revenue = graphene.Decimal(required=True, description="Net revenue, yuan")
    share = graphene.Decimal(description="Percent of the rows' total")
    orders = graphene.Int(required=True)
    average_order_value = graphene.Decimal()
    active_companies = graphene.Int(required=True)
    new_companies = graphene.Int(required=True)
    repeat_companies = graphene.Int(required=True)
    repurchase_rate = graphene.Decimal()
    growth_previous = graphene.Decimal(description="Percent against the period just before; null when the base ≤ 0")
    growth_year = graphene.Decimal(description="Percent against the same dates a year earlier")
    months = graphene.List(
        graphene.NonNull(PerformanceMonthValue), description="Per month (asked for with byMonth: true)"
    )


class PerformanceMonth(graphene.ObjectType):
    month = graphene.Date(required=True)
    revenue = graphene.Decimal(required=True)
    orders = graphene.Int(required=True)
    average_order_value = graphene.Decimal()
    active_companies = graphene.Int(required=True)
    new_companies = graphene.Int(required=True)
    repeat_companies = graphene.Int(required=True)
    repurchase_rate = graphene.Decimal()
    growth_month = graphene.Decimal()
    growth_year = graphene.Decimal()


class PerformanceTotals(graphene.ObjectType):
    revenue = graphene.Decimal(required=True)
    orders = graphene.Int(required=True)
    average_order_value = graphene.Decimal()
    active_companies = graphene.Int(required=True)
    new_companies = graphene.Int(required=True)
    repeat_companies = graphene.Int(required=True)
    repurchase_rate = graphene.Decimal()
    growth_previous = graphene.Decimal()
    growth_year = graphene.Decimal()


class AnalyticsPerformance(graphene.ObjectType):
    dimension = graphene.String(required=True)
    totals = graphene.Field(PerformanceTotals, required=True)
    rows = graphene.List(graphene.NonNull(PerformanceRow), required=True)
    months = graphene.List(graphene.NonNull(PerformanceMonth), required=True, description="The whole selection")


class ScoreWeightsType(graphene.ObjectType):
    revenue = graphene.Int(required=True)
    new_customers = graphene.Int(required=True)
    collections = graphene.Int(required=True)
    cap = graphene.Int(description="The most an achievement counts for, percent; null: no cap")


class TargetRow(graphene.ObjectType):
    id = graphene.ID(required=True)
    period = graphene.String(required=True, description="2026-11, 2026-Q4 or 2026")
    period_start = graphene.Date(required=True)
    period_end = graphene.Date(required=True)
    owner = graphene.String(required=True, description="salesperson or region")
    owner_key = graphene.String(required=True, description="The salesperson's id or the province's code")
    owner_name = graphene.String(required=True)
    rank = graphene.Int(description="Within the period; null for a salesperson (own rows only)")
    revenue_target = graphene.Decimal()
    revenue = graphene.Decimal(required=True)
    revenue_achievement = graphene.Decimal()
    new_companies_target = graphene.Int()
    new_companies = graphene.Int(required=True)
    new_companies_achievement = graphene.Decimal()
    collections_target = graphene.Decimal()
    collections = graphene.Decimal(description="Null without finance or with a supplier or category filter")
    collections_achievement = graphene.Decimal()
    score = graphene.Decimal()


class AnalyticsTargets(graphene.ObjectType):
    level = graphene.String(required=True)
    owner = graphene.String(required=True)
    weights = graphene.Field(ScoreWeightsType, required=True)
    collections_shown = graphene.Boolean(required=True)
    rows = graphene.List(graphene.NonNull(TargetRow), required=True)


def _performance_row(r: selectors.LeaderRow, months=None) -> PerformanceRow:
    return PerformanceRow(
        rank=r.rank,
        key=r.key,
        name=r.name,
        revenue=_yuan(r.revenue),
        share=r.share,
        orders=r.orders,
        average_order_value=_yuan(r.average_order_value),
        active_companies=r.active,
        new_companies=r.new,
        repeat_companies=r.repeat,
        repurchase_rate=r.repurchase_rate,
        growth_previous=r.growth_previous,
        growth_year=r.growth_year,
        months=months,
    )


class Query:
    analytics_performance = graphene.Field(
        AnalyticsPerformance,
        required=True,
        filters=AnalyticsFiltersInput(),
        dimension=graphene.String(
            default_value="salesperson", description="salesperson, province, category, supplier or tier"
        ),
        by_month=graphene.Boolean(default_value=False, description="Each row's net revenue and orders per month too"),
        description="Sales performance as on 销售业绩: totals, the leaderboard by a dimension, the months.",
    )
    analytics_targets = graphene.Field(
        AnalyticsTargets,
        required=True,
        filters=AnalyticsFiltersInput(),
        level=graphene.String(default_value="month", description="month, quarter or year"),
        owner=graphene.String(
            default_value="salesperson", description="salesperson or region (a salesperson: their own targets)"
        ),
        description="Targets whose period begins in the filters' period, with achievement, score and rank.",
    )

    @requires(OPERATOR, SALESPERSON)
    def resolve_analytics_performance(root, info, dimension="salesperson", by_month=False, filters=None):
        if dimension not in {value for value, _label in forms.DIMENSIONS}:
            raise input_error("dimension", _("Unknown dimension “%(value)s”.") % {"value": dimension}, "invalid_choice")
        scoped = analytics_filters(info, filters)
        chosen = Dimension(dimension)
        rows = selectors.leaderboard(scoped, chosen)
        per_month: dict[str, list] = {}
        if by_month:
            for r in backend().performance(scoped, chosen, by_month=True):
                per_month.setdefault(r.key, []).append(
                    PerformanceMonthValue(
                        month=r.month,
                        revenue=_yuan(r.revenue),
                        orders=r.orders,
                        average_order_value=_yuan(r.average_order_value),
                    )
                )
        t = selectors.totals(scoped)
        return AnalyticsPerformance(
            dimension=chosen.value,
            totals=PerformanceTotals(
                revenue=_yuan(t.revenue),
                orders=t.orders,
                average_order_value=_yuan(t.average_order_value),
                active_companies=t.active,
                new_companies=t.new,
                repeat_companies=t.repeat,
                repurchase_rate=t.repurchase_rate,
                growth_previous=t.growth_previous,
                growth_year=t.growth_year,
            ),
            rows=[_performance_row(r, per_month.get(r.key, []) if by_month else None) for r in rows],
            months=[
                PerformanceMonth(
                    month=m.month,
                    revenue=_yuan(m.revenue),
                    orders=m.orders,
                    average_order_value=_yuan(m.average_order_value),
                    active_companies=m.active,
                    new_companies=m.new,
                    repeat_companies=m.repeat,
                    repurchase_rate=m.repurchase_rate,
                    growth_month=m.growth_month,
                    growth_year=m.growth_year,
                )
                for m in selectors.trend(scoped)
            ],
        )

    @requires(OPERATOR, SALESPERSON)
    def resolve_analytics_targets(root, info, level="month", owner="salesperson", filters=None):
        if level not in Level._value2member_map_:
            raise input_error("level", _("Unknown period type “%(value)s”.") % {"value": level}, "invalid_choice")
        if owner not in TargetOwner.values:
            raise input_error("owner", _("Unknown target owner “%(value)s”.") % {"value": owner}, "invalid_choice")
        scoped = analytics_filters(info, filters)
        own = salesperson_scope(info.context.user)
        if own is not None:
            owner = TargetOwner.SALESPERSON  # a salesperson's own targets, as on the page
        used = selectors.weights()
        results = selectors.targets_report(scoped, Level(level), owner, ranked=own is None, weights_used=used)
        return AnalyticsTargets(
            level=level,
            owner=owner,
            weights=ScoreWeightsType(
                revenue=used.revenue, new_customers=used.new_customers, collections=used.collections, cap=used.cap
            ),
            collections_shown=selectors.collections_available(scoped),
            rows=[
                TargetRow(
                    id=r.target_id,
                    period=r.period.label,
                    period_start=r.period.start,
                    period_end=r.period.end,
                    owner=r.owner_kind,
                    owner_key=r.owner_key,
                    owner_name=r.owner_name,
                    rank=r.rank,
                    revenue_target=_yuan(r.revenue_target),
                    revenue=_yuan(r.revenue),
                    revenue_achievement=r.shown("revenue_achievement"),
                    new_companies_target=r.new_target,
                    new_companies=r.new,
                    new_companies_achievement=r.shown("new_achievement"),
                    collections_target=_yuan(r.collections_target),
                    collections=_yuan(r.collections),
                    collections_achievement=r.shown("collections_achievement"),
                    score=r.score,
                )
                for r in results
            ],
        )
