"""Meetings API: scoped like the screens, attendees computed, locked records refused; every
response validated against the OpenAPI document."""

from __future__ import annotations

from typing import Any

import pytest

from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import PASSWORD, Personas, one_time_code
from dangjian.meetings.tests.factories import at, kind, make_meeting

pytestmark = pytest.mark.django_db


def api_as(name: str) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    response = client.post("/api/v1/auth/token/", {"username": name, "password": PASSWORD, "otp": one_time_code(name)}, format="json")
    assert response.status_code == 201, response.content
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    return client


def payload(org: Any, **over: Any) -> dict[str, Any]:
    return {"org": org.pk, "kind": kind("party_lecture").pk, "topic": "API党课", "starts_at": "2026-04-02T09:00:00+08:00",
            "ends_at": "2026-04-02T10:30:00+08:00", **over}


def test_an_officer_plans_a_meeting_through_the_api(personas: Personas) -> None:
    client = api_as("officer_b1")
    created = client.post("/api/v1/meetings/", payload(personas.b1), format="json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "planned" and body["kind_name"] == "党课"
    rows = client.get(f"/api/v1/attendance/?meeting={body['id']}").json()
    assert {r["member_name"] for r in rows["results"]} == {"张三", "李四"}
    foreign = client.post("/api/v1/meetings/", payload(personas.b3, topic="越权"), format="json")
    assert foreign.status_code in (400, 404)
    assert client.get("/api/v1/meetings/?q=越权").json()["count"] == 0


def test_other_branches_and_locked_meetings(personas: Personas) -> None:
    meeting = make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    other = api_as("officer_b2")
    assert other.get(f"/api/v1/meetings/{meeting.pk}/").status_code == 404
    assert other.patch(f"/api/v1/meetings/{meeting.pk}/", {"topic": "改"}, format="json").status_code == 404
    own = api_as("officer_b1")
    locked = own.patch(f"/api/v1/meetings/{meeting.pk}/", {"topic": "改", "version": meeting.version}, format="json")
    assert locked.status_code == 400


def test_a_member_token_sees_only_their_own_attendance(personas: Personas) -> None:
    make_meeting(personas.b1, "party_lecture", at(2026, 2, 10))
    rows = api_as("member_b1").get("/api/v1/attendance/").json()["results"]
    assert [r["member_name"] for r in rows] == ["张三"]
