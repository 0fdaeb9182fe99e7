"""This area's GraphQL queries for operators and salespeople (scoped like the screens): the conversion
funnel, the sales cycle, RFM and the value grades — the numbers of the pages, from ``reports``."""

import graphene

from core.graphql.errors import input_error
from plugins.bigdata.customers import measures, reports
from plugins.bigdata.screens.graphql_inputs import AnalyticsFiltersInput, analytics_filters


class AnalyticsFunnelStage(graphene.ObjectType):
    code = graphene.String(required=True, description=", ".join(measures.STAGE_CODES))
    label = graphene.String(required=True)
    companies = graphene.Int(required=True, description="Companies that reached the stage")
    conversion = graphene.Decimal(description="Percent of the companies at the stage before (null: first stage)")
    from_registered = graphene.Decimal(description="Percent of the companies registered")
    median_days = graphene.Decimal(description="Median days from reaching the stage before to reaching this one")


class AnalyticsFunnelCohort(graphene.ObjectType):
    month = graphene.Date(description="First day of the registration month (null: every cohort together)")
    registered = graphene.Int(required=True)
    stages = graphene.List(graphene.NonNull(AnalyticsFunnelStage), required=True)


class AnalyticsFunnel(graphene.ObjectType):
    total = graphene.Field(AnalyticsFunnelCohort, required=True)
    cohorts = graphene.List(graphene.NonNull(AnalyticsFunnelCohort), required=True)


class AnalyticsCycleBucket(graphene.ObjectType):
    low = graphene.Int(required=True, description="Days, included")
    high = graphene.Int(description="Days, included (null: no upper end)")
    companies = graphene.Int(required=True)


class AnalyticsCycleGroup(graphene.ObjectType):
    salesperson_id = graphene.ID(description="null: every salesperson together, or none credited")
    name = graphene.String(required=True)
    companies = graphene.Int(required=True)
    median_days = graphene.Decimal()
    buckets = graphene.List(graphene.NonNull(AnalyticsCycleBucket), required=True)

    @staticmethod
    def from_group(group: measures.CycleGroup):
        return AnalyticsCycleGroup(
            salesperson_id=group.key or None,
            name=group.name,
            companies=group.companies,
            median_days=group.median_days,
            buckets=[
                AnalyticsCycleBucket(low=low, high=high, companies=n)
                for (low, high), n in zip(measures.BUCKETS, group.buckets, strict=True)
            ],
        )


class AnalyticsSalesCycle(graphene.ObjectType):
    basis = graphene.String(required=True)
    total = graphene.Field(AnalyticsCycleGroup, required=True)
    salespeople = graphene.List(graphene.NonNull(AnalyticsCycleGroup), required=True)
    without_start = graphene.Int(required=True, description="First paid orders without a start on record")


class AnalyticsRfmSegment(graphene.ObjectType):
    code = graphene.String(required=True)
    label = graphene.String(required=True)
    recency_high = graphene.Boolean(required=True)
    frequency_high = graphene.Boolean(required=True)
    monetary_high = graphene.Boolean(required=True)
    companies = graphene.Int(required=True)
    share = graphene.Decimal(description="Percent of the companies shown")
    revenue = graphene.Int(required=True, description="Net revenue, fen")
    orders = graphene.Int(required=True, description="Net orders")
    median_recency_days = graphene.Decimal()
    median_days_to_pay = graphene.Decimal(description="null without finance or without paid orders")
    overdue_share = graphene.Decimal(description="Percent; null without finance or without due orders on account")


class AnalyticsRfmCompany(graphene.ObjectType):
    company_id = graphene.ID(required=True)
    name = graphene.String(required=True)
    recency_days = graphene.Int(required=True)
    frequency = graphene.Int(required=True, description="Net orders")
    monetary = graphene.Int(required=True, description="Net revenue, fen")
    segment = graphene.String(required=True)


class AnalyticsRfm(graphene.ObjectType):
    median_recency_days = graphene.Decimal()
    median_frequency = graphene.Decimal()
    median_monetary = graphene.Decimal(description="fen")
    with_payments = graphene.Boolean(required=True, description="Whether finance's payment behaviour is given")
    segments = graphene.List(graphene.NonNull(AnalyticsRfmSegment), required=True)
    companies = graphene.List(
        graphene.NonNull(AnalyticsRfmCompany), required=True, description="Highest net revenue first"
    )


class AnalyticsValueGrade(graphene.ObjectType):
    grade = graphene.String(required=True, description='"A", "B", "C" or "" (not graded yet)')
    companies = graphene.Int(required=True)
    share = graphene.Decimal()


class AnalyticsValueGrades(graphene.ObjectType):
    available = graphene.Boolean(required=True, description="false when member tiers are not installed")
    grades = graphene.List(graphene.NonNull(AnalyticsValueGrade), required=True)


def _cohort(cohort: measures.Cohort) -> AnalyticsFunnelCohort:
    return AnalyticsFunnelCohort(
        month=cohort.month,
        registered=cohort.registered,
        stages=[AnalyticsFunnelStage(**vars(s)) for s in cohort.stages],
    )


class Query:
    analytics_funnel = graphene.Field(
        AnalyticsFunnel,
        required=True,
        filters=AnalyticsFiltersInput(),
        description="Conversion funnel of the companies registered in the period, by registration month",
    )
    analytics_sales_cycle = graphene.Field(
        AnalyticsSalesCycle,
        required=True,
        filters=AnalyticsFiltersInput(),
        basis=graphene.String(default_value=measures.REGISTRATION, description="registration or assignment"),
        description="Days to the first paid order: median and distribution, by salesperson",
    )
    analytics_rfm = graphene.Field(
        AnalyticsRfm,
        required=True,
        filters=AnalyticsFiltersInput(),
        first=graphene.Int(default_value=100, description="How many companies to list (at most 1000)"),
        description="RFM segments of the companies with sales in the period, with payment behaviour",
    )
    analytics_value_grades = graphene.Field(
        AnalyticsValueGrades,
        required=True,
        filters=AnalyticsFiltersInput(),
        description="member_tiers' A/B/C value grades of the companies (region, tier, salesperson)",
    )

    def resolve_analytics_funnel(root, info, filters=None):
        total, cohorts = reports.funnel(analytics_filters(info, filters))
        return AnalyticsFunnel(total=_cohort(total), cohorts=[_cohort(c) for c in cohorts])

    def resolve_analytics_sales_cycle(root, info, filters=None, basis=measures.REGISTRATION):
        scoped = analytics_filters(info, filters)
        if basis not in measures.BASES:
            raise input_error("basis", str(measures.BASIS_CHOICE_ERROR))
        result = reports.sales_cycle(scoped, basis)
        return AnalyticsSalesCycle(
            basis=basis,
            total=AnalyticsCycleGroup.from_group(result.total),
            salespeople=[AnalyticsCycleGroup.from_group(g) for g in result.salespeople],
            without_start=result.without_start,
        )

    def resolve_analytics_rfm(root, info, filters=None, first=100):
        scoped = analytics_filters(info, filters)
        if not 0 <= first <= 1000:
            raise input_error("first", str(measures.FIRST_RANGE_ERROR))
        rfm = reports.rfm(scoped)
        ranked = sorted(rfm.companies, key=lambda s: (-s.company.monetary, s.company.company_id))[:first]
        return AnalyticsRfm(
            median_recency_days=rfm.medians.recency,
            median_frequency=rfm.medians.frequency,
            median_monetary=rfm.medians.monetary,
            with_payments=rfm.with_payments,
            segments=[AnalyticsRfmSegment(**vars(s)) for s in rfm.segments],
            companies=[
                AnalyticsRfmCompany(
                    company_id=s.company.company_id,
                    name=s.company.name,
                    recency_days=s.company.recency_days,
                    frequency=s.company.frequency,
                    monetary=s.company.monetary,
                    segment=s.segment,
                )
                for s in ranked
            ],
        )

    def resolve_analytics_value_grades(root, info, filters=None):
        grades = reports.value_grades(analytics_filters(info, filters))
        if grades is None:
            return AnalyticsValueGrades(available=False, grades=[])
        return AnalyticsValueGrades(
            available=True,
            grades=[AnalyticsValueGrade(grade=g.grade, companies=g.companies, share=g.share) for g in grades],
        )
