"""The pipeline board and the inbox section: who is at which stage, what falls due, what is late."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from dangjian.core.views import can
from dangjian.development import rules
from dangjian.development.choices import Stage
from dangjian.development.models import Case, DevelopmentRules, Step

OPEN_STAGES = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY)
HORIZON_DAYS = 30


def today() -> dt.date:
    return timezone.localdate()


def _open_cases(queryset: Any) -> list[Case]:
    return list(queryset.filter(stage__in=OPEN_STAGES).select_related("org")
                .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("on", "id"))))


def _dues(cases: list[Case], day: dt.date) -> list[rules.Due]:
    by_org: dict[int, DevelopmentRules] = {}
    found: list[rules.Due] = []
    for case in cases:
        if case.org_id not in by_org:
            by_org[case.org_id] = rules.rules_for(case.org, day)
        found.extend(rules.clocks(case, list(case.steps.all()), by_org[case.org_id]))
    return sorted(found, key=lambda d: d.due_on)


def board(user: Any, org_id: str | None = None) -> dict[str, Any]:
    if not can(user, Case, "view"):
        raise Http404
    day = today()
    qs = Case.objects.visible_to(user, "view")
    if org_id and org_id.isdigit():
        from dangjian.core.scoping import chosen_subtree

        paths, _org = chosen_subtree(user, "development", int(org_id))
        if paths is not None:
            from django.db.models import Q

            q = Q()
            for p in paths:
                q |= Q(org__path__startswith=p)
            qs = qs.filter(q)
    cases = _open_cases(qs)
    dues = _dues(cases, day)
    branches: dict[int, dict[str, Any]] = {}
    for case in cases:
        entry = branches.setdefault(case.org_id, {"org": case.org, "stages": Counter(), "late": 0, "soon": 0})
        entry["stages"][case.stage] += 1
    for due in dues:
        entry = branches[due.case.org_id]
        if due.late(day):
            entry["late"] += 1
        elif (due.due_on - day).days <= HORIZON_DAYS:
            entry["soon"] += 1
    rows = sorted(branches.values(), key=lambda e: e["org"].path)
    for row in rows:
        row["counts"] = [row["stages"].get(s, 0) for s in OPEN_STAGES]
    upcoming = [d for d in dues if (d.due_on - day).days <= HORIZON_DAYS]
    return {"rows": rows, "stages": [Stage(s).label for s in OPEN_STAGES], "dues": upcoming, "today": day,
            "totals": [sum(r["counts"][i] for r in rows) for i in range(len(OPEN_STAGES))]}


def inbox_due(user: Any) -> dict[str, Any] | None:
    """Clocks late or due within the horizon in the cases the user records steps for."""
    if not can(user, Case, "change"):
        return None
    day = today()
    dues = [d for d in _dues(_open_cases(Case.objects.visible_to(user, "change")), day)
            if (d.due_on - day).days <= HORIZON_DAYS]
    if not dues:
        return None
    return {"dues": dues[:50], "more": max(0, len(dues) - 50), "today": day}
