"""The marketing return page (operators and salespeople, scoped) and the activity editor
(operators)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from core.access import is_operator
from plugins.bigdata.backends.base import Filters
from plugins.bigdata.marketing import returns, selectors
from plugins.bigdata.marketing.forms import ActivityForm
from plugins.bigdata.marketing.models import Activity
from plugins.bigdata.screens.charts import Chart
from plugins.bigdata.screens.tables import Column, Table
from plugins.bigdata.screens.views import AnalyticsView

#: campaigns drawn in the trend chart (the largest net revenue first)
TREND_LINES = 8


def _period(campaign: returns.CampaignReturn) -> str:
    if campaign.start is None:
        return ""
    return f"{campaign.start.isoformat()} – {campaign.end.isoformat()}"


def _money_columns() -> list[Column]:
    return [
        Column(_("Discounts kept"), "fen"),
        Column(_("Budget"), "fen"),
        Column(_("Marketing cost"), "fen"),
        Column(_("Net revenue"), "fen"),
        Column(_("Orders"), "int"),
        Column(_("New companies"), "int"),
        Column(_("ROI"), "percent"),
    ]


def _figures(t: returns.Totals) -> list:
    return [t.discounts, t.budget, t.cost, t.revenue, t.orders, t.new_companies, t.roi]


class MarketingView(AnalyticsView):
    template_name = "bigdata/dashboard/marketing.html"
    title = gettext_lazy("Marketing return")
    definitions = returns.DEFINITIONS

    def report(self, filters: Filters) -> dict:
        campaigns = returns.campaign_returns(filters)
        kinds = {k: str(v) for k, v in returns.KIND_LABELS.items()}
        summary = Table(
            "campaigns",
            _("Campaigns"),
            [Column(_("Campaign")), Column(_("Type")), Column(_("Activity period")), *_money_columns()],
            [[c.name, kinds[c.kind], _period(c), *_figures(c)] for c in campaigns],
        )
        trend = Table(
            "trend",
            _("Monthly trend"),
            [Column(_("Campaign")), Column(_("Type")), Column(_("Month")), *_money_columns()],
            [
                [c.name, kinds[c.kind], month.strftime("%Y-%m"), *_figures(t)]
                for c in campaigns
                for month, t in c.months.items()
            ],
        )
        return {
            "tables": [summary, trend],
            "charts": self.charts(campaigns),
            "activities": list(selectors.activities()) if is_operator(self.request.user) else [],
            "budget_hidden": returns.narrowed(filters),
        }

    def charts(self, campaigns: list[returns.CampaignReturn]) -> list[Chart]:
        drawn = sorted(campaigns, key=lambda c: (-c.revenue, c.key))[:TREND_LINES]
        months = sorted({m for c in drawn for m in c.months})
        labels = [m.strftime("%Y-%m") for m in months]
        lines = [
            {
                "name": c.name,
                "type": "line",
                "data": [round(c.months[m].revenue / 100, 2) if m in c.months else 0 for m in months],
            }
            for c in drawn
        ]
        trend = {
            "tooltip": {"trigger": "axis"},
            "legend": {"type": "scroll"},
            "xAxis": {"type": "category", "data": labels},
            "yAxis": {"type": "value", "name": _("Net revenue (yuan)")},
            "series": lines,
        }
        with_roi = [c for c in campaigns if c.roi is not None]
        roi = {
            "tooltip": {"trigger": "axis"},
            "xAxis": {
                "type": "category",
                "data": [c.name for c in with_roi],
                "axisLabel": {"interval": 0, "rotate": 30},
            },
            "yAxis": {"type": "value", "name": "ROI %"},
            "series": [{"type": "bar", "name": "ROI %", "data": [float(c.roi) for c in with_roi]}],
        }
        return [
            Chart("marketing-trend", _("Net revenue by month"), trend),
            Chart("marketing-roi", _("ROI by campaign"), roi),
        ]


class _OperatorsOnly:
    def dispatch(self, request, *args, **kwargs):
        if not is_operator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ActivityEditView(_OperatorsOnly, FormView):
    """Create (no pk) or change an activity; a refused form saves nothing and names the field."""

    template_name = "bigdata/dashboard/marketing_activity_form.html"
    form_class = ActivityForm

    def get_activity(self) -> Activity | None:
        pk = self.kwargs.get("pk")
        return get_object_or_404(Activity, pk=pk) if pk is not None else None

    def get_initial(self):
        activity = self.get_activity()
        return ActivityForm.initial_of(activity) if activity is not None else super().get_initial()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["activity"] = self.get_activity()
        return context

    def form_valid(self, form):
        activity = form.save(activity=self.get_activity(), by=self.request.user)
        messages.success(self.request, _("Activity “%(name)s” saved.") % {"name": activity.name})
        return redirect("bigdata-dashboard:marketing")
