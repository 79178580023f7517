"""A secretary records a meeting's attendance in Chromium: 全部出席, one leave recorded after
the fact with its reason, one error (请假 without a reason); the refused save keeps every entry
and points at the row; the secretary fixes that row only, saves, and confirms (asked first)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from dangjian.core.testing.personas import PASSWORD, build_personas, make_member
from dangjian.meetings.choices import AttendanceStatus, LeaveStatus, MeetingStatus
from dangjian.meetings.models import Attendance
from dangjian.meetings.tests.factories import at, make_meeting

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[3] / "var" / "screenshots"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def browser(flushable_audit_log: Any) -> Any:
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM),
                                     args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def test_a_secretary_records_attendance_fixes_one_row_and_confirms(live_server: Any, browser: Any) -> None:
    p = build_personas()
    for name in ("王芳", "刘洋", "陈静"):
        make_member(p.b1, name=name)
    meeting = make_meeting(p.b1, "themed_party_day", at(2026, 11, 20, 9), status=MeetingStatus.PLANNED, present=0)
    meeting.attendances.update(status=AttendanceStatus.PENDING)
    meeting.host, meeting.minutes = p.members["m_b1"], "学习了党章。"
    meeting.save()
    rows = {a.member.name: a.pk for a in meeting.attendances.select_related("member")}

    page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    page.fill("input[name=username]", "officer_b1")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(f"input[name=leave-{rows['李四']}]").is_hidden()  # no reason box until 请假 is chosen
    assert page.locator(".exclude-form:visible").count() == 0  # exclusion forms only on demand

    page.click("#all-present")
    page.check(f"input[name=status-{rows['李四']}][value=excused]")  # told the secretary afterwards
    page.fill(f"input[name=leave-{rows['李四']}]", "临时出警")
    page.check(f"input[name=status-{rows['刘洋']}][value=excused]")  # the error: no reason given
    page.click("#save-attendance")
    page.wait_for_load_state()
    assert page.locator("#grid-errors").is_visible()
    assert "刘洋" in page.locator(f"#row-{rows['刘洋']} .row-message").inner_text()
    assert not Attendance.objects.filter(meeting=meeting).exclude(status=AttendanceStatus.PENDING).exists()
    # every other entry is still there: nothing to re-enter
    for name in ("张三", "王芳", "陈静"):
        assert page.locator(f"input[name=status-{rows[name]}][value=present]").is_checked()
    assert page.locator(f"input[name=leave-{rows['李四']}]").input_value() == "临时出警"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "attendance-error-1440.png"), full_page=True)

    page.click(f"#grid-errors a[href='#row-{rows['刘洋']}']")
    page.check(f"input[name=status-{rows['刘洋']}][value=absent]")
    page.click("#save-attendance")
    page.wait_for_load_state()
    assert page.locator("#grid-errors").count() == 0
    statuses = dict(Attendance.objects.filter(meeting=meeting).values_list("member__name", "status"))
    assert statuses == {"张三": "present", "王芳": "present", "陈静": "present", "李四": "excused", "刘洋": "absent"}
    li = Attendance.objects.get(pk=rows["李四"])
    assert (li.leave_status, li.leave_reason) == (LeaveStatus.APPROVED, "临时出警")

    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.click(f"a[href='/meetings/{meeting.pk}/confirm/']")
    page.wait_for_load_state()
    assert "应到 5 人" in page.inner_text("#confirm-form")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED  # the button asked first
    page.screenshot(path=str(SHOTS / "attendance-confirm-1440.png"), full_page=True)
    page.click("#confirm-button")
    page.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CONFIRMED

    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, locale="zh-CN",
                                storage_state=page.context.storage_state()).new_page()
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/attendance/")
    phone.screenshot(path=str(SHOTS / "attendance-confirmed-390.png"), full_page=True)
    phone.goto(f"{live_server.url}/meetings/{meeting.pk}/edit/")
    assert phone.url.endswith(f"/meetings/{meeting.pk}/amend/")  # the edit URL leads to the amendment
