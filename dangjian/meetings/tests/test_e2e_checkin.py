"""QR check-in on a phone (390x844) in Chromium: scan, log in, checked in; a second scan is
harmless; a member of another branch is refused with a clear Chinese message."""

from __future__ import annotations

import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dangjian.accounts.models import User
from dangjian.core.testing.personas import PASSWORD, build_personas
from dangjian.meetings.choices import AttendanceStatus, MeetingStatus
from dangjian.meetings.models import Attendance
from dangjian.meetings.tests.factories import make_meeting
from dangjian.meetings.views import checkin_path

CHROMIUM = Path("/usr/bin/chromium")
_CJK = re.compile(r"[\u4e00-\u9fff]")

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium is not installed"),
]


@pytest.fixture
def phone(flushable_audit_log: Any) -> Any:
    """A fresh phone-sized browser context per call (one per person)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the test thread runs Playwright's loop
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM),
                                    args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])

        def new_page() -> Any:
            context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                          locale="zh-CN", device_scale_factor=2)
            return context.new_page()

        yield new_page
        browser.close()


def log_in(page: Any, username: str) -> None:
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _seed_rules() -> None:
    """Re-seed the meeting kinds: an earlier transactional test's flush empties the tables the
    data migration filled (idempotent)."""
    import importlib

    from django.apps import apps

    importlib.import_module("dangjian.meetings.migrations.0002_seed_kinds_and_requirements").seed(apps, None)


def test_check_in_on_a_phone(live_server: Any, phone: Any) -> None:
    _seed_rules()
    p = build_personas()
    start = timezone.now() + dt.timedelta(minutes=10)
    meeting = make_meeting(p.b1, "themed_party_day", start, status=MeetingStatus.PLANNED, present=0)
    meeting.attendances.update(status=AttendanceStatus.PENDING)
    outsider = User(username="member_b2", member=p.members["m_b2"], password_changed_at=timezone.now())
    outsider.set_password(PASSWORD)
    outsider.save()
    url = live_server.url + checkin_path(meeting)

    page = phone()
    page.goto(url)
    assert "/accounts/login/" in page.url  # not signed in: the login page, which brings us back
    log_in(page, "member_b1")
    assert page.url == url
    assert page.locator("#checkin-button").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # fits the phone, no sideways scroll
    row = Attendance.objects.get(meeting=meeting, member=p.members["m_b1"])
    assert row.status == AttendanceStatus.PENDING  # opening the page changed nothing
    page.click("#checkin-button")
    message = page.locator("#checkin-message")
    assert message.get_attribute("data-result") == "checked_in"
    assert _CJK.search(message.inner_text())
    row.refresh_from_db()
    checked_at, version = row.checked_in_at, row.version
    assert row.status == AttendanceStatus.PRESENT and checked_at is not None

    page.goto(url)  # the second scan
    assert page.locator("#checkin-message").get_attribute("data-result") == "already"
    assert page.locator("#checkin-button").count() == 0
    row.refresh_from_db()
    assert (row.status, row.checked_in_at, row.version) == (AttendanceStatus.PRESENT, checked_at, version)

    other = phone()
    other.goto(url)
    log_in(other, "member_b2")
    refused = other.locator("#checkin-message")
    assert refused.get_attribute("data-result") == "not_expected"
    assert "不在" in refused.inner_text() or _CJK.search(refused.inner_text())
    assert other.locator("#checkin-button").count() == 0
    assert not Attendance.objects.filter(meeting=meeting, member=p.members["m_b2"]).exists()
    shots = Path(__file__).resolve().parents[3] / "var" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "checkin-390.png"), full_page=True)
