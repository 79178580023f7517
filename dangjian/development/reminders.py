"""The development module's reminder sources: probation ending (预备期满) and the other clocks
of a case (talks, assessments, public notices, approvals), each from ``HORIZON_DAYS`` before it
falls due, for those who record the case's steps."""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Iterator

from dangjian.core.reminders import Due
from dangjian.development.board import HORIZON_DAYS, _dues, _open_cases
from dangjian.development.choices import Stage
from dangjian.development.models import Case


def _items(day: dt.date, *, probation: bool) -> Iterator[Due]:
    cases = _open_cases(Case.objects.filter(stage=Stage.PROBATIONARY) if probation  # scope-ok: a job over every row
                        else Case.objects.exclude(stage=Stage.PROBATIONARY))  # scope-ok: a job over every row
    for due in _dues(cases, day):
        if (due.due_on - day).days > HORIZON_DAYS:
            continue
        case = due.case
        yield Due(object_key=f"development.case:{case.pk}:{zlib.crc32(due.what.encode()):08x}", due_on=due.due_on,
                  title=f"{case.name} · {due.what}", url=case.get_absolute_url(), org_path=case.org.path,
                  org_id=case.org_id, area="development", action="change")


def probation_ending(day: dt.date) -> Iterator[Due]:
    return _items(day, probation=True)


def development_clocks(day: dt.date) -> Iterator[Due]:
    return _items(day, probation=False)
