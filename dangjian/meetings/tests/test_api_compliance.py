"""Check-in, confirmation and compliance through the API: the screens' services and engine,
scoped like the screens; every response validated against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Attendance
from dangjian.meetings.tests.factories import at, make_meeting
from dangjian.meetings.tests.test_rules import _branches_with_meetings

pytestmark = pytest.mark.django_db


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def planned(org: Any) -> Any:
    meeting = make_meeting(org, "themed_party_day", at(2026, 5, 8, 9), status=MeetingStatus.PLANNED, present=0)
    meeting.attendances.update(status=AttendanceStatus.PENDING)
    return meeting


def test_check_in_through_the_api_is_idempotent(personas: Personas) -> None:
    meeting = planned(personas.b1)
    with time_machine.travel(at(2026, 5, 8, 8, 45), tick=False):
        client = api_as("member_b1")
        first = client.post("/api/v1/meetings/checkin/", {"token": meeting.checkin_token}, format="json")
        second = client.post("/api/v1/meetings/checkin/", {"token": meeting.checkin_token}, format="json")
        unknown = client.post("/api/v1/meetings/checkin/", {"token": "guess"}, format="json")
    assert first.status_code == 200, first.content
    assert first.json()["result"] == "checked_in" and first.json()["meeting"] == meeting.pk
    assert second.status_code == 200 and second.json()["result"] == "already"
    assert second.json()["checked_in_at"] == first.json()["checked_in_at"]
    assert unknown.status_code == 404
    row = Attendance.objects.get(meeting=meeting, member=personas.members["m_b1"])
    assert row.status == AttendanceStatus.PRESENT and row.checkin_method == "qr" and row.version == 2


def test_check_in_refuses_another_branch_and_outside_the_window(personas: Personas) -> None:
    other = planned(personas.b2)
    own = planned(personas.b1)
    with time_machine.travel(at(2026, 5, 8, 9), tick=False):
        client = api_as("member_b1")
        refused = client.post("/api/v1/meetings/checkin/", {"token": other.checkin_token}, format="json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_expected" and "签到" in refused.json()["detail"]
    assert not other.attendances.filter(status=AttendanceStatus.PRESENT).exists()
    with time_machine.travel(at(2026, 5, 9, 9), tick=False):
        late = api_as("member_b1").post("/api/v1/meetings/checkin/", {"token": own.checkin_token}, format="json")
    assert late.status_code == 409 and late.json()["code"] == "closed"


def test_confirm_through_the_api(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10), status=MeetingStatus.HELD)
    with time_machine.travel(at(2026, 2, 11), tick=False):
        assert api_as("officer_b2").post(f"/api/v1/meetings/{meeting.pk}/confirm/").status_code == 404
        client = api_as("officer_b1")
        done = client.post(f"/api/v1/meetings/{meeting.pk}/confirm/")
        again = client.post(f"/api/v1/meetings/{meeting.pk}/confirm/")
    assert done.status_code == 200, done.content
    assert done.json()["status"] == MeetingStatus.CONFIRMED
    assert again.status_code == 400


def test_compliance_covers_only_the_officers_branch(personas: Personas) -> None:
    make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    with time_machine.travel(at(2026, 6, 1), tick=False):
        client = api_as("officer_b1")
        body = client.get("/api/v1/compliance/?year=2026&period=quarter").json()
        own = client.get(f"/api/v1/compliance/?org={personas.b1.pk}&year=2026").json()
        foreign = client.get(f"/api/v1/compliance/?org={personas.b2.pk}&year=2026")
        bad = client.get("/api/v1/compliance/?period=week")
    assert {row["org"] for row in body["obligations"]} == {personas.b1.pk, personas.g1.pk}  # the branch and its group
    assert body["done"] + body["due"] + body["overdue"] == len(body["obligations"])
    assert own["org"] == personas.b1.pk and own["obligations"]
    assert foreign.status_code == 404 and bad.status_code == 400


def test_a_quarter_without_a_party_lecture_is_overdue_once_it_closes(personas: Personas) -> None:
    lecture = make_meeting(personas.b1, "party_lecture", at(2026, 4, 20))
    url = f"/api/v1/compliance/?org={personas.b1.pk}&year=2026&period=quarter"

    def lectures(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
        return {row["period"]: row for row in body["obligations"] if row["kind_code"] == "party_lecture"}

    with time_machine.travel(at(2026, 3, 20), tick=False):
        before = lectures(api_as("officer_b1").get(url).json())
    with time_machine.travel(at(2026, 4, 25), tick=False):
        body = api_as("officer_b1").get(url).json()
    after = lectures(body)
    assert before["2026Q1"]["status"] == "due"
    assert after["2026Q1"]["status"] == "overdue" and after["2026Q1"]["meetings"] == []
    assert after["2026Q2"]["status"] == "done" and after["2026Q2"]["meetings"] == [lecture.pk]
    assert after["2026Q2"]["column"] == "2026Q2"
    assert body["rate"] is not None and 0 <= body["rate"] < 1


def test_compliance_costs_constant_queries(personas: Personas) -> None:
    with time_machine.travel(at(2026, 6, 1), tick=False):
        client = api_as("root_staff")
        counts, sizes = [], []
        for n in (2, 10):
            _branches_with_meetings(personas, n)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get("/api/v1/compliance/?year=2026")
            assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
            sizes.append(len({row["org"] for row in response.json()["obligations"]}))
    assert counts[0] == counts[1], counts
    assert sizes[1] > sizes[0]
