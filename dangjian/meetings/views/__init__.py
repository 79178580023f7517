"""Screens of organizational life: the generic declarations, plus the attendance grid,
check-in, the calendar, the compliance matrix and the solicitation form (the inbox sections
are in inbox.py, shown by the core's inbox page).

Every custom view reads through ``visible_to`` / ``get_scoped_or_404`` and answers 404 outside
the user's scope. The two token pages (check-in, opinion form) find their row by an
unguessable token; holding the token is what lets a signed-in user reach them.
"""

from __future__ import annotations

from dangjian.meetings.views.checkin import checkin, qr_png, qr_svg
from dangjian.meetings.views.opinions import agenda, agenda_publish, opinion_form
from dangjian.meetings.views.reports import MATRIX_ROWS_PER_PAGE, compliance, meeting_calendar
from dangjian.meetings.views.screens import (
    AgendaItemViews,
    AttendanceViews,
    CriticismViews,
    MeetingKindViews,
    MeetingRulesViews,
    MeetingViews,
    OpinionViews,
    RectificationViews,
    RequirementViews,
    SolicitationViews,
    TalkViews,
    checkin_path,
)
from dangjian.meetings.views.workflow import (
    amend,
    attachment_download,
    attachment_upload,
    attendance_grid,
    attendee_add,
    attendee_exclude,
    cancel,
    confirm,
    leave_decide,
    leave_request,
)

__all__ = [
    "AgendaItemViews", "AttendanceViews", "CriticismViews", "MATRIX_ROWS_PER_PAGE", "MeetingKindViews",
    "MeetingRulesViews", "MeetingViews", "OpinionViews", "RectificationViews", "RequirementViews",
    "SolicitationViews", "TalkViews", "agenda", "agenda_publish", "amend", "attachment_download",
    "attachment_upload", "attendance_grid", "attendee_add", "attendee_exclude", "cancel", "checkin", "checkin_path",
    "compliance", "confirm", "leave_decide", "leave_request", "meeting_calendar", "opinion_form", "qr_png", "qr_svg"
]
