"""This area's GraphQL queries for operators and salespeople (scoped like the screens):
``analyticsProvinces(filters, metric)`` and ``analyticsCities(filters, provinceCode, metric)`` —
the rows of the regional distribution page, in its rank order, money in fen and in yuan."""

from __future__ import annotations

import graphene
from django.utils.translation import gettext as _

from core.graphql.errors import input_error
from plugins.bigdata.regions import selectors
from plugins.bigdata.regions.selectors import DEFAULT_METRIC, METRICS, RegionRow
from plugins.bigdata.screens.graphql_inputs import AnalyticsFiltersInput, analytics_filters
from plugins.bigdata.screens.tables import yuan


class AnalyticsRegionRow(graphene.ObjectType):
    rank = graphene.Int(required=True, description="1 for the best by the chosen metric (ties by code)")
    code = graphene.String(required=True, description="GB/T 2260 code of the province; for a city, its name")
    name = graphene.String(required=True)
    map_name = graphene.String(
        required=True, description="The province's name on the China map (china.json); empty for a city"
    )
    revenue_fen = graphene.BigInt(required=True, description="Net revenue in fen (refunds and cancellations out)")
    revenue = graphene.String(required=True, description="Net revenue in yuan, two decimals")
    share = graphene.String(description="Percent of the selection's revenue, one decimal; null when that is not > 0")
    orders = graphene.Int(required=True, description="Orders with a sale less orders cancelled, in the period")
    companies = graphene.Int(required=True, description="Companies with revenue above zero")
    average_order_value_fen = graphene.BigInt(description="客单价 in fen; null without orders")
    average_order_value = graphene.String(description="客单价 in yuan; null without orders")

    @staticmethod
    def of(row: RegionRow) -> AnalyticsRegionRow:
        aov = row.average_order_value
        return AnalyticsRegionRow(
            rank=row.rank,
            code=row.code,
            name=row.name,
            map_name=row.map_name,
            revenue_fen=row.revenue,
            revenue=str(yuan(row.revenue)),
            share=None if row.share is None else str(row.share),
            orders=row.orders,
            companies=row.companies,
            average_order_value_fen=aov,
            average_order_value=None if aov is None else str(yuan(aov)),
        )


_METRIC = graphene.String(
    default_value=DEFAULT_METRIC, description="Rank by: revenue (default), orders, companies or aov"
)


def _metric(metric: str | None) -> str:
    metric = metric or DEFAULT_METRIC
    if metric not in METRICS:
        raise input_error("metric", _("Choose what to rank by: revenue, orders, companies or aov."))
    return metric


class Query:
    analytics_provinces = graphene.List(
        graphene.NonNull(AnalyticsRegionRow),
        required=True,
        filters=AnalyticsFiltersInput(),
        metric=_METRIC,
        description="Sales by province (operators; a salesperson: only the sales credited to them)",
    )
    analytics_cities = graphene.List(
        graphene.NonNull(AnalyticsRegionRow),
        required=True,
        filters=AnalyticsFiltersInput(),
        province_code=graphene.String(required=True, description="GB/T 2260 code of the province"),
        metric=_METRIC,
        description="Sales by city of one province (the map's drill-down), scoped like analyticsProvinces",
    )

    @staticmethod
    def resolve_analytics_provinces(root, info, filters=None, metric=DEFAULT_METRIC):
        scoped = analytics_filters(info, filters)  # who may ask first, then what they ask
        return [AnalyticsRegionRow.of(r) for r in selectors.province_rows(scoped, _metric(metric))]

    @staticmethod
    def resolve_analytics_cities(root, info, province_code, filters=None, metric=DEFAULT_METRIC):
        scoped = analytics_filters(info, filters)
        if province_code not in selectors.PROVINCE_CODES:
            raise input_error("province_code", _("Choose a province by its code (GB/T 2260)."))
        return [AnalyticsRegionRow.of(r) for r in selectors.city_rows(scoped, province_code, _metric(metric))]
