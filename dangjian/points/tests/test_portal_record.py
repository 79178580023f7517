"""The member portal's violation card: my records, my appeal from the phone, my objections;
nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.context import acting_as
from dangjian.core.testing.personas import PASSWORD, Personas
from dangjian.points import violations
from dangjian.points.models import ViolationKind, ViolationRecord

pytestmark = pytest.mark.django_db


def _login(username: str) -> Client:
    client = Client()
    assert client.post("/accounts/login/", {"username": username, "password": PASSWORD}).status_code == 302
    return client


def _confirmed(p: Personas, day: dt.date, code: str = "absenteeism") -> ViolationRecord:
    kind = ViolationKind.objects.get(year=day.year, code=code)
    inspector, staff = p.user("inspector_c1"), p.user("c1_staff")
    with acting_as(inspector, reason="test"):
        row = violations.record(actor=inspector, member=p.members["m_b1"], kind=kind, occurred_on=day,
                                description="上班时间脱岗")
    with acting_as(staff, reason="test"):
        return violations.confirm(actor=staff, record=row, accept=True, today=day)


def test_my_record_shows_its_points_and_i_appeal_from_the_portal(personas: Personas) -> None:
    today = timezone.localdate()
    row = _confirmed(personas, today)
    member = _login("member_b1")
    page = member.get("/m/me/").content.decode()
    card = page[page.index('id="card-points-record"'):]
    assert row.kind.name in card and "上班时间脱岗" in card
    assert f'<span class="big" id="violation-total">{row.points}</span>' in card
    assert f'action="/points/violations/{row.pk}/appeal/"' in card
    response = member.post(f"/points/violations/{row.pk}/appeal/", {"note": "当日有请假手续", "next": "/m/me/"})
    assert response.status_code == 302 and response["Location"] == "/m/me/"
    row.refresh_from_db()
    assert row.status == "appealed" and row.appeal_reason == "当日有请假手续"
    card = member.get("/m/me/").content.decode()
    assert "当日有请假手续" in card and f'action="/points/violations/{row.pk}/appeal/"' not in card


def test_an_appeal_after_the_window_offers_no_form_and_a_foreign_next_is_ignored(personas: Personas) -> None:
    day = timezone.localdate() - dt.timedelta(days=10)  # the window is 5 days (the scheme's default)
    if day.year != timezone.localdate().year:
        pytest.skip("the year's first ten days have no confirmed record older than the window in this year")
    row = _confirmed(personas, day)
    member = _login("member_b1")
    page = member.get("/m/me/").content.decode()
    assert f'id="violation-{row.pk}"' in page and f'action="/points/violations/{row.pk}/appeal/"' not in page
    response = member.post(f"/points/violations/{row.pk}/appeal/", {"note": "x", "next": "https://evil.example/"})
    assert response.status_code == 302 and "evil" not in response["Location"]
    row.refresh_from_db()
    assert row.status == "confirmed"


def test_a_peer_of_the_same_branch_sees_no_violation_card(personas: Personas) -> None:
    _confirmed(personas, timezone.localdate())
    peer = User(username="peer_b1", member=personas.members["m_b1_2"], password_changed_at=timezone.now())
    peer.set_password(PASSWORD)
    peer.save()
    page = _login("peer_b1").get("/m/me/").content.decode()
    assert 'id="card-points-mine"' in page  # the peer's own points card is there
    assert 'id="card-points-record"' not in page and "上班时间脱岗" not in page
