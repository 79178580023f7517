"""The meetings module's sections of the inbox (declared in declarations.py, shown by
dangjian.core.inbox): what a user should attend, answer or decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.core.scoping import scope_paths
from dangjian.meetings import rules, stored
from dangjian.meetings.choices import LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting, Solicitation


def mine(user: Any) -> dict[str, Any]:
    """The user's own coming meetings, open solicitations and published agendas (always shown,
    with a sentence when empty)."""
    today = timezone.localdate()
    now = timezone.now()
    member_days = rules.RuleBook().settings(today.year).reminder_days
    coming = (Attendance.objects.visible_to(user, "view")
              .filter(member_id=getattr(user, "member_id", None) or 0, expected=True,
                      meeting__status__in=[MeetingStatus.PLANNED, MeetingStatus.HELD],
                      meeting__ends_at__gte=now, meeting__starts_at__lte=now + dt.timedelta(days=member_days))
              .select_related("meeting", "meeting__kind", "meeting__org").order_by("meeting__starts_at"))
    solicitations = Solicitation.objects.visible_to(user, "view").select_related("org")
    return {
        "mine": coming,
        "open_solicitations": solicitations.filter(opens_on__lte=today, closes_on__gte=today),
        "agendas": solicitations.filter(agenda_published_on__gte=today - dt.timedelta(days=60)),
    }


def to_act(user: Any) -> dict[str, Any] | None:
    """Obligations due soon or overdue in the organizations the user plans meetings for, and
    leave requests to decide; ``None`` when there is nothing."""
    today = timezone.localdate()
    book = rules.RuleBook()
    horizon = max([book.settings(today.year).reminder_days] + [r.remind_days or 0 for r in book.all_requirements()]
                  + [366 for r in book.all_requirements() if r.remind_from_month is not None])
    due: list[rules.Obligation] = []
    paths = scope_paths(user, Meeting.scope_area, "add")
    if paths != []:
        items = stored.obligations(None, today - dt.timedelta(days=92), today + dt.timedelta(days=horizon),
                                  today=today, paths=paths)
        due = rules.reminders(items, today, book)
    leaves = list(Attendance.objects.visible_to(user, "change")
                  .filter(leave_status=LeaveStatus.REQUESTED, meeting__starts_at__gte=timezone.now())
                  .select_related("meeting", "meeting__kind", "member").order_by("meeting__starts_at"))
    if not (due or leaves):
        return None
    return {"obligations": due, "leaves": leaves}
