"""The meetings module's cards of the member portal (declared in declarations.py).

Each function is ``data(viewer, member)``: the module's own scoped read (``visible_to(viewer)``)
narrowed to the member's rows, so the member reads their own attendance and a branch
secretary's preview reads the same rows through the secretary's scope.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone

from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus, LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Solicitation

UPCOMING_DAYS = 60
HISTORY_ROWS = 20


def _rows(viewer: Any, member: Any) -> Any:
    return (Attendance.objects.visible_to(viewer, "view").filter(member=member, expected=True)
            .exclude(meeting__status=MeetingStatus.CANCELLED)
            .select_related("meeting", "meeting__kind", "meeting__org"))


def _with_window(rows: list[Attendance], now: dt.datetime) -> list[dict[str, Any]]:
    out = []
    for attendance in rows:
        meeting = attendance.meeting
        opens, closes = meeting.checkin_window(services.checkin_rules(meeting))
        out.append({
            "a": attendance, "m": meeting, "opens": opens, "closes": closes,
            "can_check_in": (attendance.status != AttendanceStatus.PRESENT and not meeting.is_locked
                             and opens <= now <= closes),
            "present": attendance.status == AttendanceStatus.PRESENT,
            "can_ask_leave": (now < meeting.starts_at and not meeting.is_locked
                              and attendance.leave_status not in (LeaveStatus.REQUESTED, LeaveStatus.APPROVED)),
        })
    return out


def today(viewer: Any, member: Any) -> Any:
    """My meetings today, with the check-in button while its window is open."""
    now = timezone.now()
    start = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(_rows(viewer, member).filter(meeting__starts_at__gte=start,
                                             meeting__starts_at__lt=start + dt.timedelta(days=1))
                .order_by("meeting__starts_at"))
    return {"rows": _with_window(rows, now)} if rows else None


def upcoming(viewer: Any, member: Any) -> Any:
    """My meetings to come (after today), with a leave request while it can still be asked."""
    now = timezone.now()
    tomorrow = (timezone.localtime(now) + dt.timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    rows = list(_rows(viewer, member).filter(meeting__starts_at__gte=tomorrow,
                                             meeting__starts_at__lt=now + dt.timedelta(days=UPCOMING_DAYS))
                .order_by("meeting__starts_at")[:10])
    return {"rows": _with_window(rows, now)}


def history(viewer: Any, member: Any) -> Any:
    """My attendance record: the meetings that have taken place, latest first."""
    rows = list(_rows(viewer, member).filter(meeting__starts_at__lt=timezone.now())
                .order_by("-meeting__starts_at")[:HISTORY_ROWS])
    counts = {"present": sum(1 for a in rows if a.status == AttendanceStatus.PRESENT), "total": len(rows)}
    return {"rows": rows, "counts": counts}


def solicitations(viewer: Any, member: Any) -> Any:
    """Opinion solicitations open now to the member's organization and the organizations above it."""
    today_ = timezone.localdate()
    ancestors = member.org.ancestor_paths()
    rows = list(Solicitation.objects.visible_to(viewer, "view")
                .filter(Q(org__path__in=ancestors), opens_on__lte=today_, closes_on__gte=today_)
                .select_related("org").order_by("closes_on")[:10])
    return {"rows": rows} if rows else None
