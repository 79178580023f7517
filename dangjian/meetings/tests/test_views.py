"""Screens of meetings: scoping (404 outside), the record form, the grid, check-in by GET/POST,
QR codes, attachments, the compliance matrix (constant queries), the calendar and the inbox."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangjian.core.testing.personas import Personas
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting, MeetingAmendment
from dangjian.meetings.tests.factories import at, kind, make_meeting
from dangjian.meetings.tests.test_rules import _branches_with_meetings

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


def planned(org: Any, start: dt.datetime | None = None) -> Meeting:
    meeting = make_meeting(org, "themed_party_day", start or at(2026, 5, 8, 9), status=MeetingStatus.PLANNED, present=0)
    meeting.attendances.update(status=AttendanceStatus.PENDING)
    return meeting


def test_a_branch_officer_cannot_reach_another_branchs_meetings(personas: Personas, client_for: Login,
                                                                tmp_path: Any, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path
    meeting = planned(personas.b1)
    own = client_for("officer_b1")
    own.post(reverse("meetings:attachment_upload", args=[meeting.pk]),
             {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.4 x")})
    attachment = meeting.attachments.get()
    row = meeting.attendances.first()
    assert row is not None
    other = client_for("officer_b2")
    for url in (
        reverse("meetings:meeting_detail", args=[meeting.pk]), reverse("meetings:meeting_edit", args=[meeting.pk]),
        reverse("meetings:attendance_grid", args=[meeting.pk]), reverse("meetings:qr_svg", args=[meeting.pk]),
        reverse("meetings:attachment_download", args=[attachment.pk]),
        reverse("meetings:attendance_detail", args=[row.pk]), reverse("meetings:amend", args=[meeting.pk]),
    ):
        assert other.get(url).status_code == 404, url
    for url in (reverse("meetings:confirm", args=[meeting.pk]), reverse("meetings:cancel", args=[meeting.pk]),
                reverse("meetings:leave_decide", args=[row.pk])):
        assert other.post(url, {"reason": "x", "approve": "1"}).status_code == 404, url
    edit = other.post(reverse("meetings:meeting_edit", args=[meeting.pk]), {"topic": "改"})
    assert edit.status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED and meeting.topic == "主题党日测试"
    listing = other.get(reverse("meetings:meeting_list")).content.decode()
    assert "主题党日测试" not in listing
    assert own.get(reverse("meetings:attachment_download", args=[attachment.pk])).status_code == 200
    assert client_for("c1_staff").get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200


def test_an_officer_plans_a_meeting_and_the_attendees_are_computed(personas: Personas, client_for: Login) -> None:
    client = client_for("officer_b1")
    data = {"org": personas.b1.pk, "kind": kind("themed_party_day").pk, "topic": "五月主题党日",
            "starts_at": "2026-05-08T09:00", "ends_at": "2026-05-08T11:00", "place": "三楼会议室"}
    response = client.post(reverse("meetings:meeting_add"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    meeting = Meeting.objects.get(topic="五月主题党日")
    assert {a.member.name for a in meeting.attendances.all()} == {"张三", "李四"}
    foreign = client.post(reverse("meetings:meeting_add"), {**data, "org": personas.b3.pk, "topic": "越权"})
    assert foreign.status_code == 400 and not Meeting.objects.filter(topic="越权").exists()


def test_the_grid_records_attendance_and_a_confirmed_meeting_is_locked(personas: Personas, client_for: Login) -> None:
    meeting = planned(personas.b1, at(2026, 5, 8, 9))
    client = client_for("officer_b1")
    rows = list(meeting.attendances.all())
    grid = reverse("meetings:attendance_grid", args=[meeting.pk])
    assert client.get(grid).status_code == 200
    response = client.post(grid, {f"status-{a.pk}": "present" for a in rows})
    assert response.status_code == 302
    assert set(meeting.attendances.values_list("status", flat=True)) == {"present"}
    client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), {
        "org": personas.b1.pk, "kind": meeting.kind_id, "topic": meeting.topic, "starts_at": "2026-05-08T09:00",
        "ends_at": "2026-05-08T11:00", "minutes": "学习了党章。", "version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD
    client.post(reverse("meetings:confirm", args=[meeting.pk]))  # the meeting lies in the past
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
    locked = client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), {
        "org": personas.b1.pk, "kind": meeting.kind_id, "topic": "偷改", "starts_at": "2026-05-08T09:00",
        "ends_at": "2026-05-08T11:00", "minutes": "改", "version": meeting.version})
    assert locked.status_code == 400
    client.post(grid, {f"status-{a.pk}": "absent" for a in rows})
    assert set(meeting.attendances.values_list("status", flat=True)) == {"present"}
    amend = client.post(reverse("meetings:amend", args=[meeting.pk]), {
        "reason": "李四实际缺席", "topic": meeting.topic, "starts_at": "2026-05-08T09:00", "ends_at": "2026-05-08T11:00",
        "minutes": meeting.minutes, **{f"status-{a.pk}": ("absent" if a.member.name == "李四" else "present") for a in rows}})
    assert amend.status_code == 302
    assert MeetingAmendment.objects.get(meeting=meeting).changes == {"attendance:李四": ["present", "absent"]}
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "李四实际缺席" in detail


def test_check_in_get_changes_nothing_and_post_checks_in(personas: Personas, client_for: Login) -> None:
    meeting = planned(personas.b1, at(2026, 5, 8, 9))
    url = reverse("meetings:checkin") + f"?t={meeting.checkin_token}"
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous["Location"] == f"/accounts/login/?next={quote(url)}"
    client = client_for("member_b1")
    with time_machine.travel(at(2026, 5, 8, 8, 45), tick=False):
        page = client.get(url)
        assert page.status_code == 200 and 'id="checkin-button"' in page.content.decode()
        row = Attendance.objects.get(meeting=meeting, member=personas.members["m_b1"])
        assert row.status == AttendanceStatus.PENDING and row.version == 1
        first = client.post(url)
        second = client.post(url)
    assert first.status_code == 200 and 'data-result="checked_in"' in first.content.decode()
    assert second.status_code == 200 and 'data-result="already"' in second.content.decode()
    row.refresh_from_db()
    assert row.status == AttendanceStatus.PRESENT and row.version == 2


def test_check_in_refuses_a_member_not_expected_and_a_wrong_token(personas: Personas, client_for: Login) -> None:
    meeting = planned(personas.b2, at(2026, 5, 8, 9))
    url = reverse("meetings:checkin") + f"?t={meeting.checkin_token}"
    client = client_for("member_b1")
    with time_machine.travel(at(2026, 5, 8, 9), tick=False):
        page = client.get(url)
        refused = client.post(url)
        guessed = client.get(reverse("meetings:checkin") + "?t=guess")
        empty = client.post(reverse("meetings:checkin") + "?t=")
    assert 'data-result="not_expected"' in page.content.decode() and 'id="checkin-button"' not in page.content.decode()
    assert refused.status_code == 403 and not meeting.attendances.filter(status="present").exists()
    assert guessed.status_code == 404 and empty.status_code == 404


def test_only_organizers_get_the_qr_code(personas: Personas, client_for: Login) -> None:
    meeting = planned(personas.b1)
    svg = client_for("officer_b1").get(reverse("meetings:qr_svg", args=[meeting.pk]))
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml" and b"<svg" in svg.content
    png = client_for("officer_b1").get(reverse("meetings:qr_png", args=[meeting.pk]))
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")
    member = client_for("member_b1")
    assert member.get(reverse("meetings:meeting_detail", args=[meeting.pk])).status_code == 200
    assert member.get(reverse("meetings:qr_svg", args=[meeting.pk])).status_code == 404


def test_a_member_sees_only_their_own_attendance(personas: Personas, client_for: Login) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    client = client_for("member_b1")
    listing = client.get(reverse("meetings:attendance_list")).content.decode()
    assert "张三" in listing and "李四" not in listing
    other_row = meeting.attendances.get(member=personas.members["m_b1_2"])
    assert client.get(reverse("meetings:attendance_detail", args=[other_row.pk])).status_code == 404
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    assert "李四" not in detail


def test_a_member_requests_leave_and_the_officer_approves(personas: Personas, client_for: Login) -> None:
    meeting = planned(personas.b1, at(2026, 5, 8, 9))
    row = meeting.attendances.get(member=personas.members["m_b1"])
    with time_machine.travel(at(2026, 5, 7, 10), tick=False):
        client_for("member_b1").post(reverse("meetings:leave_request", args=[row.pk]), {"reason": "外出办案"})
        other = meeting.attendances.get(member=personas.members["m_b1_2"])
        assert client_for("member_b1").post(reverse("meetings:leave_request", args=[other.pk]),
                                            {"reason": "代请"}).status_code == 404
        inbox = client_for("officer_b1").get(reverse("core:inbox")).content.decode()
        assert "外出办案" in inbox
        client_for("officer_b1").post(reverse("meetings:leave_decide", args=[row.pk]), {"approve": "1"})
    row.refresh_from_db()
    assert row.status == AttendanceStatus.EXCUSED and row.leave_reason == "外出办案"


def _matrix_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_compliance_matrix_costs_constant_queries(personas: Personas, client_for: Login) -> None:
    client = client_for("root_staff")
    url = reverse("meetings:compliance") + "?year=2026"
    client.get(url)  # per-user caches (the navigation's counts) filled once
    counts = []
    for n in (2, 12):
        _branches_with_meetings(personas, n)
        counts.append(_matrix_queries(client, url))
    assert counts[0] == counts[1], counts
    body = client.get(url + "&by=quarter&view=flat").content.decode()
    assert "批量支部11" in body and 'id="compliance-chart-data"' in body and "ob-done" in body
    subtree = client.get(reverse("meetings:compliance") + f"?year=2026&org={personas.c1.pk}").content.decode()
    assert "刑侦一大队党支部" in subtree and "批量支部0" not in subtree
    assert client_for("officer_b2").get(reverse("meetings:compliance") + f"?org={personas.b1.pk}").status_code == 404


def test_calendar_and_inbox(personas: Personas, client_for: Login) -> None:
    planned(personas.b1, at(2026, 5, 8, 9))
    client = client_for("officer_b1")
    calendar = client.get(reverse("meetings:calendar") + "?month=2026-05").content.decode()
    assert "主题党日" in calendar and "2026年5月" in calendar
    assert client.get(reverse("meetings:calendar") + "?month=bad").status_code == 200
    assert client_for("officer_b2").get(reverse("meetings:calendar") + f"?org={personas.b1.pk}").status_code == 404
    with time_machine.travel(at(2026, 5, 6, 9), tick=False):
        officer_inbox = client.get(reverse("core:inbox")).content.decode()
        member_inbox = client_for("member_b1").get(reverse("core:inbox")).content.decode()
    assert 'id="obligation-reminders"' in officer_inbox and "党课" in officer_inbox
    assert "主题党日测试" in member_inbox and 'id="obligation-reminders"' not in member_inbox


def test_the_matrix_pages_its_organizations(personas: Personas, client_for: Login, monkeypatch: Any) -> None:
    from dangjian.meetings import views

    monkeypatch.setattr(views.reports, "MATRIX_ROWS_PER_PAGE", 2)  # where the matrix reads it
    client = client_for("root_staff")
    first = client.get(reverse("meetings:compliance") + "?year=2026&view=flat").content.decode()
    last = client.get(reverse("meetings:compliance") + "?year=2026&view=flat&page=99").content.decode()
    assert "刑侦支队党委" in first and "交警一大队党支部" not in first  # rows in tree order
    assert "交警一大队党支部" in last and "刑侦支队党委" not in last
