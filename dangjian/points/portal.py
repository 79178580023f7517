"""The points module's card of the member portal: this year's balance and every entry with its
reason (``rules.explain`` over the viewer's scoped ledger, narrowed to the member)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.points import rules, services, violations
from dangjian.points.choices import ViolationCycle, ViolationStatus
from dangjian.points.models import Objection, PointEntry, ViolationRecord

SHOWN = 15


def mine(viewer: Any, member: Any) -> Any:
    year = timezone.localdate().year
    x = rules.explain(member, year, PointEntry.objects.visible_to(viewer, "view"))
    entries = list(reversed(x.pending + x.entries))[:SHOWN]
    return {"year": year, "x": x, "entries": entries}


def record(viewer: Any, member: Any) -> Any:
    """The member's violation records (their points in the scheme's cycle, each record's state, the
    appeal and its deadline) and their objections to point entries with the branch's answers;
    ``None`` (no card) for a member with neither."""
    year = timezone.localdate().year
    today = timezone.localdate()
    rows = list(ViolationRecord.objects.visible_to(viewer, "view").filter(member=member)
                .select_related("kind").order_by("-occurred_on", "-id")[:SHOWN])
    objections = list(Objection.objects.visible_to(viewer, "view").filter(member=member)
                      .select_related("entry__rule").order_by("-id")[:SHOWN])
    if not rows and not objections:
        return None
    shown = []
    for row in rows:
        deadline = violations.appeal_deadline(row)
        shown.append({"r": row, "deadline": deadline,
                      "appealable": row.status == ViolationStatus.CONFIRMED and (deadline is None or today <= deadline)})
    scheme = services.scheme_for(year)
    _key, total = violations.cycle_total(member, today, scheme)  # the thresholds' own count
    return {"year": year, "rows": shown, "objections": objections, "total": total,
            "rolling": scheme.violation_cycle == ViolationCycle.ROLLING_24}
