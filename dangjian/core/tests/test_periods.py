"""Calendar arithmetic (core/periods.py): table tests with the numbers the modules use and
property tests over the whole date range the application meets (1950-2100)."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dangjian.core.periods import (
    HALF_YEAR,
    MONTH,
    MONTHS_PER_PERIOD,
    QUARTER,
    YEAR,
    Period,
    add_months,
    add_years,
    month_end,
    month_start,
    months_apart,
    months_between,
    periods_ending_between,
    periods_of_year,
)

days = st.dates(min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31))
shifts = st.integers(min_value=-600, max_value=600)
frequencies = st.sampled_from([MONTH, QUARTER, HALF_YEAR, YEAR])


@pytest.mark.parametrize(("day", "months", "expected"), [
    (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),      # clamped to a short month
    (dt.date(2024, 1, 31), 1, dt.date(2024, 2, 29)),      # a leap February
    (dt.date(2026, 11, 1), 3, dt.date(2027, 2, 1)),       # across the year end
    (dt.date(2026, 3, 31), -1, dt.date(2026, 2, 28)),
    (dt.date(2026, 7, 15), -19, dt.date(2024, 12, 15)),
])
def test_add_months(day: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(("start", "years", "expected"), [
    (dt.date(2026, 7, 1), 5, dt.date(2031, 7, 1)),        # a party committee's term (TERM18)
    (dt.date(2026, 7, 1), 3, dt.date(2029, 7, 1)),        # a branch's term
    (dt.date(2024, 2, 29), 3, dt.date(2027, 2, 28)),      # a leap day ends on 28 February
    (dt.date(2024, 2, 29), 4, dt.date(2028, 2, 29)),
    (dt.date(1900, 2, 28), 4, dt.date(1904, 2, 28)),      # 1900 was not a leap year, 1904 was
])
def test_add_years(start: dt.date, years: int, expected: dt.date) -> None:
    assert add_years(start, years) == expected


def test_period_keys_labels_and_columns() -> None:
    quarters = periods_of_year(2026, QUARTER)
    assert [p.key for p in quarters] == ["2026Q1", "2026Q2", "2026Q3", "2026Q4"]
    assert quarters[0].end == dt.date(2026, 3, 31)
    assert (quarters[1].label, quarters[1].short_label) == ("2026年第2季度", "第2季度")
    months = periods_ending_between(MONTH, dt.date(2026, 1, 15), dt.date(2026, 3, 31))
    assert [p.key for p in months] == ["2026-01", "2026-02", "2026-03"]
    assert months[1].end == dt.date(2026, 2, 28) and (months[1].label, months[1].short_label) == ("2026年2月", "2月")
    halves = periods_of_year(2026, HALF_YEAR)
    assert [(p.key, p.label, p.short_label) for p in halves] == [
        ("2026H1", "2026年上半年", "上半年"), ("2026H2", "2026年下半年", "下半年")]
    assert [(p.key, p.label, p.end) for p in periods_of_year(2028, YEAR)] == [("2028", "2028年", dt.date(2028, 12, 31))]
    assert Period.containing(dt.date(2028, 2, 29), MONTH).end == dt.date(2028, 2, 29)


@given(days, shifts)
def test_add_months_keeps_the_day_or_ends_the_shorter_month(day: dt.date, n: int) -> None:
    result = add_months(day, n)
    assert months_apart(day, result) == n
    last = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, last)
    if day.day <= 28:
        assert add_months(result, -n) == day


@given(days)
def test_month_start_and_end_enclose_the_day(day: dt.date) -> None:
    first, last = month_start(day), month_end(day)
    assert first.day == 1 and first <= day <= last and (first.year, first.month) == (last.year, last.month)
    assert (last + dt.timedelta(days=1)).day == 1
    assert (month_end(dt.date(day.year, 2, 1)).day == 29) is calendar.isleap(day.year)


@given(days, days)
def test_months_between_counts_every_month_once(a: dt.date, b: dt.date) -> None:
    first, last = min(a, b), max(a, b)
    months = months_between(first, last)
    assert len(months) == months_apart(first, last) + 1
    assert months[0] == month_start(first) and months[-1] == month_start(last)
    assert all(months_apart(x, y) == 1 for x, y in zip(months, months[1:], strict=False))


@given(days, frequencies)
def test_a_period_contains_its_day_and_the_next_one_follows(day: dt.date, frequency: str) -> None:
    period = Period.containing(day, frequency)
    assert period.start <= day <= period.end
    assert period.start.day == 1 and (period.start.month - 1) % MONTHS_PER_PERIOD[frequency] == 0
    assert months_apart(period.start, period.end) == MONTHS_PER_PERIOD[frequency] - 1
    assert period.end == month_end(period.end)
    following = period.next()
    assert following.start == period.end + dt.timedelta(days=1)
    assert Period.containing(period.end, frequency) == period == Period.containing(period.start, frequency)


@given(days, st.integers(min_value=0, max_value=800), frequencies)
def test_periods_ending_between_are_exactly_those_whose_end_is_in_range(
    start: dt.date, length: int, frequency: str
) -> None:
    end = start + dt.timedelta(days=length)
    found = periods_ending_between(frequency, start, end)
    ends = {Period.containing(start + dt.timedelta(days=k), frequency) for k in range(length + 1)}
    assert found == sorted(p for p in ends if start <= p.end <= end)
