"""Working days over the holiday and 调休 calendar (development.CalendarDay)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dangjian.development.choices import DayKind


def special_days(start: dt.date, end: dt.date) -> dict[dt.date, str]:
    from dangjian.development.models import CalendarDay

    return dict(CalendarDay.objects.filter(day__gte=start, day__lte=end).values_list("day", "kind"))


def is_working_day(day: dt.date, special: Mapping[dt.date, str]) -> bool:
    kind = special.get(day)
    if kind == DayKind.HOLIDAY:
        return False
    if kind == DayKind.WORKDAY:
        return True
    return day.weekday() < 5


def add_working_days(start: dt.date, days: int, special: Mapping[dt.date, str] | None = None) -> dt.date:
    """The day on which a period of ``days`` working days that starts on ``start`` is complete
    (``start`` counts when it is a working day). Holidays on weekdays do not count; a weekend
    day worked in exchange (调休) does."""
    if days <= 0:
        return start
    if special is None:
        special = special_days(start, start + dt.timedelta(days=days * 3 + 30))
    day = start
    counted = 0
    while True:
        if is_working_day(day, special):
            counted += 1
            if counted == days:
                return day
        day += dt.timedelta(days=1)
