"""The attendance grid as a secretary uses it: leave recorded after the fact with its reason,
a refused save that keeps every entry and names the row, the host and recorder always present,
应到 the same number on every page, confirmation that asks first, a confirmed meeting's edit
URL leading to the amendment."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.core.testing.personas import Personas, make_member
from dangjian.meetings.choices import AttendanceStatus, LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance, Meeting
from dangjian.meetings.tests.factories import at, make_meeting

pytestmark = pytest.mark.django_db
Login = Callable[[str], Client]


def held(personas: Personas, code: str = "themed_party_day") -> Meeting:
    make_member(personas.b1, name="王芳", status="probationary", full_member_on=None,
                joined_party_on=at(2026, 3, 1).date())
    meeting = make_meeting(personas.b1, code, at(2026, 11, 20, 9), status=MeetingStatus.PLANNED, present=0)
    meeting.attendances.update(status=AttendanceStatus.PENDING)
    meeting.host = personas.members["m_b1"]  # 张三 hosts
    meeting.minutes = "学习了党章。"
    meeting.save()
    return meeting


def row(meeting: Meeting, name: str) -> Attendance:
    return meeting.attendances.select_related("member").get(member__name=name)


def checked(html: str, pk: int) -> str:
    match = re.search(rf'name="status-{pk}" value="(\w+)"[^>]*checked', html)
    return match.group(1) if match else ""


def test_a_refused_save_keeps_every_entry_and_names_the_row(personas: Personas, client_for: Login) -> None:
    meeting = held(personas)
    zhang, li, wang = row(meeting, "张三"), row(meeting, "李四"), row(meeting, "王芳")
    client = client_for("officer_b1")
    grid = reverse("meetings:attendance_grid", args=[meeting.pk])
    # 李四 took leave after all (told by phone, recorded afterwards); 王芳 marked 请假 without a reason
    response = client.post(grid, {f"status-{zhang.pk}": "present", f"status-{li.pk}": "excused",
                                  f"leave-{li.pk}": "临时出警", f"status-{wang.pk}": "excused"})
    assert response.status_code == 400
    html = response.content.decode()
    assert set(meeting.attendances.values_list("status", flat=True)) == {"pending"}  # nothing saved
    assert checked(html, zhang.pk) == "present" and checked(html, li.pk) == "excused"
    assert checked(html, wang.pk) == "excused"
    assert 'value="临时出警"' in html  # the leave reason typed is kept
    error_row = re.search(rf'<tr id="row-{wang.pk}" class="([^"]*)"', html)
    assert error_row and "row-error" in error_row.group(1)
    assert "王芳：请填写请假事由" in html and f'href="#row-{wang.pk}"' in html

    fixed = client.post(grid, {f"status-{zhang.pk}": "present", f"status-{li.pk}": "excused",
                               f"leave-{li.pk}": "临时出警", f"status-{wang.pk}": "absent"})
    assert fixed.status_code == 302
    li.refresh_from_db()
    assert (li.status, li.leave_status, li.leave_reason) == ("excused", LeaveStatus.APPROVED, "临时出警")
    assert li.leave_decided_by == personas.user("officer_b1")
    assert row(meeting, "王芳").status == "absent" and row(meeting, "张三").status == "present"


def test_the_host_cannot_be_marked_absent(personas: Personas, client_for: Login) -> None:
    meeting = held(personas)
    zhang = row(meeting, "张三")
    client = client_for("officer_b1")
    grid = reverse("meetings:attendance_grid", args=[meeting.pk])
    page = client.get(grid).content.decode()
    assert re.search(rf'name="status-{zhang.pk}" value="absent"[^>]*disabled', page)  # not offered
    refused = client.post(grid, {f"status-{zhang.pk}": "absent"})  # and refused if sent anyway
    assert refused.status_code == 400 and "张三是本次会议的主持人" in refused.content.decode()
    assert row(meeting, "张三").status == "pending"


def test_expected_is_the_same_number_everywhere_and_says_why(personas: Personas, client_for: Login) -> None:
    meeting = held(personas, "branch_general_meeting")
    client = client_for("officer_b1")
    pages = [client.get(reverse(name, args=[meeting.pk])).content.decode()
             for name in ("meetings:meeting_detail", "meetings:attendance_grid", "meetings:confirm")]
    for html in pages:
        assert "应到 3 人" in html  # 张三, 李四 and the probationary 王芳
        assert "预备党员没有表决权" in html and "2 名正式党员" in html


def test_confirming_asks_first_and_the_confirmed_edit_url_leads_to_the_amendment(
        personas: Personas, client_for: Login) -> None:
    meeting = held(personas)
    meeting.attendances.update(status=AttendanceStatus.PRESENT)
    client = client_for("officer_b1")
    detail = client.get(reverse("meetings:meeting_detail", args=[meeting.pk])).content.decode()
    confirm = reverse("meetings:confirm", args=[meeting.pk])
    assert f'href="{confirm}"' in detail  # a link to the question, not a one-click form
    question = client.get(confirm)
    assert question.status_code == 200 and "锁定" in question.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED  # asking changed nothing
    assert client.post(confirm).status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED
    edit = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert edit.status_code == 302 and edit["Location"] == reverse("meetings:amend", args=[meeting.pk])
    amend = client.get(edit["Location"]).content.decode()
    assert "修正" in amend or "更正" in amend


def test_other_branches_cannot_use_the_confirmation(personas: Personas, client_for: Login) -> None:
    meeting = held(personas)
    assert client_for("officer_b2").get(reverse("meetings:confirm", args=[meeting.pk])).status_code == 404
    assert client_for("officer_b2").post(reverse("meetings:confirm", args=[meeting.pk])).status_code == 404
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


