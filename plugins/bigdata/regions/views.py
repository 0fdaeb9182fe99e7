"""The regional distribution pages: provinces on a China map (示意图) beside a ranked table, and the
cities of one province (drill-down from a table row or a click on the map). Both obey the filter
bar and a metric switch (revenue, order count, active companies, average order value)."""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from plugins.bigdata.backends.base import Filters
from plugins.bigdata.backends.names import province_name
from plugins.bigdata.regions import selectors
from plugins.bigdata.regions.selectors import DEFAULT_METRIC, MAP_NAMES, METRICS, MONEY_METRICS, RegionRow
from plugins.bigdata.screens.charts import Chart
from plugins.bigdata.screens.tables import Column, Table, yuan
from plugins.bigdata.screens.views import AnalyticsView

DEFINITIONS = (
    (
        _("Revenue"),
        _(
            "The goods' value of the sales in the period, less refunds (on the day they were paid back) and "
            "cancellations (on the day of the cancellation); freight excluded."
        ),
    ),
    (_("Share"), _("The region's revenue as a percent of the revenue of every region in the selection.")),
    (
        _("Order count"),
        _("Orders with a sale in the period less orders cancelled in the period."),
    ),
    (_("Active companies"), _("Companies whose revenue in the region and period is above zero.")),
    (_("Average order value"), _("Revenue ÷ order count, to the fen; “—” when there are no orders.")),
    (
        _("Map"),
        _(
            "A schematic map (示意图) of the province-level divisions, coloured by the chosen metric; "
            "click a province to see its cities."
        ),
    ),
)


def _columns(place: str) -> list[Column]:
    return [
        Column(gettext("Rank"), "int"),
        Column(place, "text"),
        Column(gettext("Revenue"), "fen"),
        Column(gettext("Share"), "percent"),
        Column(gettext("Order count"), "int"),
        Column(gettext("Active companies"), "int"),
        Column(gettext("Average order value"), "fen"),
    ]


def _cells(row: RegionRow) -> list:
    return [row.rank, row.name, row.revenue, row.share, row.orders, row.companies, row.average_order_value]


def _chart_value(row: RegionRow, metric: str):
    value = row.value(metric)
    if value is None:
        return "-"  # ECharts: no value (drawn as an empty region)
    return float(yuan(value)) if metric in MONEY_METRICS else value


class RegionsView(AnalyticsView):
    """Provinces: the map and the ranked table."""

    template_name = "bigdata/dashboard/regions/provinces.html"
    title = _("Regional distribution")
    definitions = DEFINITIONS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        self.metric = self.request.GET.get("metric") or DEFAULT_METRIC
        if self.metric not in METRICS:
            # refused like a bad filter: the message in the filter bar's errors, no report
            kwargs["form"].add_error(
                None,
                gettext("Choose what to rank by: revenue, order count, active companies or average order value."),
            )
        context.update(metric=self.metric, metrics=[(key, str(label)) for key, label in METRICS.items()])
        return context

    def _query(self) -> str:
        """The page's filters for links (without an export request)."""
        query = self.request.GET.copy()
        for name in ("export", "table", "province", "city"):
            query.pop(name, None)
        encoded = query.urlencode()
        return "?" + encoded if encoded else ""

    def cities_url(self, code: str) -> str:
        return reverse("bigdata-dashboard:region-cities", args=[code]) + self._query()

    def report(self, filters: Filters) -> dict:
        rows = selectors.province_rows(filters, self.metric)
        label = str(METRICS[self.metric])
        links = {r.map_name: self.cities_url(r.code) for r in rows if r.map_name}
        by_name = {r.map_name: r for r in rows if r.map_name}
        data = []
        for name in MAP_NAMES.values():
            row = by_name.get(name)
            # a province without sales in the selection has none: 0, or no average at all
            value = _chart_value(row, self.metric) if row else ("-" if self.metric == "aov" else 0)
            data.append({"name": name, "value": value})
        numbers = [d["value"] for d in data if d["value"] != "-"]
        unit = gettext("yuan") if self.metric in MONEY_METRICS else ""
        option = {
            "tooltip": {"trigger": "item", "formatter": "{b}<br/>" + label + ": {c}" + (" " + unit if unit else "")},
            "visualMap": {
                "type": "continuous",
                "min": min([0, *numbers]),
                "max": max([1, *numbers]),
                "left": "left",
                "bottom": 10,
                "text": [gettext("High"), gettext("Low")],
                "calculable": True,
                "inRange": {"color": ["#e3f2fd", "#64b5f6", "#1565c0", "#0d2f6e"]},
            },
            "series": [
                {
                    "name": label,
                    "type": "map",
                    "map": "china",
                    "roam": False,
                    "selectedMode": False,
                    "label": {"show": False},
                    "emphasis": {"label": {"show": True}},
                    "data": data,
                }
            ],
            "_link": links,
        }
        title = gettext("Provinces by %(metric)s") % {"metric": label}
        table = Table(
            "provinces",
            title,
            _columns(gettext("Province")),
            rows=[_cells(r) for r in rows],
            links=[self.cities_url(r.code) if r.code else "" for r in rows],
            link_column=1,
        )
        title = gettext("%(metric)s by province") % {"metric": label}
        chart = Chart("province-map", title, option, height=520, map="china")
        return {
            "tables": [table],
            "charts": [chart],
            "table": table,
            "chart": chart,
        }


class CitiesView(RegionsView):
    """The cities of one province (the drill-down): a ranked bar chart and table."""

    template_name = "bigdata/dashboard/regions/cities.html"

    def get(self, request, *args, **kwargs):
        if kwargs["code"] not in selectors.PROVINCE_CODES:
            raise Http404
        self.province_code = kwargs["code"]
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=gettext("Cities of %(province)s") % {"province": province_name(self.province_code)},
            regions_url=reverse("bigdata-dashboard:regions") + self._query(),
        )
        return context

    def report(self, filters: Filters) -> dict:
        rows = selectors.city_rows(filters, self.province_code, self.metric)
        label = str(METRICS[self.metric])
        shown = [r for r in rows if r.value(self.metric) is not None]
        option = {
            "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
            "grid": {"left": 8, "right": 24, "top": 8, "bottom": 8, "containLabel": True},
            "xAxis": {"type": "value"},
            # the best city on top
            "yAxis": {"type": "category", "data": [r.name for r in reversed(shown)]},
            "series": [
                {
                    "name": label,
                    "type": "bar",
                    "data": [_chart_value(r, self.metric) for r in reversed(shown)],
                    "itemStyle": {"color": "#1565c0"},
                }
            ],
        }
        title = gettext("Cities by %(metric)s") % {"metric": label}
        table = Table("cities", title, _columns(gettext("City")), rows=[_cells(r) for r in rows])
        title = gettext("%(metric)s by city") % {"metric": label}
        chart = Chart("city-bars", title, option, height=max(240, 28 * len(shown) + 40))
        return {
            "tables": [table],
            "charts": [chart],
            "table": table,
            "chart": chart,
        }
