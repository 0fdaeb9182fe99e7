"""The ABC pages (back office, 数据分析): the live analysis with its Pareto chart and the ABC-XYZ
matrix (operators and salespeople; a salesperson's on their own sales only, through the shell's
scoped filters), and the operators' stored runs, their comparison and the latest product classes."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from core.access import is_operator
from plugins.bigdata.abc import analysis, selectors, services
from plugins.bigdata.abc.analysis import GRADES, XYZ_GRADES, Item, Options
from plugins.bigdata.abc.forms import AbcOptionsForm
from plugins.bigdata.abc.models import AbcMeasure, AbcRun, AbcScope
from plugins.bigdata.backends.base import Cutoffs, Filters, Measure
from plugins.bigdata.screens.charts import Chart
from plugins.bigdata.screens.filters import FilterForm
from plugins.bigdata.screens.tables import EXPORT_FORMATS, Column, Table, display, export_response, yuan
from plugins.bigdata.screens.views import AnalyticsView

#: the Pareto chart draws at most this many products (the table and its export have them all)
PARETO_LIMIT = 500
COLORS = {"A": "#2f7d32", "B": "#f9a825", "C": "#c62828", "N": "#9e9e9e"}

DEFINITIONS = (
    (
        gettext_lazy("ABC class"),
        gettext_lazy(
            "Products sorted by value, highest first (equal values by product id); a product is A while the "
            "value of the products before it is below the A cut-off of the total of positive values, B below "
            "the B cut-off, else C. A product whose net value is zero or negative is N."
        ),
    ),
    (
        gettext_lazy("value"),
        gettext_lazy(
            "Net revenue (refunds and cancellations subtracted on their dates, freight excluded), net quantity, "
            "or gross margin (revenue less the supplier's cost) in the period."
        ),
    ),
    (
        gettext_lazy("scope"),
        gettext_lazy(
            "Overall ranks all products together; per province, supplier or category ranks the products "
            "separately within each of them."
        ),
    ),
    (
        gettext_lazy("XYZ class"),
        gettext_lazy(
            "From the coefficient of variation (standard deviation ÷ mean) of the net quantity per month over "
            "every month of the period: X up to the X cut-off (steady demand), Y up to the Y cut-off, else Z "
            "(erratic). No class when the mean is not above zero."
        ),
    ),
    (
        gettext_lazy("never sold"),
        gettext_lazy(
            "Without any filter but the period, an overall analysis also lists catalogue products without "
            "sales, as N with value 0."
        ),
    ),
)


def value_kind(measure: str) -> str:
    return "int" if measure == Measure.QUANTITY else "fen"


def value_label(measure: str) -> str:
    return str(AbcMeasure(measure).label)


def chart_value(value: int, measure: str) -> float:
    return value if measure == Measure.QUANTITY else float(yuan(value))


def group_totals(items: list[Item]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for i in items:
        if i.grade != "N":
            totals[i.scope_key] = totals.get(i.scope_key, 0) + i.value
    return totals


def items_table(items: list[Item], measure: str, scope: str, *, name: str = "products") -> Table:
    per_group = scope != AbcScope.OVERALL
    columns = [Column(_("scope"))] if per_group else []
    columns += [
        Column(_("ranking"), "int"),
        Column(_("SKU")),
        Column(_("product")),
        Column(value_label(measure), value_kind(measure)),
        Column(_("cumulative share before"), "percent"),
        Column(_("class")),
        Column(_("XYZ class")),
        Column(_("coefficient of variation")),
    ]
    totals = group_totals(items)
    rows, rank, last_key = [], 0, None
    for i in items:
        rank = 1 if i.scope_key != last_key else rank + 1
        last_key = i.scope_key
        before = analysis.percent(i.cumulative_before, totals.get(i.scope_key, 0)) if i.grade != "N" else None
        row = [i.scope_name or i.scope_key] if per_group else []
        row += [rank, i.sku, i.title or f"#{i.product_id}", i.value, before, i.grade, i.xyz, i.variation]
        rows.append(row)
    return Table(name, _("Products and their classes"), columns, rows)


def shares_table(items: list[Item], measure: str, *, name: str = "classes") -> Table:
    columns = [
        Column(_("class")),
        Column(_("number of products"), "int"),
        Column(_("share of products"), "percent"),
        Column(value_label(measure), value_kind(measure)),
        Column(_("share of value"), "percent"),
    ]
    rows = [[s.grade, s.products, s.product_share, s.value, s.value_share] for s in analysis.class_shares(items)]
    return Table(name, _("Products and value per class"), columns, rows)


def pareto_chart(items: list[Item], measure: str, options: Options, *, name: str = "pareto") -> Chart:
    ranked = [i for i in items if i.grade != "N"]
    total = sum(i.value for i in ranked)
    shown = ranked[:PARETO_LIMIT]
    cumulative, running = [], 0
    for i in shown:
        running += i.value
        cumulative.append(float(analysis.percent(running, total) or 0))
    label = value_label(measure)
    title = _("Pareto chart")
    if len(ranked) > PARETO_LIMIT:
        title = _("Pareto chart (the first %(n)d products)") % {"n": PARETO_LIMIT}
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [label, str(_("cumulative share"))]},
        "grid": {"left": 60, "right": 60, "bottom": 60},
        "xAxis": {"type": "category", "data": [i.sku or str(i.product_id) for i in shown], "axisLabel": {"rotate": 45}},
        "yAxis": [
            {"type": "value", "name": label},
            {"type": "value", "name": "%", "min": 0, "max": 100},
        ],
        "series": [
            {
                "name": label,
                "type": "bar",
                "data": [
                    {"value": chart_value(i.value, measure), "itemStyle": {"color": COLORS[i.grade]}} for i in shown
                ],
            },
            {
                "name": str(_("cumulative share")),
                "type": "line",
                "yAxisIndex": 1,
                "symbol": "none",
                "data": cumulative,
                "markLine": {
                    "symbol": "none",
                    "data": [{"yAxis": float(options.cutoffs.a)}, {"yAxis": float(options.cutoffs.b)}],
                },
            },
        ],
    }
    return Chart(name, title, option)


def groups_chart(items: list[Item], *, name: str = "groups") -> Chart:
    keys: list[tuple[str, str]] = []
    for i in items:
        if not keys or keys[-1][0] != i.scope_key:
            keys.append((i.scope_key, i.scope_name or i.scope_key))
    counts = {(i.scope_key, g): 0 for i in items for g in GRADES}
    for i in items:
        counts[(i.scope_key, i.grade)] += 1
    option = {
        "tooltip": {"trigger": "axis"},
        "legend": {"data": list(GRADES)},
        "grid": {"left": 60, "right": 30, "bottom": 80},
        "xAxis": {"type": "category", "data": [n for _k, n in keys], "axisLabel": {"rotate": 45}},
        "yAxis": {"type": "value", "name": str(_("number of products"))},
        "series": [
            {
                "name": g,
                "type": "bar",
                "stack": "classes",
                "itemStyle": {"color": COLORS[g]},
                "data": [counts[(k, g)] for k, _n in keys],
            }
            for g in GRADES
        ],
    }
    return Chart(name, _("Products per class in each group"), option)


def matrix_tables(items: list[Item], measure: str) -> list[Table]:
    m = analysis.matrix(items)
    total = sum(m.values.values())
    columns = [Column(_("class")), *(Column(x, "int") for x in XYZ_GRADES), Column(_("no XYZ class"), "int")]
    counts = [[g, *(m.counts.get((g, x), 0) for x in (*XYZ_GRADES, ""))] for g in ("A", "B", "C")]
    share_columns = [
        Column(_("class")),
        *(Column(x, "percent") for x in XYZ_GRADES),
        Column(_("no XYZ class"), "percent"),
    ]
    shares = [
        [g, *(analysis.percent(m.values.get((g, x), 0), total) for x in (*XYZ_GRADES, ""))] for g in ("A", "B", "C")
    ]
    return [
        Table("matrix", _("ABC-XYZ matrix: products"), columns, counts),
        Table("matrix_value", _("ABC-XYZ matrix: share of value"), share_columns, shares),
    ]


def matrix_chart(items: list[Item]) -> Chart:
    m = analysis.matrix(items)
    rows = ("C", "B", "A")
    data = [[x, y, m.counts.get((g, xg), 0)] for y, g in enumerate(rows) for x, xg in enumerate(XYZ_GRADES)]
    option = {
        "tooltip": {"position": "top"},
        "grid": {"left": 60, "right": 30, "top": 20, "bottom": 70},
        "xAxis": {"type": "category", "data": list(XYZ_GRADES)},
        "yAxis": {"type": "category", "data": list(rows)},
        "visualMap": {
            "min": 0,
            "max": max([d[2] for d in data] + [1]),
            "orient": "horizontal",
            "left": "center",
            "bottom": 0,
            "calculable": False,
        },
        "series": [{"name": str(_("number of products")), "type": "heatmap", "data": data, "label": {"show": True}}],
    }
    return Chart("matrix", _("ABC-XYZ matrix"), option, height=320)


class OptionsMixin:
    with_scope = True

    def options_form(self) -> AbcOptionsForm:
        if not hasattr(self, "_options_form"):
            self._options_form = AbcOptionsForm(self.request.GET, with_scope=self.with_scope)
        return self._options_form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["options_form"] = self.options_form()
        return context


class AbcView(OptionsMixin, AnalyticsView):
    template_name = "bigdata/abc/abc.html"
    title = gettext_lazy("ABC analysis")
    definitions = DEFINITIONS

    def report(self, filters: Filters) -> dict:
        form = self.options_form()
        if not form.is_valid():
            return {}
        options = form.options()
        items = analysis.analyse(filters, options)
        charts = [pareto_chart(items, options.measure, options)] if options.scope == AbcScope.OVERALL else []
        if options.scope != AbcScope.OVERALL:
            charts.append(groups_chart(items))
        return {
            "tables": [shares_table(items, options.measure), items_table(items, options.measure, options.scope)],
            "charts": charts,
            "may_save": is_operator(self.request.user),
            "save_fields": [
                (k, v) for k, values in self.request.GET.lists() if k not in ("export", "table") for v in values
            ],
        }


class XyzView(AbcView):
    template_name = "bigdata/abc/xyz.html"
    title = gettext_lazy("ABC-XYZ matrix")
    with_scope = False

    def report(self, filters: Filters) -> dict:
        form = self.options_form()
        if not form.is_valid():
            return {}
        options = form.options()
        items = analysis.analyse(filters, options)
        return {
            "tables": [*matrix_tables(items, options.measure), items_table(items, options.measure, options.scope)],
            "charts": [matrix_chart(items)],
        }


class OperatorOnly:
    def dispatch(self, request, *args, **kwargs):
        if not is_operator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def exporting(request, tables: list[Table]):
    """The requested export of one of ``tables`` (None: no export asked); links the others."""
    fmt = request.GET.get("export")
    if fmt:
        table = next((t for t in tables if t.name == request.GET.get("table", "")), None)
        if fmt not in EXPORT_FORMATS or table is None:
            raise Http404
        return export_response(table, fmt)
    query = request.GET.copy()
    query.pop("page", None)
    for table in tables:
        for f in EXPORT_FORMATS:
            query["export"], query["table"] = f, table.name
            table.export_urls[f] = "?" + query.urlencode()
    return None


class RunCreateView(OperatorOnly, View):
    """ "Save as run": the ABC page's filters and options, posted back; refused with the reasons."""

    http_method_names = ["post"]

    def post(self, request):
        data = request.POST.copy()
        data.pop("csrfmiddlewaretoken", None)
        filters_form = FilterForm(data, salesperson_scope=None)
        options_form = AbcOptionsForm(data)
        if not (filters_form.is_valid() and options_form.is_valid()):
            for form in (filters_form, options_form):
                for field, errors in form.errors.items():
                    label = form.fields[field].label if field in form.fields else ""
                    for error in errors:
                        messages.error(request, f"{label}: {error}" if label else error)
            return redirect(reverse("bigdata-dashboard:abc") + "?" + data.urlencode())
        run = services.save_run(filters=filters_form.filters(), options=options_form.options(), by=request.user)
        messages.success(request, _("ABC run #%(id)d saved.") % {"id": run.pk})
        return redirect("bigdata-dashboard:abc-run", pk=run.pk)


class RunListView(OperatorOnly, TemplateView):
    template_name = "bigdata/abc/runs.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(selectors.runs(), 50).get_page(self.request.GET.get("page"))
        choices = list(AbcRun.objects.order_by("-created_at", "-pk").values_list("pk", "created_at", "scope")[:200])
        context.update(title=_("ABC runs"), page=page, runs=page.object_list, choices=choices)
        return context


def run_context(run: AbcRun) -> dict:
    filters = analysis.filters_from_json(run.filters)
    return {
        "run": run,
        "period": filters.period,
        "restricted": not analysis.restricts_only_period(filters),
    }


class RunDetailView(OperatorOnly, TemplateView):
    template_name = "bigdata/abc/run_detail.html"

    def get(self, request, *args, **kwargs):
        run = get_object_or_404(selectors.runs(), pk=kwargs["pk"])
        groups = selectors.run_groups(run)
        key = request.GET.get("key")
        if run.scope == AbcScope.OVERALL:
            key = ""
        elif key not in {k for k, _n in groups}:
            key = groups[0][0] if groups else ""
        items = selectors.run_items(run, key)
        tables = [shares_table(items, run.measure), *matrix_tables(items, run.measure)]
        tables.append(items_table(selectors.run_items(run), run.measure, run.scope, name="products"))
        exported = exporting(request, tables)
        if exported is not None:
            return exported
        options = Options(run.scope, Measure(run.measure), Cutoffs(run.cutoff_a, run.cutoff_b))
        context = self.get_context_data(
            title=_("ABC run #%(id)d") % {"id": run.pk},
            tables=tables,
            charts=[pareto_chart(items, run.measure, options), matrix_chart(items)],
            groups=groups,
            key=key,
            **run_context(run),
        )
        return self.render_to_response(context)


class CompareView(OperatorOnly, TemplateView):
    template_name = "bigdata/abc/compare.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(title=_("Compare ABC runs"), tables=[], errors=[])
        base, other, errors = self.runs(request.GET.get("base", ""), request.GET.get("other", ""))
        if errors:
            context["errors"] = errors
            return self.render_to_response(context, status=400)
        changes = analysis.compare(selectors.run_items(base), selectors.run_items(other))
        tables = [self.movements(changes), self.transitions(changes), self.changes(changes, other.measure)]
        exported = exporting(request, tables)
        if exported is not None:
            return exported
        context.update(base=base, other=other, tables=tables)
        return self.render_to_response(context)

    @staticmethod
    def runs(base_id: str, other_id: str):
        if not base_id or not other_id:
            return None, None, [_("Choose two runs to compare.")]
        if not (base_id.isdigit() and other_id.isdigit()):
            return None, None, [_("A run is chosen by its number.")]
        found = {r.pk: r for r in AbcRun.objects.filter(pk__in=[int(base_id), int(other_id)])}
        base, other = found.get(int(base_id)), found.get(int(other_id))
        if base is None or other is None:
            return None, None, [_("There is no such run.")]
        if base.pk == other.pk:
            return None, None, [_("Choose two different runs.")]
        if base.scope != other.scope:
            return None, None, [_("Only runs of the same scope can be compared.")]
        return base, other, []

    @staticmethod
    def movements(changes) -> Table:
        labels = {
            "up": _("up"),
            "down": _("down"),
            "new": _("new"),
            "gone": _("gone"),
            "same": _("unchanged"),
        }
        counted = {m: 0 for m in analysis.MOVEMENTS}
        for c in changes:
            counted[c.movement] += 1
        rows = [[labels[m], counted[m]] for m in analysis.MOVEMENTS]
        return Table(
            "movements", _("Class changes"), [Column(_("change")), Column(_("number of products"), "int")], rows
        )

    @staticmethod
    def transitions(changes) -> Table:
        counts = analysis.transitions(changes)
        rows = [
            [before or "—", after or "—", n]
            for (before, after), n in sorted(counts.items(), key=lambda kv: (kv[0][0] or "Z", kv[0][1] or "Z"))
        ]
        columns = [Column(_("class before")), Column(_("class after")), Column(_("number of products"), "int")]
        return Table("transitions", _("Products per transition"), columns, rows)

    @staticmethod
    def changes(changes, measure: str) -> Table:
        labels = {"up": _("up"), "down": _("down"), "new": _("new"), "gone": _("gone")}
        columns = [
            Column(_("change")),
            Column(_("scope")),
            Column(_("SKU")),
            Column(_("product")),
            Column(_("class before")),
            Column(_("class after")),
            Column(_("value before"), value_kind(measure)),
            Column(_("value after"), value_kind(measure)),
        ]
        rows = [
            [
                labels[c.movement],
                c.scope_name or c.scope_key,
                c.sku,
                c.title or f"#{c.product_id}",
                c.before or "—",
                c.after or "—",
                c.value_before,
                c.value_after,
            ]
            for c in changes
            if c.movement != "same"
        ]
        return Table("changes", _("Products whose class changed"), columns, rows)


class ProductClassView(OperatorOnly, TemplateView):
    template_name = "bigdata/abc/classes.html"

    def get(self, request, *args, **kwargs):
        grade = request.GET.get("grade", "")
        xyz_grade = request.GET.get("xyz", "")
        query = request.GET.get("q", "").strip()[:100]
        if grade not in ("", *GRADES) or xyz_grade not in ("", "-", *XYZ_GRADES):
            grade, xyz_grade = "", ""
            messages.error(request, _("Unknown class: showing every product."))
        rows = selectors.product_classes(grade=grade, xyz=xyz_grade, query=query)
        if request.GET.get("export"):
            table = Table(
                "classes",
                _("Product classes"),
                [
                    Column(_("SKU")),
                    Column(_("product")),
                    Column(_("class")),
                    Column(_("XYZ class")),
                    Column(_("revenue"), "fen"),
                ],
                [[r.sku, r.title or f"#{r.product_id}", r.grade, r.xyz, r.value] for r in rows],
            )
            exported = exporting(request, [table])
            if exported is not None:
                return exported
        page = Paginator(rows, 100).get_page(request.GET.get("page"))
        query_string = request.GET.copy()
        query_string.pop("page", None)
        latest = AbcRun.objects.filter(schedule_key__isnull=False).order_by("-created_at", "-pk").first()
        context = self.get_context_data(
            title=_("Product classes"),
            page=page,
            rows=[(r, display(r.value, "fen")) for r in page.object_list],
            grade=grade,
            xyz=xyz_grade,
            q=query,
            grades=GRADES,
            xyz_grades=XYZ_GRADES,
            latest=latest,
            export_query=urlencode({k: v for k, v in (("grade", grade), ("xyz", xyz_grade), ("q", query)) if v}),
            page_query=query_string.urlencode(),
        )
        return self.render_to_response(context)
