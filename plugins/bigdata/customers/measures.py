"""The customers area's calculations, pure (no ORM): the selectors hand them one row per company
(never facts) and they return what the pages, the exports and the GraphQL API show.

Conversion funnel
    Stages in order: registered → verified → first basket → first order → first payment → repeat
    order (the timestamps are defined where they are read, ``selectors.timelines``). A company
    *reaches* a stage when it has the stage's timestamp and has reached every stage before it; it
    reaches it at the latest of those timestamps (so a company that ordered before it was verified
    reaches "first order" when it is verified, and no time in a stage is negative). Conversion from
    the previous stage = reached ÷ reached the stage before; from registration = reached ÷
    registered. Median time in a stage = the median, over the companies that reached the next
    stage, of the time between reaching the stage and reaching the next one, in days (one decimal,
    half up). Cohort = the month (Asia/Shanghai) of registration.

Sales cycle
    Days from the start (the registration day, or the day of the assignment to the salesperson
    credited with the first sale) to the day of the first paid order, calendar days in
    Asia/Shanghai (a start after the sale, possible only for migrated data, counts as 0). Median
    (the middle value; the mean of the two middle ones for an even count) and a histogram over
    ``BUCKETS``.

RFM
    R (recency) = days from the company's last sale in the period to the period's last day;
    F (frequency) = its net orders in the period; M (monetary) = its net revenue in the period
    (fen); companies with net revenue above zero and a sale in the period. Each is *high* when
    strictly better than the median of the companies shown: R below the median, F above it, M above
    it (with many companies on one value, e.g. F = 1, the median company itself is low). The three
    high/low answers name the segment (``SEGMENTS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

SHANGHAI = ZoneInfo("Asia/Shanghai")
ONE_DECIMAL = Decimal("0.1")
MICROSECONDS_A_DAY = 86_400_000_000

# --- shared ----------------------------------------------------------------------------------------


def local_day(moment: datetime) -> date:
    return moment.astimezone(SHANGHAI).date()


def percent(part: int, whole: int) -> Decimal | None:
    """part ÷ whole in percent, one decimal, half up; None when whole is 0."""
    if whole <= 0:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def median(values: Sequence[int]) -> Decimal | None:
    """The middle value (the mean of the two middle ones for an even count), exact."""
    ordered = sorted(values)
    n = len(ordered)
    if n == 0:
        return None
    low, high = ordered[(n - 1) // 2], ordered[n // 2]
    return Decimal(low + high) / 2


def weighted_median(counts: Iterable[tuple[int, int]]) -> Decimal | None:
    """The median of values given as (value, how many times): exact, like ``median``."""
    pairs = sorted((value, n) for value, n in counts if n > 0)
    total = sum(n for _value, n in pairs)
    if total == 0:
        return None
    wanted = ((total - 1) // 2, total // 2)  # 0-based positions of the two middle values
    found, seen = [], 0
    for value, n in pairs:
        while len(found) < 2 and wanted[len(found)] < seen + n:
            found.append(value)
        seen += n
        if len(found) == 2:
            break
    return Decimal(found[0] + found[1]) / 2


def days(value: Decimal | None) -> Decimal | None:
    """A number of days as shown: one decimal, half up."""
    return None if value is None else value.quantize(ONE_DECIMAL, rounding=ROUND_HALF_UP)


def micro_to_days(value: Decimal | None) -> Decimal | None:
    return None if value is None else days(value / MICROSECONDS_A_DAY)


def _micro(later: datetime, earlier: datetime) -> int:
    delta = later - earlier
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


# --- conversion funnel -------------------------------------------------------------------------------

STAGES: tuple[tuple[str, object], ...] = (
    ("registered", _("Registered")),
    ("verified", _("Verified")),
    ("first_basket", _("First basket")),
    ("first_order", _("First order")),
    ("first_payment", _("First payment")),
    ("repeat_order", _("Repeat order")),
)
STAGE_CODES = tuple(code for code, _label in STAGES)


@dataclass(frozen=True)
class Timeline:
    """One company's stage timestamps (None: not happened)."""

    company_id: int
    registered: datetime
    verified: datetime | None = None
    first_basket: datetime | None = None
    first_order: datetime | None = None
    first_payment: datetime | None = None
    repeat_order: datetime | None = None

    def reached(self) -> list[datetime]:
        """When the company reached each stage, in order, up to the first it has not reached."""
        times: list[datetime] = []
        for code in STAGE_CODES:
            moment = getattr(self, code)
            if moment is None:
                break
            times.append(max(moment, times[-1]) if times else moment)
        return times

    @property
    def cohort(self) -> date:
        return local_day(self.registered).replace(day=1)


@dataclass(frozen=True)
class StageRow:
    code: str
    label: str
    companies: int
    #: reached ÷ reached the previous stage, percent (None for the first stage or nobody before)
    conversion: Decimal | None
    #: reached ÷ registered, percent
    from_registered: Decimal | None
    #: median days from reaching the previous stage to reaching this one (None: first stage / nobody)
    median_days: Decimal | None


@dataclass(frozen=True)
class Cohort:
    month: date | None  # None: every cohort together
    stages: tuple[StageRow, ...]

    @property
    def registered(self) -> int:
        return self.stages[0].companies


def stage_rows(timelines: Sequence[Timeline]) -> tuple[StageRow, ...]:
    reached = [t.reached() for t in timelines]
    counts = [sum(1 for r in reached if len(r) > k) for k in range(len(STAGES))]
    rows = []
    for k, (code, label) in enumerate(STAGES):
        waits = [_micro(r[k], r[k - 1]) for r in reached if k > 0 and len(r) > k]
        rows.append(
            StageRow(
                code=code,
                label=str(label),
                companies=counts[k],
                conversion=percent(counts[k], counts[k - 1]) if k else None,
                from_registered=percent(counts[k], counts[0]),
                median_days=micro_to_days(median(waits)) if k else None,
            )
        )
    return tuple(rows)


def funnel(timelines: Sequence[Timeline]) -> tuple[Cohort, list[Cohort]]:
    """Every cohort together, then one per registration month (oldest first)."""
    months: dict[date, list[Timeline]] = {}
    for t in timelines:
        months.setdefault(t.cohort, []).append(t)
    return Cohort(None, stage_rows(timelines)), [Cohort(m, stage_rows(months[m])) for m in sorted(months)]


# --- sales cycle -----------------------------------------------------------------------------------

REGISTRATION, ASSIGNMENT = "registration", "assignment"
BASES = {REGISTRATION: _("from registration"), ASSIGNMENT: _("from assignment to the salesperson")}
BASIS_CHOICE_ERROR = _("Choose the start of the cycle from the list.")
FIRST_RANGE_ERROR = _("Ask for 0 to 1,000 companies.")

#: histogram buckets of the cycle in days (both ends included; None: no upper end)
BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 7),
    (8, 14),
    (15, 30),
    (31, 60),
    (61, 90),
    (91, 180),
    (181, 365),
    (366, None),
)


def bucket_label(low: int, high: int | None) -> str:
    return f"{low}–{high}" if high is not None else f"≥{low}"


def bucket_of(value: int) -> int:
    for index, (low, high) in enumerate(BUCKETS):
        if value >= low and (high is None or value <= high):
            return index
    return 0


@dataclass(frozen=True)
class FirstSale:
    """A company's first paid order (within the filters) and where its cycle starts."""

    company_id: int
    day: date
    salesperson_id: int | None
    salesperson_name: str
    registered: datetime | None
    #: the last assignment to ``salesperson_id`` before the sale (None: none on record)
    assigned: datetime | None


@dataclass(frozen=True)
class CycleGroup:
    key: str  # salesperson id ("" for every salesperson together / none credited)
    name: str
    companies: int
    median_days: Decimal | None
    buckets: tuple[int, ...]


@dataclass(frozen=True)
class Cycle:
    basis: str
    total: CycleGroup
    salespeople: tuple[CycleGroup, ...]
    #: first sales left out: no start on record for the basis (no assignment before the sale)
    without_start: int


def cycle_days(sale: FirstSale, basis: str) -> int | None:
    start = sale.assigned if basis == ASSIGNMENT else sale.registered
    if start is None:
        return None
    return max((sale.day - local_day(start)).days, 0)


def _group(key: str, name: str, values: list[int]) -> CycleGroup:
    buckets = [0] * len(BUCKETS)
    for value in values:
        buckets[bucket_of(value)] += 1
    return CycleGroup(key, name, len(values), days(median(values)), tuple(buckets))


def cycle(sales: Sequence[FirstSale], basis: str, everyone: str = "") -> Cycle:
    """The cycle of ``sales`` on ``basis`` for everyone and per credited salesperson (by name)."""
    per: dict[str, tuple[str, list[int]]] = {}
    values, missing = [], 0
    for sale in sales:
        value = cycle_days(sale, basis)
        if value is None:
            missing += 1
            continue
        values.append(value)
        key = str(sale.salesperson_id or "")
        per.setdefault(key, (sale.salesperson_name, []))[1].append(value)
    groups = sorted((_group(key, name, vals) for key, (name, vals) in per.items()), key=lambda g: (g.name, g.key))
    return Cycle(basis, _group("", everyone, values), tuple(groups), missing)


# --- RFM ---------------------------------------------------------------------------------------------

#: (code, label, recency high, frequency high, monetary high)
SEGMENTS: tuple[tuple[str, object, bool, bool, bool], ...] = (
    ("important_value", _("Important value customers"), True, True, True),
    ("important_development", _("Important development customers"), True, False, True),
    ("important_retention", _("Important retention customers"), False, True, True),
    ("important_winback", _("Important win-back customers"), False, False, True),
    ("general_value", _("General value customers"), True, True, False),
    ("general_development", _("General development customers"), True, False, False),
    ("general_retention", _("General retention customers"), False, True, False),
    ("general_winback", _("General win-back customers"), False, False, False),
)
_SEGMENT_BY_LEVELS = {(r, f, m): code for code, _label, r, f, m in SEGMENTS}
SEGMENT_LABELS = {code: label for code, label, *_levels in SEGMENTS}


@dataclass(frozen=True)
class CompanyRfm:
    company_id: int
    name: str
    recency_days: int
    frequency: int
    monetary: int  # fen


@dataclass(frozen=True)
class Medians:
    recency: Decimal | None
    frequency: Decimal | None
    monetary: Decimal | None


@dataclass(frozen=True)
class Scored:
    company: CompanyRfm
    segment: str


def medians(rows: Sequence[CompanyRfm]) -> Medians:
    return Medians(
        median([r.recency_days for r in rows]),
        median([r.frequency for r in rows]),
        median([r.monetary for r in rows]),
    )


def segment_of(row: CompanyRfm, m: Medians) -> str:
    return _SEGMENT_BY_LEVELS[(row.recency_days < m.recency, row.frequency > m.frequency, row.monetary > m.monetary)]


def score(rows: Sequence[CompanyRfm]) -> tuple[Medians, list[Scored]]:
    m = medians(rows)
    return m, [Scored(row, segment_of(row, m)) for row in rows]
