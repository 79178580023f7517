"""Business rules of meetings: expected attendees, check-in, leave, confirmation lock, amendments,
attachments, events."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from dangjian.core.events import Timing
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import Personas, make_member
from dangjian.meetings import services, signals
from dangjian.meetings.choices import AttendanceStatus, LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting, MeetingAmendment, MeetingRules
from dangjian.meetings.tests.factories import at, give_committee, kind, make_meeting

pytestmark = pytest.mark.django_db


def planned(org: Any, code: str = "themed_party_day", start: dt.datetime | None = None) -> Meeting:
    return make_meeting(org, code, start or at(2026, 5, 8, 9), status=MeetingStatus.PLANNED, present=0)


def reset(meeting: Meeting) -> Meeting:
    meeting.attendances.update(status=AttendanceStatus.PENDING)
    return meeting


def test_expected_attendees_come_from_the_organization(personas: Personas) -> None:
    committee = give_committee(personas.b1, 3)
    branch_meeting = planned(personas.b1)
    assert {a.member.name for a in branch_meeting.attendances.all()} == {"张三", "李四", *(m.name for m in committee)}
    committee_meeting = planned(personas.b1, "branch_committee")
    assert {a.member_id for a in committee_meeting.attendances.all()} == {m.pk for m in committee}
    grouped = make_member(personas.b1, group=personas.g1)
    group_meeting = planned(personas.g1, "group_meeting")
    assert [a.member_id for a in group_meeting.attendances.all()] == [grouped.pk]
    talk = planned(personas.b1, "heart_to_heart_talk")
    assert talk.attendances.count() == 0


def test_expected_list_changes_need_a_reason(personas: Personas) -> None:
    meeting = planned(personas.b1)
    outsider = personas.members["m_b2"]
    with pytest.raises(ValidationError):
        services.add_attendee(actor=None, meeting=meeting, member=outsider, reason=" ")
    services.add_attendee(actor=None, meeting=meeting, member=outsider, reason="列席")
    row = meeting.attendances.get(member=personas.members["m_b1"])
    services.exclude_attendee(actor=None, attendance=row, reason="长期病假，不计入应到人数")
    services.sync_expected(actor=None, meeting=meeting)  # recomputing keeps the decisions made by hand
    assert meeting.attendances.get(member=outsider).expected
    assert not meeting.attendances.get(member=personas.members["m_b1"]).expected


def test_check_in_is_idempotent_and_windowed(personas: Personas) -> None:
    meeting = reset(planned(personas.b1, start=at(2026, 5, 8, 9)))
    user = personas.user("member_b1")
    seen: list[Any] = []
    with signals.attendance_recorded.subscribed(seen.append, timing=Timing.DERIVE):
        early = services.check_in(user=user, meeting=meeting, now=at(2026, 5, 8, 8, 29))
        assert early[0] is services.CheckinResult.NOT_OPEN_YET
        result, attendance = services.check_in(user=user, meeting=meeting, now=at(2026, 5, 8, 8, 30))
        assert result is services.CheckinResult.CHECKED_IN and attendance is not None
        assert attendance.checked_in_at == at(2026, 5, 8, 8, 30) and attendance.checkin_method == "qr"
        version = Attendance.objects.get(pk=attendance.pk).version
        again = services.check_in(user=user, meeting=meeting, now=at(2026, 5, 8, 9, 10))
        assert again[0] is services.CheckinResult.ALREADY
        assert Attendance.objects.get(pk=attendance.pk).version == version  # nothing written
        assert Attendance.objects.get(pk=attendance.pk).checked_in_at == at(2026, 5, 8, 8, 30)
        assert len(seen) == 1 and seen[0].evidence.pk == attendance.pk and seen[0].evidence.meeting == meeting
        assert seen[0].actor == user and seen[0].evidence_key == f"meetings.attendance:{attendance.pk}"
    other = reset(planned(personas.b1, start=at(2026, 5, 9, 9)))
    late = services.check_in(user=user, meeting=other, now=at(2026, 5, 9, 11, 1))  # ends 11:00
    assert late[0] is services.CheckinResult.CLOSED


def test_the_check_in_window_is_configurable(personas: Personas) -> None:
    MeetingRules.objects.filter(year=2026).update(checkin_minutes_before=60, checkin_minutes_after_end=15)
    meeting = reset(planned(personas.b1, start=at(2026, 5, 8, 9)))
    user = personas.user("member_b1")
    assert services.check_in(user=user, meeting=meeting, now=at(2026, 5, 8, 11, 14))[0] is services.CheckinResult.CHECKED_IN
    other = reset(planned(personas.b1, start=at(2026, 5, 9, 9)))
    assert services.check_in(user=user, meeting=other, now=at(2026, 5, 9, 8, 0))[0] is services.CheckinResult.CHECKED_IN


def test_a_member_not_expected_cannot_check_in(personas: Personas) -> None:
    meeting = reset(planned(personas.b2))
    result, attendance = services.check_in(user=personas.user("member_b1"), meeting=meeting, now=at(2026, 5, 8, 9))
    assert result is services.CheckinResult.NOT_EXPECTED and attendance is None
    admin = services.check_in(user=personas.user("officer_b1"), meeting=meeting, now=at(2026, 5, 8, 9))
    assert admin[0] is services.CheckinResult.NOT_EXPECTED  # an account without a member profile


def test_excused_needs_leave_requested_before_the_start_and_approved(personas: Personas) -> None:
    meeting = reset(planned(personas.b1, start=at(2026, 5, 8, 9)))
    row = meeting.attendances.get(member=personas.members["m_b1"])
    with pytest.raises(ValidationError):
        services.record_attendance(actor=None, meeting=meeting, statuses={row.pk: AttendanceStatus.EXCUSED})
    with pytest.raises(ValidationError):
        services.request_leave(actor=None, attendance=row, reason="出差", now=at(2026, 5, 8, 9, 5))
    services.request_leave(actor=None, attendance=row, reason="出差", now=at(2026, 5, 7, 18))
    officer = personas.user("officer_b1")
    services.decide_leave(actor=officer, attendance=row, approve=True, now=at(2026, 5, 7, 19))
    row.refresh_from_db()
    assert row.status == AttendanceStatus.EXCUSED and row.leave_status == LeaveStatus.APPROVED
    assert row.leave_decided_by == officer


def test_confirmation_locks_the_record(personas: Personas) -> None:
    meeting = reset(planned(personas.b1, start=at(2026, 5, 8, 9)))
    with pytest.raises(ValidationError) as pending:
        services.confirm_meeting(actor=None, meeting=meeting, now=at(2026, 5, 8, 12))
    assert "2" in " ".join(pending.value.messages)
    rows: dict[int, str] = {a.pk: AttendanceStatus.PRESENT for a in meeting.attendances.all()}
    services.record_attendance(actor=None, meeting=meeting, statuses=rows)
    confirmed: list[Any] = []
    with signals.meeting_confirmed.subscribed(confirmed.append, timing=Timing.DERIVE):
        services.confirm_meeting(actor=personas.user("officer_b1"), meeting=meeting, now=at(2026, 5, 8, 12))
    assert confirmed and len(confirmed[0]["attendances"]) == 2 and confirmed[0].evidence.status == "confirmed"
    assert meeting.is_locked
    for call in (
        lambda: services.record_attendance(actor=None, meeting=meeting, statuses=dict.fromkeys(rows, "absent")),
        lambda: services.add_attendee(actor=None, meeting=meeting, member=personas.members["m_b2"], reason="x"),
    ):
        with pytest.raises(ValidationError):
            call()
    late = services.check_in(user=personas.user("member_b1"), meeting=meeting, now=at(2026, 5, 8, 10))
    assert late[0] is services.CheckinResult.ALREADY


def test_an_amendment_keeps_its_reason_and_changes_and_is_audited(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    row = meeting.attendances.get(member=personas.members["m_b1"])
    with pytest.raises(ValidationError):
        services.amend_meeting(actor=None, meeting=meeting, reason="", changes={"topic": "新主题"})
    services.amend_meeting(actor=None, meeting=meeting, reason="主题笔误", changes={"topic": "学习党章"},
                           attendance={row.pk: AttendanceStatus.ABSENT})
    amendment = MeetingAmendment.objects.get(meeting=meeting)
    assert amendment.reason == "主题笔误"
    assert amendment.changes["topic"] == ["党课测试", "学习党章"]
    assert amendment.changes["attendance:张三"] == ["present", "absent"]
    entry = AuditEntry.objects.filter(object_type="meetings.meeting", object_id=str(meeting.pk)).first()
    assert entry is not None and entry.reason == "主题笔误" and entry.changes["topic"] == ["党课测试", "学习党章"]


def test_attachments_are_limited_in_size_and_type(personas: Personas, tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = planned(personas.b1)
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    attachment = services.add_attachment(actor=None, meeting=meeting, upload=pdf)
    assert attachment.original_name == "纪要.pdf" and attachment.content_type == "application/pdf"
    assert "纪要" not in attachment.file.name  # stored under a random name
    for bad in (
        SimpleUploadedFile("x.exe", b"MZ...."),
        SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>"),
        SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024)),
    ):
        with pytest.raises(ValidationError):
            services.add_attachment(actor=None, meeting=meeting, upload=bad)


def test_cancelling_a_planned_meeting_records_the_reason(personas: Personas) -> None:
    meeting = planned(personas.b1)
    services.cancel_meeting(actor=None, meeting=meeting, reason="改期")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert MeetingAmendment.objects.get(meeting=meeting).changes == {"status": ["planned", "cancelled"]}
    assert kind("themed_party_day").meetings.filter(status="cancelled").count() == 1
