"""The customers area's reports, one function each, shared by the pages and the GraphQL API (so
both show the same numbers): the selectors' rows through ``measures``. ``filters`` are already
scoped to who asks (``screens.scope``)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from plugins.bigdata.backends.base import Filters
from plugins.bigdata.customers import measures, selectors
from plugins.bigdata.customers.measures import Cohort, Cycle, Medians, Scored


def funnel(filters: Filters) -> tuple[Cohort, list[Cohort]]:
    return measures.funnel(selectors.timelines(filters))


def sales_cycle(filters: Filters, basis: str) -> Cycle:
    return measures.cycle(selectors.first_sales(filters), basis, everyone=_("All salespeople together"))


@dataclass(frozen=True)
class SegmentRow:
    code: str
    label: str
    recency_high: bool
    frequency_high: bool
    monetary_high: bool
    companies: int
    share: Decimal | None  # of the companies shown, percent
    revenue: int  # fen
    orders: int
    median_recency_days: Decimal | None
    #: finance's payment behaviour (None without finance or without paid orders)
    median_days_to_pay: Decimal | None
    overdue_share: Decimal | None


@dataclass(frozen=True)
class Rfm:
    medians: Medians
    companies: list[Scored]
    segments: list[SegmentRow]
    #: whether finance is installed (payment behaviour shown)
    with_payments: bool


def rfm(filters: Filters) -> Rfm:
    rows = selectors.rfm_rows(filters)
    m, scored = measures.score(rows)
    with_payments = selectors.finance_installed() and filters.period is not None
    behaviour = selectors.payment_behaviour([r.company_id for r in rows], filters) if with_payments and rows else {}
    segments = []
    for code, label, r_high, f_high, m_high in measures.SEGMENTS:
        members = [s.company for s in scored if s.segment == code]
        waits: dict[int, int] = {}
        due = overdue = 0
        for company in members:
            paid = behaviour.get(company.company_id)
            if paid is None:
                continue
            for waited, n in paid.days.items():
                waits[waited] = waits.get(waited, 0) + n
            due, overdue = due + paid.due, overdue + paid.overdue
        segments.append(
            SegmentRow(
                code=code,
                label=str(label),
                recency_high=r_high,
                frequency_high=f_high,
                monetary_high=m_high,
                companies=len(members),
                share=measures.percent(len(members), len(scored)),
                revenue=sum(c.monetary for c in members),
                orders=sum(c.frequency for c in members),
                median_recency_days=measures.days(measures.median([c.recency_days for c in members])),
                median_days_to_pay=measures.days(measures.weighted_median(waits.items())),
                overdue_share=measures.percent(overdue, due),
            )
        )
    return Rfm(m, scored, segments, with_payments)


@dataclass(frozen=True)
class GradeRow:
    grade: str  # "A", "B", "C" or "" (not graded yet)
    label: str
    companies: int
    share: Decimal | None


GRADES = ("A", "B", "C", "")


def value_grades(filters: Filters) -> list[GradeRow] | None:
    """member_tiers' A/B/C value grade over the covered companies; None without member_tiers."""
    counts = selectors.value_grades(filters)
    if counts is None:
        return None
    total = sum(counts.values())
    return [
        GradeRow(
            grade, grade or _("Not graded yet"), counts.get(grade, 0), measures.percent(counts.get(grade, 0), total)
        )
        for grade in GRADES
    ]
