"""Entering held meetings from the minutes book (``services.enter_past_meetings``): the same
rules as one by one, nothing saved when one record breaks them, and the result counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from dangjian.core.events import Timing
from dangjian.core.testing.personas import Personas
from dangjian.meetings import rules, services, signals
from dangjian.meetings.choices import AttendanceStatus, LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.tests.factories import at, kind

pytestmark = pytest.mark.django_db


def past(personas: Personas, **overrides: object) -> services.PastMeeting:
    zhang, li = personas.members["m_b1"], personas.members["m_b1_2"]
    fields: dict[str, object] = {
        "org": personas.b1, "kind": kind("themed_party_day"), "topic": "5月主题党日", "starts_at": at(2026, 5, 8, 9),
        "ends_at": at(2026, 5, 8, 10), "minutes": "应到2人，实到1人，请假1人。", "host": zhang, "recorder": zhang,
        "exceptions": {li.pk: (AttendanceStatus.EXCUSED, "执行抓捕任务")},
    }
    fields.update(overrides)
    return services.PastMeeting(**fields)  # type: ignore[arg-type]


def test_entered_meetings_are_confirmed_with_their_attendance_and_events(personas: Personas) -> None:
    confirmed: list[object] = []
    with signals.meeting_confirmed.subscribed(confirmed.append, timing=Timing.DERIVE):
        [meeting] = services.enter_past_meetings(actor=None, meetings=[past(personas)],
                                                 now=at(2026, 6, 1, 9))
    assert meeting.status == MeetingStatus.CONFIRMED
    rows = {a.member.name: a for a in Attendance.objects.filter(meeting=meeting).select_related("member")}
    assert rows["张三"].status == AttendanceStatus.PRESENT
    assert (rows["李四"].status, rows["李四"].leave_status, rows["李四"].leave_reason) == (
        AttendanceStatus.EXCUSED, LeaveStatus.APPROVED, "执行抓捕任务")
    assert len(confirmed) == 1
    may = [o for o in rules.obligations(None, dt.date(2026, 5, 1), dt.date(2026, 5, 31), today=dt.date(2026, 6, 1),
                                        paths=[personas.b1.path]) if o.kind.code == "themed_party_day"]
    assert [o.is_done for o in may] == [True]  # the entered meeting counts for compliance


@pytest.mark.parametrize(("overrides", "message"), [
    ({"starts_at": at(2026, 7, 1, 9), "ends_at": at(2026, 7, 1, 10)}, "尚未开始"),
    ({"minutes": " "}, "纪要"),
    ({"exceptions": {}, "recorder": None, "host": None}, None),
])
def test_a_record_breaking_a_rule_saves_nothing(personas: Personas, overrides: dict[str, object],
                                                message: str | None) -> None:
    records = [past(personas), past(personas, **overrides)]
    if message is None:  # a valid pair: both are written
        assert len(services.enter_past_meetings(actor=None, meetings=records, now=at(2026, 6, 1, 9))) == 2
        return
    with pytest.raises(ValidationError) as raised:
        services.enter_past_meetings(actor=None, meetings=records, now=at(2026, 6, 1, 9))
    assert message in " ".join(raised.value.messages)
    assert not Meeting.objects.exists()


def test_the_host_cannot_be_recorded_absent(personas: Personas) -> None:
    zhang = personas.members["m_b1"]
    record = past(personas, exceptions={zhang.pk: (AttendanceStatus.ABSENT, "")})
    with pytest.raises(ValidationError) as raised:
        services.enter_past_meetings(actor=None, meetings=[record], now=at(2026, 6, 1, 9))
    assert "主持人" in " ".join(raised.value.messages)
    assert not Meeting.objects.exists()
