"""Sales performance pages: the leaderboard with its dimension switch and monthly trend, targets
with achievement, weighted score and ranking (operators and salespeople, scoped), and the
operators' target editor and score weights. Thin: numbers from ``selectors``, writes through
``services``."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import generic

from core.access import is_operator
from core.dashboard.actions import add_errors
from plugins.bigdata.backends.base import Dimension, Filters
from plugins.bigdata.performance import definitions, forms, selectors, services
from plugins.bigdata.performance.models import TargetOwner
from plugins.bigdata.screens.charts import Chart
from plugins.bigdata.screens.scope import salesperson_scope
from plugins.bigdata.screens.tables import Column, Table
from plugins.bigdata.screens.views import AnalyticsView


def _yuan(fen: int | None) -> float | None:
    # chart drawing only (tables and exports carry exact fen)
    return None if fen is None else round(fen / 100, 2)


def _number(value) -> float | None:
    return None if value is None else float(value)


def dimension_label(dimension: Dimension) -> str:
    return str(dict(forms.DIMENSIONS)[dimension.value])


class PerformanceView(AnalyticsView):
    template_name = "bigdata/performance/performance.html"
    title = gettext_lazy("Sales performance")
    definitions = definitions.PERFORMANCE

    def get_context_data(self, **kwargs):
        # the page's own switch, shown even when the filter bar refuses its input
        context = super().get_context_data(**kwargs)
        context.update(dimension=forms.dimension_of(self.request.GET).value, dimensions=forms.DIMENSIONS)
        return context

    def report(self, filters: Filters) -> dict:
        dimension = forms.dimension_of(self.request.GET)
        rows = selectors.leaderboard(filters, dimension)
        summary = selectors.totals(filters)
        months = selectors.trend(filters)
        top = rows[:5]
        lines = selectors.trend_by_row(filters, dimension, [r.key for r in top])
        return {
            "tables": [
                totals_table(summary),
                leaderboard_table(rows, dimension),
                trend_table(months),
            ],
            "charts": [trend_chart(months, top, lines)],
        }


#: the metrics every performance table shows, in order: (label, kind, row attribute); the last,
#: growth against the period before, is labelled by the table (a month's is month-on-month)
_METRICS = (
    (gettext_lazy("Net revenue"), "fen", "revenue"),
    (gettext_lazy("Number of orders"), "int", "orders"),
    (gettext_lazy("Average order value"), "fen", "average_order_value"),
    (gettext_lazy("Active companies"), "int", "active"),
    (gettext_lazy("New companies"), "int", "new"),
    (gettext_lazy("Repeat companies"), "int", "repeat"),
    (gettext_lazy("Repurchase rate"), "percent", "repurchase_rate"),
)


def _metric_columns(growth_label) -> list[Column]:
    return [Column(str(label), kind) for label, kind, _attribute in _METRICS] + [
        Column(growth_label, "percent"),
        Column(_("Year-on-year growth"), "percent"),
    ]


def _metric_cells(row, growth_attribute: str) -> list:
    return [getattr(row, attribute) for _label, _kind, attribute in _METRICS] + [
        getattr(row, growth_attribute),
        row.growth_year,
    ]


def totals_table(t: selectors.Totals) -> Table:
    return Table(
        name="totals",
        title=_("The whole selection"),
        columns=_metric_columns(_("Growth vs previous period")),
        rows=[_metric_cells(t, "growth_previous")],
    )


def leaderboard_table(rows: list[selectors.LeaderRow], dimension: Dimension) -> Table:
    columns = _metric_columns(_("Growth vs previous period"))
    columns[1:1] = [Column(_("Share"), "percent")]
    return Table(
        name="leaderboard",
        title=_("Leaderboard by %(dimension)s") % {"dimension": dimension_label(dimension)},
        columns=[Column(_("Rank"), "int"), Column(dimension_label(dimension)), *columns],
        rows=[
            [r.rank, r.name or _("(unknown)"), r.revenue, r.share, *_metric_cells(r, "growth_previous")[1:]]
            for r in rows
        ],
    )


def trend_table(months: list[selectors.MonthRow]) -> Table:
    return Table(
        name="months",
        title=_("By month"),
        columns=[Column(_("Month")), *_metric_columns(_("Month-on-month growth"))],
        rows=[[f"{m.month:%Y-%m}", *_metric_cells(m, "growth_month")] for m in months],
    )


def trend_chart(months: list[selectors.MonthRow], top: list[selectors.LeaderRow], lines: dict) -> Chart:
    labels = [f"{m.month:%Y-%m}" for m in months]
    series = [
        {"name": str(_("All")), "type": "line", "smooth": False, "data": [_yuan(m.revenue) for m in months]},
    ]
    for r in top:
        by_month = lines.get(r.key, {})
        series.append(
            {
                "name": r.name or str(_("(unknown)")),
                "type": "line",
                "data": [_yuan(by_month.get(m.month, 0)) for m in months],
            }
        )
    return Chart(
        name="trend",
        title=_("Net revenue by month (yuan)"),
        option={
            "tooltip": {"trigger": "axis"},
            "legend": {"type": "scroll", "top": 0},
            "grid": {"left": 80, "right": 30, "top": 40, "bottom": 30},
            "xAxis": {"type": "category", "data": labels},
            "yAxis": {"type": "value"},
            "series": series,
        },
    )


class TargetsView(AnalyticsView):
    template_name = "bigdata/performance/targets.html"
    title = gettext_lazy("Sales targets")
    definitions = definitions.TARGETS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own = salesperson_scope(self.request.user)
        context.update(
            level=forms.level_of(self.request.GET).value,
            owner=forms.owner_of(self.request.GET, salesperson_scope=own),
            levels=forms.TargetLevel.choices,
            owners=TargetOwner.choices,
        )
        return context

    def report(self, filters: Filters) -> dict:
        own = salesperson_scope(self.request.user)
        level = forms.level_of(self.request.GET)
        owner = forms.owner_of(self.request.GET, salesperson_scope=own)
        used = selectors.weights()
        results = selectors.targets_report(filters, level, owner, ranked=own is None, weights_used=used)
        return {
            "weights": used,
            "collections_shown": selectors.collections_available(filters),
            "may_edit": is_operator(self.request.user),
            "tables": [targets_table(results, owner)],
            "charts": [score_chart(results)] if results else [],
        }


def targets_table(results: list[selectors.TargetResult], owner: str) -> Table:
    return Table(
        name="targets",
        title=_("Targets and achievement"),
        columns=[
            Column(_("Target period")),
            Column(_("Rank"), "int"),
            Column(_("Salesperson") if owner == TargetOwner.SALESPERSON else _("Province")),
            Column(_("Revenue target"), "fen"),
            Column(_("Net revenue"), "fen"),
            Column(_("Revenue achievement"), "percent"),
            Column(_("New companies target"), "int"),
            Column(_("New companies"), "int"),
            Column(_("New companies achievement"), "percent"),
            Column(_("Collections target"), "fen"),
            Column(_("Collections"), "fen"),
            Column(_("Collections achievement"), "percent"),
            Column(_("Weighted score"), "percent"),
        ],
        rows=[
            [
                r.period.label,
                r.rank,
                r.owner_name or r.owner_key,
                r.revenue_target,
                r.revenue,
                r.shown("revenue_achievement"),
                r.new_target,
                r.new,
                r.shown("new_achievement"),
                r.collections_target,
                r.collections,
                r.shown("collections_achievement"),
                r.score,
            ]
            for r in results
        ],
    )


def score_chart(results: list[selectors.TargetResult]) -> Chart:
    """The latest period's weighted scores, highest first."""
    latest = max(r.period for r in results)
    shown = sorted(
        (r for r in results if r.period == latest), key=lambda r: (r.score is None, -(r.score or 0), r.owner_name)
    )
    return Chart(
        name="scores",
        title=_("Weighted score, %(period)s") % {"period": latest.label},
        option={
            "tooltip": {"trigger": "axis"},
            "grid": {"left": 60, "right": 30, "top": 30, "bottom": 60},
            "xAxis": {"type": "category", "data": [r.owner_name or r.owner_key for r in shown]},
            "yAxis": {"type": "value", "axisLabel": {"formatter": "{value}%"}},
            "series": [{"type": "bar", "name": str(_("Weighted score")), "data": [_number(r.score) for r in shown]}],
        },
    )


# --- the operators' editors --------------------------------------------------------------------------


class TargetEditorView(generic.View):
    """Targets of one owner kind, period type and year as rows: change, add, delete; every row is
    checked and nothing is saved while one is wrong."""

    template_name = "bigdata/performance/target_editor.html"

    def _choice(self, request):
        choice = forms.EditorChoiceForm(request.GET)
        if not choice.is_valid():
            choice = forms.EditorChoiceForm({})
            choice.is_valid()
        return choice

    def _formset(self, choice, data=None):
        existing = list(choice.targets())
        return forms.TargetFormSet(
            data,
            initial=forms.initial_rows(existing),
            owner_kind=choice.cleaned_data["owner"],
            level=choice.cleaned_data["level"],
            existing_ids=[t.pk for t in existing],
            prefix="targets",
        )

    def _render(self, request, choice, formset, status=200):
        return render(
            request,
            self.template_name,
            {"choice": choice, "formset": formset, "title": _("Target editor"), "weights": selectors.weights()},
            status=status,
        )

    def get(self, request):
        choice = self._choice(request)
        return self._render(request, choice, self._formset(choice))

    def post(self, request):
        choice = self._choice(request)
        formset = self._formset(choice, request.POST)
        if formset.is_valid():
            try:
                written = services.save_targets(rows=formset.inputs(), delete_ids=formset.delete_ids(), by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                deleted = len(formset.delete_ids())
                messages.success(
                    request,
                    _("Targets saved: %(written)d written, %(deleted)d deleted.")
                    % {"written": written, "deleted": deleted},
                )
                return redirect(reverse("bigdata-dashboard:performance-target-editor") + "?" + request.GET.urlencode())
        return self._render(request, choice, formset, status=400)


class WeightsView(generic.View):
    template_name = "bigdata/performance/weights.html"

    def _render(self, request, form, status=200):
        return render(request, self.template_name, {"form": form, "title": _("Score weights")}, status=status)

    def get(self, request):
        w = selectors.weights()
        initial = {"revenue": w.revenue, "new_customers": w.new_customers, "collections": w.collections, "cap": w.cap}
        return self._render(request, forms.WeightsForm(initial=initial))

    def post(self, request):
        form = forms.WeightsForm(request.POST)
        if form.is_valid():
            try:
                services.save_weights(**form.cleaned_data, by=request.user)
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("Score weights saved."))
                return redirect("bigdata-dashboard:performance-weights")
        return self._render(request, form, status=400)
