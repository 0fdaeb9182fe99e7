"""Target periods (month, quarter, year) and the comparison periods of growth. Pure: no ORM.

A target period is named by its first day: a month starts on the 1st, a quarter on 1 January,
April, July or October, a year on 1 January. Operators type it as ``2026-11``, ``2026-Q4`` or
``2026`` (or the first day as an ISO date, which must be aligned).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from plugins.bigdata.backends.base import Period


class Level(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


MONTHS = {Level.MONTH: 1, Level.QUARTER: 3, Level.YEAR: 12}


def add_months(day: date, months: int) -> date:
    """The first day of the month ``months`` after ``day``'s month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(day: date) -> date:
    return add_months(day, 1) - timedelta(days=1)


def aligned(level: Level, start: date) -> bool:
    if start.day != 1:
        return False
    if level == Level.QUARTER:
        return start.month in (1, 4, 7, 10)
    if level == Level.YEAR:
        return start.month == 1
    return True


@dataclass(frozen=True, order=True)
class TargetPeriod:
    level: Level
    start: date

    def __post_init__(self):
        if not aligned(self.level, self.start):
            raise ValueError(f"{self.start} does not start a {self.level}")

    @property
    def end(self) -> date:
        return add_months(self.start, MONTHS[self.level]) - timedelta(days=1)

    @property
    def period(self) -> Period:
        return Period(self.start, self.end)

    @property
    def label(self) -> str:
        if self.level == Level.YEAR:
            return f"{self.start.year}"
        if self.level == Level.QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start:%Y-%m}"

    def months(self) -> list[date]:
        return [add_months(self.start, i) for i in range(MONTHS[self.level])]

    def __str__(self) -> str:
        return self.label


class PeriodError(ValueError):
    """Why a typed period is not one (the message is for the operator)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")
_YEAR = re.compile(r"^(\d{4})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse(level: Level, text: str) -> TargetPeriod:
    """``text`` as a period of ``level``; ``PeriodError`` with a code saying what is wrong:
    ``format`` (not a period of that level), ``alignment`` (a date that does not start one)."""
    text = (text or "").strip()
    if _DATE.match(text):
        try:
            day = date.fromisoformat(text)
        except ValueError:
            raise PeriodError("format") from None
        if not aligned(level, day):
            raise PeriodError("alignment")
        return TargetPeriod(level, day)
    pattern = {Level.MONTH: _MONTH, Level.QUARTER: _QUARTER, Level.YEAR: _YEAR}[level]
    found = pattern.match(text)
    if not found:
        # a month typed for a quarter (2026-05) is an alignment error when it names a real month
        month = _MONTH.match(text)
        if level != Level.MONTH and month and 1 <= int(month.group(2)) <= 12:
            start = date(int(month.group(1)), int(month.group(2)), 1)
            if aligned(level, start):
                return TargetPeriod(level, start)
            raise PeriodError("alignment")
        raise PeriodError("format")
    year = int(found.group(1))
    if not 2000 <= year <= 2100:
        raise PeriodError("format")
    if level == Level.MONTH:
        month_number = int(found.group(2))
        if not 1 <= month_number <= 12:
            raise PeriodError("format")
        return TargetPeriod(level, date(year, month_number, 1))
    if level == Level.QUARTER:
        return TargetPeriod(level, date(year, (int(found.group(2)) - 1) * 3 + 1, 1))
    return TargetPeriod(level, date(year, 1, 1))


def starting_within(level: Level, period: Period) -> list[TargetPeriod]:
    """The periods of ``level`` whose first day lies in ``period`` (what the targets page lists)."""
    first = period.start.replace(day=1)
    while not aligned(level, first):
        first = add_months(first, 1)
    if first < period.start:
        first = add_months(first, MONTHS[level])
        while not aligned(level, first):
            first = add_months(first, 1)
    found = []
    while first <= period.end:
        found.append(TargetPeriod(level, first))
        first = add_months(first, MONTHS[level])
    return found


def months_of(period: Period) -> list[date]:
    """The first day of each calendar month ``period`` touches."""
    months, month = [], period.start.replace(day=1)
    while month <= period.end:
        months.append(month)
        month = add_months(month, 1)
    return months


def year_before(day: date) -> date:
    """The same day a year earlier (29 February → 28 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous(period: Period) -> Period:
    """The period just before ``period`` of the same length: as many whole months when it is whole
    months (so one calendar month compares with the month before), else as many days."""
    if period.whole_months:
        count = len(months_of(period))
        start = add_months(period.start, -count)
        return Period(start, period.start - timedelta(days=1))
    days = (period.end - period.start).days + 1
    return Period(period.start - timedelta(days=days), period.start - timedelta(days=1))


def last_year(period: Period) -> Period:
    """The same dates a year earlier (a whole-months period stays whole months)."""
    if period.whole_months:
        return Period(year_before(period.start), month_end(year_before(period.end).replace(day=1)))
    return Period(year_before(period.start), year_before(period.end))
