"""This area's GraphQL queries: the live ABC analysis for operators and salespeople (a salesperson's
on their own sales only, like the screens), stored runs for operators. Values are integer fen for
revenue and margin, units for quantity (``BigInt``: sums in fen outgrow 32 bits)."""

from __future__ import annotations

import graphene
from django.http import QueryDict

from core.access import OPERATOR
from core.graphql.access import requires
from core.graphql.errors import input_error
from core.graphql.pagination import page
from plugins.bigdata.abc import analysis, selectors
from plugins.bigdata.abc.forms import AbcOptionsForm
from plugins.bigdata.abc.models import AbcRun
from plugins.bigdata.screens.graphql_inputs import AnalyticsFiltersInput, analytics_filters

#: GraphQL argument → option form field
_OPTIONS = {
    "measure": "measure",
    "scope": "scope",
    "cutoff_a": "cutoff_a",
    "cutoff_b": "cutoff_b",
    "xyz_x": "xyz_x",
    "xyz_y": "xyz_y",
}
_ARGUMENT = {"cutoff_a": "cutoffA", "cutoff_b": "cutoffB", "xyz_x": "xyzX", "xyz_y": "xyzY"}


class AbcRowType(graphene.ObjectType):
    scope_key = graphene.String(required=True, description="Province code, supplier or category id; '' overall")
    scope_name = graphene.String(required=True)
    product_id = graphene.ID(required=True)
    sku = graphene.String(required=True)
    title = graphene.String(required=True)
    value = graphene.BigInt(required=True, description="Fen for revenue and margin; units for quantity")
    cumulative_before = graphene.BigInt(description="Value of the products ranked before (null for N)")
    grade = graphene.String(required=True, description="A, B, C or N")
    xyz = graphene.String(required=True, description="X, Y, Z or '' (no positive mean demand)")
    variation = graphene.Decimal(description="Coefficient of variation of monthly quantity")

    @classmethod
    def of(cls, item: analysis.Item) -> AbcRowType:
        return cls(
            scope_key=item.scope_key,
            scope_name=item.scope_name,
            product_id=item.product_id,
            sku=item.sku,
            title=item.title,
            value=item.value,
            cumulative_before=item.cumulative_before,
            grade=item.grade,
            xyz=item.xyz,
            variation=item.variation,
        )


class AbcRowPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(AbcRowType), required=True)
    total_count = graphene.Int(required=True)


class AbcRunType(graphene.ObjectType):
    id = graphene.ID(required=True)
    created_at = graphene.DateTime(required=True)
    created_by = graphene.String(description="The operator's username; null for the daily scheduled run")
    scheduled = graphene.Boolean(required=True)
    scope = graphene.String(required=True)
    measure = graphene.String(required=True)
    cutoff_a = graphene.Decimal(required=True)
    cutoff_b = graphene.Decimal(required=True)
    xyz_x = graphene.Decimal(required=True)
    xyz_y = graphene.Decimal(required=True)
    start = graphene.Date()
    end = graphene.Date()
    items = graphene.Field(
        AbcRowPage,
        required=True,
        scope_key=graphene.String(),
        first=graphene.Int(default_value=100),
        offset=graphene.Int(default_value=0),
    )

    @classmethod
    def of(cls, run: AbcRun) -> AbcRunType:
        period = analysis.filters_from_json(run.filters).period
        result = cls(
            id=run.pk,
            created_at=run.created_at,
            created_by=run.created_by.get_username() if run.created_by else None,
            scheduled=run.scheduled,
            scope=run.scope,
            measure=run.measure,
            cutoff_a=run.cutoff_a,
            cutoff_b=run.cutoff_b,
            xyz_x=run.xyz_cutoff_x,
            xyz_y=run.xyz_cutoff_y,
            start=period.start if period else None,
            end=period.end if period else None,
        )
        result.run = run
        return result

    def resolve_items(root, info, first, offset, scope_key=None):
        qs = root.run.items.order_by("scope_key", "grade", "-value", "product_id")
        if scope_key is not None:
            qs = qs.filter(scope_key=scope_key)
        rows, total = page(qs.values_list(*selectors.ITEM_FIELDS), first, offset)
        return AbcRowPage(items=[AbcRowType.of(analysis.Item(*row)) for row in rows], total_count=total)


class AbcRunPage(graphene.ObjectType):
    items = graphene.List(graphene.NonNull(AbcRunType), required=True)
    total_count = graphene.Int(required=True)


def _options(values: dict) -> analysis.Options:
    data = QueryDict(mutable=True)
    for argument, field in _OPTIONS.items():
        given = values.get(argument)
        if given not in (None, ""):
            data[field] = str(given)
    form = AbcOptionsForm(data)
    if not form.is_valid():
        field, message = form.first_error()
        raise input_error(_ARGUMENT.get(field, field), message)
    return form.options()


class Query:
    analytics_abc = graphene.List(
        graphene.NonNull(AbcRowType),
        required=True,
        filters=AnalyticsFiltersInput(),
        measure=graphene.String(description="revenue (default), quantity or margin"),
        scope=graphene.String(description="overall (default), province, supplier or category"),
        cutoff_a=graphene.Decimal(description="A while the value before is below this % (default 80)"),
        cutoff_b=graphene.Decimal(description="B while the value before is below this % (default 95)"),
        xyz_x=graphene.Decimal(description="X up to this coefficient of variation (default 0.5)"),
        xyz_y=graphene.Decimal(description="Y up to this coefficient of variation (default 1)"),
        description="Every product's ABC (and XYZ) class, in rank order per group; a salesperson's own sales only.",
    )
    analytics_abc_runs = graphene.Field(
        AbcRunPage,
        required=True,
        first=graphene.Int(default_value=20),
        offset=graphene.Int(default_value=0),
        description="Stored ABC runs, newest first (operators).",
    )
    analytics_abc_run = graphene.Field(AbcRunType, id=graphene.ID(required=True), description="One stored run")

    def resolve_analytics_abc(root, info, filters=None, **options):
        # the filters first: they say who may ask (operators and salespeople) and scope the asker
        scoped = analytics_filters(info, filters)
        return [AbcRowType.of(item) for item in analysis.analyse(scoped, _options(options))]

    @requires(OPERATOR)
    def resolve_analytics_abc_runs(root, info, first, offset):
        runs, total = page(selectors.runs(), first, offset)
        return AbcRunPage(items=[AbcRunType.of(run) for run in runs], total_count=total)

    @requires(OPERATOR)
    def resolve_analytics_abc_run(root, info, id):
        run = AbcRun.objects.select_related("created_by").filter(pk=int(id) if str(id).isdigit() else 0).first()
        return AbcRunType.of(run) if run is not None else None
