"""Calendar arithmetic every module shares: months, quarters, half-years and years.

Pure functions over ``datetime.date`` (no database, no time zone): terms of office end a number
of years after they start, dues are billed per month, meeting obligations fall due per month,
quarter, half-year or year. One implementation, property-tested in core/tests/test_periods.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.utils.translation import pgettext

MONTH, QUARTER, HALF_YEAR, YEAR = "month", "quarter", "half_year", "year"

#: Months in one period of each frequency (the values of meetings' ``Frequency`` choices).
MONTHS_PER_PERIOD = {MONTH: 1, QUARTER: 3, HALF_YEAR: 6, YEAR: 12}


def month_start(day: dt.date) -> dt.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: dt.date) -> dt.date:
    """The last day of ``day``'s month (leap years included)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the end of a shorter month:
    31 January + 1 month is 28 (or 29) February; the 1st stays the 1st."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` later; 29 February becomes 28 February in a common year."""
    return add_months(day, 12 * years)


def months_apart(earlier: dt.date, later: dt.date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s (January -> July = 6)."""
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first day of every month from ``first``'s month to ``last``'s, both included."""
    start = month_start(first)
    return [add_months(start, k) for k in range(months_apart(start, last) + 1)]


@dataclass(frozen=True, order=True)
class Period:
    """One calendar period of a frequency: [start, end], both days included."""

    start: dt.date
    end: dt.date
    frequency: str

    @classmethod
    def containing(cls, day: dt.date, frequency: str) -> Period:
        """The period of ``frequency`` that ``day`` falls in."""
        months = MONTHS_PER_PERIOD[frequency]
        first_month = (day.month - 1) // months * months + 1
        start = dt.date(day.year, first_month, 1)
        return cls(start, month_end(add_months(start, months - 1)), frequency)

    @property
    def index(self) -> int:
        """1-based position in its year (the 2 of "second quarter")."""
        return (self.start.month - 1) // MONTHS_PER_PERIOD[self.frequency] + 1

    def next(self) -> Period:
        return Period.containing(self.end + dt.timedelta(days=1), self.frequency)

    @property
    def key(self) -> str:
        """A stable sortable key: ``2026-05``, ``2026Q2``, ``2026H1``, ``2026``."""
        year = self.start.year
        return {
            MONTH: f"{year}-{self.start.month:02d}",
            QUARTER: f"{year}Q{self.index}",
            HALF_YEAR: f"{year}H{self.index}",
            YEAR: f"{year}",
        }[self.frequency]

    @property
    def label(self) -> str:
        """The period named for people (2026年5月, 2026年第2季度, 2026年上半年, 2026年)."""
        values = {"year": self.start.year, "month": self.start.month, "index": self.index}
        if self.frequency == MONTH:
            return pgettext("period", "%(month)d/%(year)d") % values
        if self.frequency == QUARTER:
            return pgettext("period", "Q%(index)d %(year)d") % values
        if self.frequency == HALF_YEAR:
            if self.index == 1:
                return pgettext("period", "first half of %(year)d") % values
            return pgettext("period", "second half of %(year)d") % values
        return pgettext("period", "year %(year)d") % values

    @property
    def short_label(self) -> str:
        """The label without the year, for column headers (5月, 第2季度, 上半年); a year keeps it."""
        values = {"month": self.start.month, "index": self.index}
        if self.frequency == MONTH:
            return pgettext("period", "month %(month)d") % values
        if self.frequency == QUARTER:
            return pgettext("period", "Q%(index)d") % values
        if self.frequency == HALF_YEAR:
            return pgettext("period", "first half") if self.index == 1 else pgettext("period", "second half")
        return self.label


def period_containing(day: dt.date, frequency: str) -> Period:
    return Period.containing(day, frequency)


def periods_ending_between(frequency: str, start: dt.date, end: dt.date) -> list[Period]:
    """Every period of ``frequency`` whose last day lies in [start, end]."""
    periods: list[Period] = []
    period = Period.containing(start, frequency)
    while period.start <= end:
        if start <= period.end <= end:
            periods.append(period)
        period = period.next()
    return periods


def periods_of_year(year: int, frequency: str) -> list[Period]:
    """The months, quarters, half-years or the one year of ``year``."""
    return periods_ending_between(frequency, dt.date(year, 1, 1), dt.date(year, 12, 31))


def year_from_query(raw: str | None, default: int) -> int:
    """A year typed into a URL (``?year=``): four digits within 2000–2100, else ``default``."""
    raw = (raw or "").strip()
    year = int(raw) if raw.isdigit() and len(raw) == 4 else 0
    return year if 2000 <= year <= 2100 else default
