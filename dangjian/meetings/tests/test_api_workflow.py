"""Meetings API writes that the screens already had: recording attendance, amending a confirmed
meeting and cancelling one, each through the meetings service, with per-row or meeting
versions (412 when stale), scope (404 outside) and the audit trail; every response validated
against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.models import AuditEntry
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code
from dangjian.meetings import services
from dangjian.meetings.choices import AttendanceStatus, LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting, MeetingAmendment
from dangjian.meetings.tests.factories import at, kind, make_meeting

pytestmark = pytest.mark.django_db


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


@pytest.fixture
def held(personas: Personas) -> Meeting:
    """A party lecture of B1 that took place, with its two expected attendees not recorded yet."""
    with acting_as(None, reason="test fixture"):
        meeting = Meeting.objects.create(org=personas.b1, kind=kind("party_lecture"), topic="三月党课",
                                         starts_at=at(2026, 3, 10), ends_at=at(2026, 3, 10, 11), minutes="记录")
        services.sync_expected(actor=None, meeting=meeting)
    return meeting


def rows(meeting: Meeting) -> dict[str, Attendance]:
    return {a.member.name: a for a in meeting.attendances.select_related("member")}


def entry(row: Attendance, status: str) -> dict[str, Any]:
    return {"attendance": row.pk, "status": status, "version": row.version}


def test_the_organizer_records_attendance_and_each_row_is_audited(personas: Personas, held: Meeting) -> None:
    zhang, li = rows(held)["张三"], rows(held)["李四"]
    response = api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/attendance/", {
        "statuses": [entry(zhang, "present"), entry(li, "absent")]}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert sorted(body["changed"]) == sorted([zhang.pk, li.pk])
    assert {(r["member_name"], r["status"]) for r in body["attendance"]} == {("张三", "present"), ("李四", "absent")}
    fresh = rows(held)
    assert (fresh["张三"].status, fresh["张三"].checkin_method, fresh["李四"].status) == ("present", "manual", "absent")
    officer = personas.user("officer_b1")
    for row in (zhang, li):
        audit = AuditEntry.objects.filter(event="update", object_type="meetings.attendance", object_id=str(row.pk)).get()
        assert audit.actor_id == officer.pk and audit.source == "api" and "status" in audit.changes
    # the meeting can now be confirmed: everyone expected is recorded
    assert api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/confirm/").status_code == 200


def test_excused_without_an_approved_leave_is_refused_in_chinese_and_nothing_is_written(
        personas: Personas, held: Meeting) -> None:
    zhang, li = rows(held)["张三"], rows(held)["李四"]
    response = api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/attendance/", {
        "statuses": [entry(zhang, "present"), entry(li, "excused")]}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "李四" in str(response.json()["errors"]) and "请假" in str(response.json()["errors"])
    assert {r.status for r in rows(held).values()} == {AttendanceStatus.PENDING}


def test_excused_with_an_approved_leave_is_recorded(personas: Personas, held: Meeting) -> None:
    li = rows(held)["李四"]
    with acting_as(None, reason="test fixture"):
        Attendance.objects.filter(pk=li.pk).update(leave_status=LeaveStatus.APPROVED)
    li.refresh_from_db()
    response = api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/attendance/", {
        "statuses": [entry(li, "excused")]}, format="json")
    assert response.status_code == 200, response.content
    assert rows(held)["李四"].status == AttendanceStatus.EXCUSED


def test_a_stale_row_version_answers_412_and_writes_nothing(personas: Personas, held: Meeting) -> None:
    zhang, li = rows(held)["张三"], rows(held)["李四"]
    stale = entry(li, "present")
    with acting_as(personas.user("officer_b1"), reason="someone else records first"):
        services.record_attendance(actor=personas.user("officer_b1"), meeting=held, statuses={li.pk: "absent"})
    response = api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/attendance/", {
        "statuses": [entry(zhang, "present"), stale]}, format="json")
    assert response.status_code == 412
    assert "李四" in response.json()["detail"]
    fresh = rows(held)
    assert (fresh["张三"].status, fresh["李四"].status) == ("pending", "absent")


def test_rows_of_another_meeting_or_unexpected_rows_are_refused(personas: Personas, held: Meeting) -> None:
    other = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10), status=MeetingStatus.PLANNED)
    foreign = other.attendances.first()
    assert foreign is not None
    response = api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/attendance/", {
        "statuses": [entry(foreign, "present")]}, format="json")
    assert response.status_code == 400 and "statuses" in response.json()["errors"]
    twice = rows(held)["张三"]
    response = api_as("officer_b1").post(f"/api/v1/meetings/{held.pk}/attendance/", {
        "statuses": [entry(twice, "present"), entry(twice, "absent")]}, format="json")
    assert response.status_code == 400
    assert rows(held)["张三"].status == AttendanceStatus.PENDING


def test_attendance_of_a_confirmed_meeting_is_refused(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    row = meeting.attendances.first()
    assert row is not None
    response = api_as("officer_b1").post(f"/api/v1/meetings/{meeting.pk}/attendance/", {
        "statuses": [entry(row, "absent")]}, format="json")
    assert response.status_code == 400
    assert "更正" in str(response.json()["errors"])
    row.refresh_from_db()
    assert row.status == AttendanceStatus.PRESENT


def test_an_amendment_corrects_a_confirmed_meeting_with_its_reason(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    zhang = rows(meeting)["张三"]
    client = api_as("officer_b1")
    etag = client.get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
    response = client.post(f"/api/v1/meetings/{meeting.pk}/amend/", {
        "reason": "记录有误", "topic": "二月党课（更正）", "attendance": [entry(zhang, "absent")]},
        format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["topic"] == "二月党课（更正）" and response.json()["status"] == "confirmed"
    amendment = MeetingAmendment.objects.get(meeting=meeting)
    assert amendment.reason == "记录有误" and amendment.amended_by == personas.user("officer_b1")
    assert amendment.changes["topic"] == ["党课测试", "二月党课（更正）"]
    assert amendment.changes["attendance:张三"] == ["present", "absent"]
    audit = (AuditEntry.objects.filter(event="update", object_type="meetings.meeting", object_id=str(meeting.pk))
             .order_by("-pk").first())
    assert audit is not None and audit.reason == "记录有误" and audit.source == "api"
    assert rows(meeting)["张三"].status == AttendanceStatus.ABSENT


def test_an_amendment_needs_a_reason_the_current_version_and_a_confirmed_meeting(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    client = api_as("officer_b1")
    etag = client.get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
    no_reason = client.post(f"/api/v1/meetings/{meeting.pk}/amend/", {"topic": "改"}, format="json",
                            HTTP_IF_MATCH=etag)
    assert no_reason.status_code == 400 and "reason" in no_reason.json()["errors"]
    with acting_as(None, reason="someone else amends first"):
        services.amend_meeting(actor=None, meeting=meeting, reason="先改", changes={"place": "三楼"})
    stale = client.post(f"/api/v1/meetings/{meeting.pk}/amend/", {"reason": "后改", "topic": "改"}, format="json",
                        HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert MeetingAmendment.objects.filter(meeting=meeting).count() == 1
    planned = make_meeting(personas.b1, "party_lecture", at(2026, 3, 10), status=MeetingStatus.PLANNED)
    response = client.post(f"/api/v1/meetings/{planned.pk}/amend/", {"reason": "改", "topic": "改"}, format="json",
                           HTTP_IF_MATCH=f'"{planned.version}"')
    assert response.status_code == 400
    assert not MeetingAmendment.objects.filter(meeting=planned).exists()


def test_cancelling_a_planned_and_a_confirmed_meeting(personas: Personas) -> None:
    client = api_as("officer_b1")
    planned = make_meeting(personas.b1, "party_lecture", at(2026, 3, 10), status=MeetingStatus.PLANNED)
    confirmed = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    for meeting in (planned, confirmed):
        etag = client.get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
        response = client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "上级临时通知停开"},
                               format="json", HTTP_IF_MATCH=etag, HTTP_IDEMPOTENCY_KEY=f"cancel-{meeting.pk}")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == "cancelled"
        amendment = MeetingAmendment.objects.get(meeting=meeting)
        assert amendment.reason == "上级临时通知停开"
        assert amendment.changes["status"][1] == "cancelled"
        audit = (AuditEntry.objects.filter(event="update", object_type="meetings.meeting",
                                           object_id=str(meeting.pk)).order_by("-pk").first())
        assert audit is not None and audit.reason == "上级临时通知停开" and audit.actor_id == personas.user("officer_b1").pk
        # a retry with the same key is replayed, not cancelled twice
        again = client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "上级临时通知停开"},
                            format="json", HTTP_IF_MATCH=etag, HTTP_IDEMPOTENCY_KEY=f"cancel-{meeting.pk}")
        assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
        assert MeetingAmendment.objects.filter(meeting=meeting).count() == 1
    # cancelled is final
    planned.refresh_from_db()
    response = client.post(f"/api/v1/meetings/{planned.pk}/cancel/", {"reason": "再取消"}, format="json",
                           HTTP_IF_MATCH=f'"{planned.version}"')
    assert response.status_code == 400


def test_a_stale_cancel_answers_412(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 3, 10), status=MeetingStatus.PLANNED)
    client = api_as("officer_b1")
    etag = client.get(f"/api/v1/meetings/{meeting.pk}/")["ETag"]
    assert client.patch(f"/api/v1/meetings/{meeting.pk}/", {"place": "二楼"}, format="json",
                        HTTP_IF_MATCH=etag).status_code == 200
    response = client.post(f"/api/v1/meetings/{meeting.pk}/cancel/", {"reason": "停开"}, format="json",
                           HTTP_IF_MATCH=etag)
    assert response.status_code == 412
    meeting.refresh_from_db()
    assert meeting.status != MeetingStatus.CANCELLED and not MeetingAmendment.objects.filter(meeting=meeting).exists()


@pytest.mark.parametrize("action", ["attendance", "amend", "cancel"])
def test_a_sibling_branch_and_an_inspector_cannot_write(personas: Personas, action: str) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    row = meeting.attendances.first()
    assert row is not None
    body = {"attendance": {"statuses": [entry(row, "absent")]}, "amend": {"reason": "越权", "topic": "越权"},
            "cancel": {"reason": "越权"}}[action]
    for name in ("officer_b2", "inspector_c1", "member_b1"):
        response = api_as(name).post(f"/api/v1/meetings/{meeting.pk}/{action}/", body, format="json",
                                     HTTP_IF_MATCH=f'"{meeting.version}"')
        assert response.status_code == 404, (name, response.status_code)
    meeting.refresh_from_db()
    assert (meeting.topic, meeting.status) == ("党课测试", MeetingStatus.CONFIRMED)
    assert not MeetingAmendment.objects.exists()
