"""Rows of the supervision tests over the personas' tree.

The unit committee C1 runs a plan over its branches; ``inspector_c1`` is on the team that
inspects B1 (the target); B2 is inspected by nobody's team; a plan of the root committee
inspects C2 with ``root_staff`` alone.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from dangjian.supervision.models import (
    Clue,
    Filing,
    FilingItem,
    FilingRequirement,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionRectification,
    InspectionRound,
)

_n = itertools.count(1)


def plan(committee: Any, **fields: Any) -> InspectionPlan:
    values = {"title": f"测试督察规划{next(_n)}", "term_start": 2026, "term_years": 5, "rounds_per_year": 2,
              "capacity": 2, **fields}
    row = InspectionPlan(committee=committee, **values)
    row.save()
    return row


def round_of(p: InspectionPlan, year: int = 2026, number: int | None = None) -> InspectionRound:
    number = number if number is not None else next(_n)
    row = InspectionRound(plan=p, year=year, number=number, starts_on=dt.date(year, 3, 1))
    row.save()
    return row


def inspection(target: Any, leader: Any, *, committee: Any = None, team: tuple[Any, ...] = (),
               feedback: bool = False, **fields: Any) -> Inspection:
    committee = committee if committee is not None else target.get_parent()
    the_plan = InspectionPlan.objects.filter(committee=committee).first() or plan(committee)
    row = Inspection(round=round_of(the_plan), target=target, leader=leader, stage="stationed",
                     stationed_on=dt.date(2026, 3, 10), **fields)
    if feedback:
        row.stage, row.feedback_on = "feedback", dt.date(2026, 5, 10)
        row.feedback_leadership, row.feedback_head, row.evaluation = "反馈班子", "反馈主要负责人", {"political": "较好"}
    row.save()
    for user in team:
        row.team.add(user)
    return row


def finding(insp: Inspection, *, confirmed: bool = True, text: str | None = None) -> Finding:
    row = Finding(inspection=insp, area="organizational", text=text or f"三会一课记录不规范{next(_n)}",
                  evidence="会议记录本第3页", confirmed=confirmed)
    row.save()
    return row


def item(f: Finding, owner: Any, **fields: Any) -> InspectionRectification:
    values = {"content": f"整改措施{next(_n)}", "deadline": dt.date(2026, 7, 10), **fields}
    row = InspectionRectification(org=f.inspection.target, finding=f, owner=owner, **values)
    row.save()
    return row


def clue(insp: Inspection, department: Any, summary: str | None = None) -> Clue:
    row = Clue(inspection=insp, department=department, summary=summary or f"问题线索{next(_n)}")
    row.save()
    return row


def filing(org: Any, year: int = 2026, quarter: int = 1, **fields: Any) -> Filing:
    fields.setdefault("due_on", dt.date(year, 4, 15))
    row = Filing(org=org, year=year, quarter=quarter, **fields)
    row.save()
    for requirement in FilingRequirement.rows_in_force(year).filter(org_kind=org.kind):
        FilingItem(filing=row, requirement=requirement).save()
    return row


def team_inspection(p: Any, **kw: Any) -> Inspection:
    """B1 inspected by C1's team led by inspector_c1."""
    return inspection(p.b1, p.user("inspector_c1"), committee=p.c1, **kw)


def years_from(start: int) -> int:
    return start + next(_n) % 50
