"""This area's GraphQL queries for operators and salespeople (scoped like the screens):
``analyticsCampaigns(filters)`` — the numbers of the marketing return page."""

import graphene

from plugins.bigdata.marketing.returns import campaign_returns
from plugins.bigdata.screens.graphql_inputs import AnalyticsFiltersInput, analytics_filters


class _Figures:
    discounts = graphene.Int(required=True, description="Discounts kept, in fen")
    budget = graphene.Int(required=True, description="Budget counted in the period, in fen")
    cost = graphene.Int(required=True, description="Discounts kept plus budget, in fen")
    revenue = graphene.Int(required=True, description="Attributed net revenue, in fen")
    orders = graphene.Int(required=True)
    new_companies = graphene.Int(required=True)
    roi = graphene.Decimal(description="(net revenue − cost) ÷ cost in percent; null when the cost is 0")


class CampaignMonthType(_Figures, graphene.ObjectType):
    month = graphene.Date(required=True, description="First day of the month")


class CampaignReturnType(_Figures, graphene.ObjectType):
    key = graphene.String(required=True, description="offer:<id>, vouchers:<id>, voucher:<id> or activity:<id>")
    kind = graphene.String(required=True)
    name = graphene.String(required=True)
    start = graphene.Date(description="An activity's first day")
    end = graphene.Date(description="An activity's last day")
    months = graphene.List(graphene.NonNull(CampaignMonthType), required=True)

    @staticmethod
    def resolve_months(root, info):
        return [CampaignMonthType(month=month, **_figures(t)) for month, t in root.months.items()]


def _figures(t) -> dict:
    return {
        "discounts": t.discounts,
        "budget": t.budget,
        "cost": t.cost,
        "revenue": t.revenue,
        "orders": t.orders,
        "new_companies": t.new_companies,
        "roi": t.roi,
    }


class Query:
    analytics_campaigns = graphene.List(
        graphene.NonNull(CampaignReturnType),
        required=True,
        filters=AnalyticsFiltersInput(),
        description="Each campaign's cost, attributed net revenue, orders, new companies and ROI (operators; a "
        "salesperson sees their own customers' orders only, without budgets)",
    )

    @staticmethod
    def resolve_analytics_campaigns(root, info, filters=None):
        return campaign_returns(analytics_filters(info, filters))
