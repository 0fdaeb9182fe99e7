"""The customers area's pages (数据分析 → 转化漏斗, 销售周期, 客户价值): thin views on the shell's
``AnalyticsView`` — the numbers come from ``reports`` (the GraphQL API shows the same)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from plugins.bigdata.backends.base import Filters
from plugins.bigdata.customers import measures, reports
from plugins.bigdata.screens.charts import Chart
from plugins.bigdata.screens.tables import Column, Table, yuan
from plugins.bigdata.screens.views import AnalyticsView

TEMPLATE = "bigdata/customers/page.html"
#: the RFM page lists this many companies (highest net revenue first); its export lists them all
COMPANY_ROWS = 500
#: the RFM scatter draws this many companies (highest net revenue first)
SCATTER_POINTS = 2000

COMPANY_FILTERS = gettext_lazy(
    "Companies by their registered province and city, their current tier, and salesperson (the "
    "companies a salesperson owns now or that have a sale credited to them). The period chooses the "
    "companies registered in it; their later stages are counted up to today. Supplier and category "
    "do not apply."
)


def _high(flag: bool) -> str:
    return _("high") if flag else _("low")


class FunnelView(AnalyticsView):
    template_name = TEMPLATE
    title = gettext_lazy("Conversion funnel")
    definitions = (
        (gettext_lazy("Filters"), COMPANY_FILTERS),
        (gettext_lazy("Registered"), gettext_lazy("The earlier of the company's creation and its application.")),
        (gettext_lazy("Verified"), gettext_lazy("The company's first verification by an operator.")),
        (
            gettext_lazy("First basket"),
            gettext_lazy("The first product put in a basket by any of the company's people."),
        ),
        (gettext_lazy("First order"), gettext_lazy("The company's first order placed, whatever became of it.")),
        (
            gettext_lazy("First payment"),
            gettext_lazy("The company's first sale: an order's payment secured (on account or received)."),
        ),
        (gettext_lazy("Repeat order"), gettext_lazy("The payment of a second order of the company secured.")),
        (
            gettext_lazy("Reached"),
            gettext_lazy(
                "A company reaches a stage when it has reached every stage before it, at the latest of "
                "those times (an order before the verification reaches the stage when it is verified)."
            ),
        ),
        (
            gettext_lazy("Conversion"),
            gettext_lazy("Companies at the stage ÷ companies at the stage before (and ÷ companies registered)."),
        ),
        (
            gettext_lazy("Median days"),
            gettext_lazy(
                "The median time between reaching the stage before and reaching this one, over the "
                "companies that reached it, in days."
            ),
        ),
        (gettext_lazy("Cohort"), gettext_lazy("The month (Asia/Shanghai) in which the company registered.")),
    )

    def report(self, filters: Filters) -> dict:
        total, cohorts = reports.funnel(filters)
        stages = Table(
            "funnel",
            _("Funnel stages"),
            [
                Column(_("Stage")),
                Column(_("Companies"), "int"),
                Column(_("Conversion from the stage before"), "percent"),
                Column(_("Conversion from registration"), "percent"),
                Column(_("Median days from the stage before"), "int"),
            ],
            [[s.label, s.companies, s.conversion, s.from_registered, s.median_days] for s in total.stages],
        )
        later = total.stages[1:]
        counts = Table(
            "cohorts",
            _("Cohorts by registration month"),
            [Column(_("Cohort")), Column(_("Registered"), "int")]
            + [column for s in later for column in (Column(s.label, "int"), Column(f"{s.label} %", "percent"))],
            [
                [f"{c.month:%Y-%m}", c.registered]
                + [value for s in c.stages[1:] for value in (s.companies, s.from_registered)]
                for c in cohorts
            ],
        )
        times = Table(
            "cohort_times",
            _("Median days in each stage by registration month"),
            [Column(_("Cohort"))] + [Column(s.label, "int") for s in later],
            [[f"{c.month:%Y-%m}"] + [s.median_days for s in c.stages[1:]] for c in cohorts],
        )
        chart = Chart(
            "funnel",
            _("Conversion funnel"),
            {
                "tooltip": {"trigger": "item", "formatter": "{b}: {c}"},
                "series": [
                    {
                        "type": "funnel",
                        "sort": "none",
                        "min": 0,
                        "max": max(total.registered, 1),
                        "label": {"show": True, "position": "inside", "formatter": "{b}: {c}"},
                        "data": [{"name": s.label, "value": s.companies} for s in total.stages],
                    }
                ],
            },
        )
        return {"tables": [stages, counts, times], "charts": [chart]}


class SalesCycleView(AnalyticsView):
    template_name = TEMPLATE
    title = gettext_lazy("Sales cycle")
    definitions = (
        (
            gettext_lazy("Filters"),
            gettext_lazy(
                "Every filter applies to the sales: a company counts when its first paid order within the "
                "region, supplier, category, salesperson and tier chosen falls in the period."
            ),
        ),
        (
            gettext_lazy("First paid order"),
            gettext_lazy(
                "The company's first sale (an order's payment secured) over all history up to the end of "
                "the period, within the other filters; credited to the salesperson on that sale."
            ),
        ),
        (
            gettext_lazy("Sales cycle"),
            gettext_lazy(
                "Calendar days (Asia/Shanghai) from the start to the day of the first paid order. Start: "
                "the registration, or the last assignment of the company to the salesperson credited "
                "with the sale before it (companies without one are left out)."
            ),
        ),
        (
            gettext_lazy("Median days"),
            gettext_lazy("The middle value; the mean of the two middle ones for an even count."),
        ),
    )

    def get_context_data(self, **kwargs):
        # the start of the cycle is this page's own filter (shown even when the filter bar is wrong)
        context = super().get_context_data(**kwargs)
        context["bases"] = [(code, str(label)) for code, label in measures.BASES.items()]
        context["basis"] = self.request.GET.get("basis") or measures.REGISTRATION
        return context

    def report(self, filters: Filters) -> dict:
        basis = self.request.GET.get("basis") or measures.REGISTRATION
        if basis not in measures.BASES:
            return {"tables": [], "charts": [], "page_error": str(measures.BASIS_CHOICE_ERROR)}
        result = reports.sales_cycle(filters, basis)
        labels = [measures.bucket_label(low, high) for low, high in measures.BUCKETS]
        table = Table(
            "cycle",
            _("Sales cycle by salesperson"),
            [Column(_("Salesperson")), Column(_("Companies"), "int"), Column(_("Median days"), "int")]
            + [Column(_("%(range)s days") % {"range": label}, "int") for label in labels],
            [
                [g.name or _("No salesperson"), g.companies, g.median_days, *g.buckets]
                for g in (result.total, *result.salespeople)
            ],
        )
        chart = Chart(
            "cycle",
            _("Days to the first paid order"),
            {
                "tooltip": {"trigger": "axis"},
                "xAxis": {"type": "category", "data": labels, "name": _("days")},
                "yAxis": {"type": "value", "name": _("Companies"), "minInterval": 1},
                "series": [{"type": "bar", "name": _("Companies"), "data": list(result.total.buckets)}],
            },
        )
        notes = []
        if result.without_start:
            notes.append(
                _("%(n)d companies have no assignment to their salesperson on record before their first paid order.")
                % {"n": result.without_start}
            )
        return {"tables": [table], "charts": [chart], "notes": notes}


class CustomerValueView(AnalyticsView):
    template_name = TEMPLATE
    title = gettext_lazy("Customer value")
    definitions = (
        (
            gettext_lazy("Value grade"),
            gettext_lazy(
                "The member's A/B/C grade kept by member tiers (recomputed nightly from paid orders), now; "
                "companies chosen like the funnel's, the period does not apply."
            ),
        ),
        (
            gettext_lazy("R (recency)"),
            gettext_lazy("Days from the company's last sale in the period to the period's last day."),
        ),
        (gettext_lazy("F (frequency)"), gettext_lazy("The company's net orders in the period.")),
        (gettext_lazy("M (monetary)"), gettext_lazy("The company's net revenue in the period.")),
        (
            gettext_lazy("High / low"),
            gettext_lazy(
                "Against the median of the companies shown (with net revenue above zero and a sale in "
                "the period): R is high below the median, F and M above it."
            ),
        ),
        (
            gettext_lazy("Days to pay"),
            gettext_lazy(
                "Calendar days from placing an order in the period to its payment received (finance); the "
                "median over the segment's paid orders."
            ),
        ),
        (
            gettext_lazy("Overdue share"),
            gettext_lazy(
                "Of the segment's orders on account placed in the period that are paid or past their due "
                "date, the share paid after the due date or still unpaid."
            ),
        ),
        (
            gettext_lazy("Filters"),
            gettext_lazy("RFM obeys every filter on the sales; the value grades obey region, tier and salesperson."),
        ),
    )

    def report(self, filters: Filters) -> dict:
        tables, charts, notes = [], [], []
        grades = reports.value_grades(filters)
        if grades is None:
            notes.append(_("Member tiers are not installed: there are no value grades to show."))
        else:
            tables.append(
                Table(
                    "grades",
                    _("Value grades"),
                    [Column(_("Value grade")), Column(_("Companies"), "int"), Column(_("Share"), "percent")],
                    [[g.label, g.companies, g.share] for g in grades],
                )
            )
            charts.append(
                Chart(
                    "grades",
                    _("Value grades"),
                    {
                        "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
                        "series": [
                            {
                                "type": "pie",
                                "radius": "65%",
                                "data": [{"name": g.label, "value": g.companies} for g in grades],
                            }
                        ],
                    },
                    height=300,
                )
            )
        rfm = reports.rfm(filters)
        columns = [
            Column(_("Segment")),
            Column(_("R")),
            Column(_("F")),
            Column(_("M")),
            Column(_("Companies"), "int"),
            Column(_("Share"), "percent"),
            Column(_("Net revenue"), "fen"),
            Column(_("Net orders"), "int"),
            Column(_("Median recency (days)"), "int"),
        ]
        if rfm.with_payments:
            columns += [Column(_("Median days to pay"), "int"), Column(_("Overdue share"), "percent")]
        else:
            notes.append(_("Finance is not installed: payment behaviour is not shown."))
        rows = []
        for s in rfm.segments:
            row = [
                s.label,
                _high(s.recency_high),
                _high(s.frequency_high),
                _high(s.monetary_high),
                s.companies,
                s.share,
                s.revenue,
                s.orders,
                s.median_recency_days,
            ]
            if rfm.with_payments:
                row += [s.median_days_to_pay, s.overdue_share]
            rows.append(row)
        tables.append(Table("rfm_segments", _("RFM segments"), columns, rows))
        ranked = sorted(rfm.companies, key=lambda s: (-s.company.monetary, s.company.company_id))
        exporting = self.request.GET.get("table") == "rfm_companies" and self.request.GET.get("export")
        shown = ranked if exporting else ranked[:COMPANY_ROWS]
        tables.append(
            Table(
                "rfm_companies",
                _("RFM by company"),
                [
                    Column(_("Customer company")),
                    Column(_("Recency (days)"), "int"),
                    Column(_("Net orders"), "int"),
                    Column(_("Net revenue"), "fen"),
                    Column(_("Segment")),
                ],
                [
                    [
                        s.company.name,
                        s.company.recency_days,
                        s.company.frequency,
                        s.company.monetary,
                        str(measures.SEGMENT_LABELS[s.segment]),
                    ]
                    for s in shown
                ],
            )
        )
        if len(ranked) > COMPANY_ROWS:
            notes.append(
                _("The page lists the %(n)d companies with the highest net revenue of %(total)d; the export lists all.")
                % {"n": COMPANY_ROWS, "total": len(ranked)}
            )
        charts.append(self._scatter(ranked[:SCATTER_POINTS]))
        m = rfm.medians
        medians = None
        if m.recency is not None:
            medians = _("Medians: recency %(r)s days, frequency %(f)s orders, monetary ¥%(m)s.") % {
                "r": measures.days(m.recency),
                "f": measures.days(m.frequency),
                "m": f"{(m.monetary / 100).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}",
            }
        return {"tables": tables, "charts": charts, "notes": notes, "summary": medians}

    def _scatter(self, scored: list) -> Chart:
        series = []
        for code, label, *_levels in measures.SEGMENTS:
            points = [
                [s.company.frequency, float(yuan(s.company.monetary)), s.company.recency_days, s.company.name]
                for s in scored
                if s.segment == code
            ]
            series.append({"type": "scatter", "name": str(label), "data": points, "symbolSize": 8})
        return Chart(
            "rfm",
            _("RFM: net orders and net revenue by company"),
            {
                "legend": {"type": "scroll", "top": 0},
                "grid": {"top": 48},
                "tooltip": {"trigger": "item", "formatter": "{a}: {c}"},
                "xAxis": {"type": "value", "name": _("Net orders"), "minInterval": 1},
                "yAxis": {"type": "value", "name": _("Net revenue (yuan)")},
                "series": series,
            },
            height=420,
        )
