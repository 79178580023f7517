"""Generated API suites of the meeting viewsets (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

import itertools
from typing import Any

from dangjian.core.testing.api_suites import ViewSetSuite
from dangjian.core.testing.personas import Personas, make_member
from dangjian.meetings.api.views import AttendanceViewSet, MeetingViewSet
from dangjian.meetings.models import Attendance, Meeting, MeetingKind
from dangjian.meetings.tests.test_suites import _meeting

_n = itertools.count(1)


class TestMeetingAPISuite(ViewSetSuite):
    viewset = MeetingViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"
    change = {"topic": "接口改后的会议主题", "place": "二楼会议室"}

    @classmethod
    def make_row(cls, p: Personas) -> Meeting:
        return _meeting(p.b1)

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "kind": MeetingKind.objects.get(code="party_lecture").pk,
                "topic": f"接口党课{next(_n)}", "starts_at": "2026-04-02T09:00:00+08:00",
                "ends_at": "2026-04-02T10:30:00+08:00", "place": "党员活动室"}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "org": p.b3.pk}

    @classmethod
    def foreign_change(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b3.pk}


class TestAttendanceAPISuite(ViewSetSuite):
    viewset = AttendanceViewSet
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_row(cls, p: Personas) -> Attendance:
        row = Attendance(meeting=_meeting(p.b1), member=make_member(p.b1))
        row.save()
        return row
