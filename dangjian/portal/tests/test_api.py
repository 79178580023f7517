"""The member endpoints of the API (``/api/v1/me/…``) with a device's token: every answer
validated against the OpenAPI document, each one the member's own rows (the portal cards'
reads), leave and check-in through the meetings' rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from dangjian.accounts.api.authentication import issue_token
from dangjian.core.testing.api import SchemaValidatingClient
from dangjian.core.testing.personas import Personas
from dangjian.meetings.choices import AttendanceStatus
from dangjian.points.tests.conftest import award, member_user
from dangjian.portal.tests.test_portal import _billed_with_gateway, _meetings

pytestmark = pytest.mark.django_db


def _client(personas: Personas, username: str, user: Any = None) -> SchemaValidatingClient:
    client = SchemaValidatingClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user or personas.user(username), 'phone')}")
    return client


def test_my_meetings_leave_and_check_in(personas: Personas) -> None:
    rows = _meetings(personas)
    rows["today"].starts_at = timezone.now() - dt.timedelta(minutes=1)
    rows["today"].save()
    api = _client(personas, "member_b1")
    data = api.get("/api/v1/me/meetings/").json()
    assert [r["topic"] for r in data["today"]] == ["今天的主题党日"]
    assert [r["topic"] for r in data["upcoming"]] == ["下周的党员大会"]
    assert [r["topic"] for r in data["history"]] == ["今天的主题党日", "上月的支委会"]  # started: latest first
    assert data["today"][0]["can_check_in"] and data["upcoming"][0]["can_ask_leave"]
    topics = {r["topic"] for part in ("today", "upcoming", "history") for r in data[part]}
    assert "二大队的主题党日" not in topics  # another branch's meeting is not mine
    # leave for the next one, with the meetings service's rules
    later = data["upcoming"][0]["attendance"]
    assert api.post(f"/api/v1/me/attendance/{later}/leave/", {"reason": ""}, format="json").status_code == 400
    answer = api.post(f"/api/v1/me/attendance/{later}/leave/", {"reason": "出差办案"}, format="json")
    assert answer.status_code == 200 and answer.json()["leave_status"] == "requested"
    past = data["today"][0]["attendance"]  # already started
    refused = api.post(f"/api/v1/me/attendance/{past}/leave/", {"reason": "补请"}, format="json")
    assert refused.status_code == 400 and "开始前" in str(refused.json()["errors"])
    other = rows["today"].attendances.exclude(member=personas.members["m_b1"]).first()
    assert api.post(f"/api/v1/me/attendance/{other.pk}/leave/", {"reason": "x"}, format="json").status_code == 404
    # check-in with the code shown at the meeting
    checked = api.post("/api/v1/meetings/checkin/", {"token": rows["today"].checkin_token}, format="json")
    assert checked.status_code == 200 and checked.json()["result"] == "checked_in"
    today = api.get("/api/v1/me/meetings/").json()["today"][0]
    assert today["status"] == AttendanceStatus.PRESENT and not today["can_check_in"]


def test_my_points_dues_tasks_notices_study_and_solicitations(personas: Personas, client_for: Any) -> None:
    award(personas.user("officer_b1"), personas.members["m_b1"], "commitment_unkept", day=timezone.localdate(),
          note="承诺事项未按期完成")
    award(personas.user("officer_b2"), personas.members["m_b2"], "commitment_unkept", day=timezone.localdate(),
          note="二大队的扣分")
    bills = list(_billed_with_gateway(personas))
    api = _client(personas, "member_b1")
    points = api.get("/api/v1/me/points/").json()
    assert [e["note"] for e in points["entries"]] == ["承诺事项未按期完成"]  # with its reason, mine only
    assert points["total"] == points["base"] + sum(e["points"] for e in points["entries"] if e["status"] == "final")
    dues = api.get("/api/v1/me/dues/").json()
    assert Decimal(dues["outstanding"]) == sum(b.amount_due for b in bills)
    assert {b["id"] for b in dues["bills"]} == {b.pk for b in bills}
    assert all(b["payable_online"] for b in dues["bills"]) and dues["orders"] == []
    # a month paid online from the portal shows as an order with its receipt, and as a payment
    web = client_for("member_b1")
    page = web.get("/m/me/").content.decode()
    import re

    token = re.search(r'name="token" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    web.post(web.post(f"/dues/bills/{bills[0].pk}/pay/", {"token": token})["Location"])
    dues = api.get("/api/v1/me/dues/").json()
    assert [o["status"] for o in dues["orders"]] == ["paid"]
    assert web.get(dues["orders"][0]["receipt_url"]).status_code == 200
    assert dues["payments"][0]["receipt_number"] == dues["orders"][0]["out_trade_no"]
    assert [b["payable_online"] for b in sorted(dues["bills"], key=lambda b: b["month"])] == [False, True]
    other = _client(personas, "", member_user(personas.members["m_b2"]))  # another member sees none of it
    assert other.get("/api/v1/me/dues/").json()["orders"] == []
    assert [e["note"] for e in other.get("/api/v1/me/points/").json()["entries"]] == ["二大队的扣分"]
    for path in ("tasks", "notices", "study", "solicitations"):
        assert api.get(f"/api/v1/me/{path}/").status_code == 200


def test_no_member_record_no_token_no_answer(personas: Personas) -> None:
    staff = _client(personas, "c1_staff")  # committee staff without a member record
    for path in ("tasks", "meetings", "points", "dues", "study", "notices", "solicitations"):
        assert staff.get(f"/api/v1/me/{path}/").status_code == 404
    assert SchemaValidatingClient().get("/api/v1/me/dues/").status_code in (401, 403)
