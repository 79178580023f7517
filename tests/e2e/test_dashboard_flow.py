"""A leader opens the dashboard (1440 px and a phone at 390 px), drills from a number into the
list behind it, and the meeting room shows the 大屏 (1920 px): charts drawn by the locally
served ECharts, no console errors (the CSP allows no inline script)."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from dangjian.core.testing.personas import build_personas
from dangjian.dashboard.tests.conftest import build_city
from tests.e2e.test_member_flow import CHROMIUM, SCREENSHOTS, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")]


def test_a_leader_drills_from_the_dashboard_and_shows_the_screen(live_server: Any, live_db: None,
                                                                 browser: Any) -> None:  # noqa: F811
    personas = build_personas()
    build_city(personas)
    base = live_server.url
    SCREENSHOTS.mkdir(exist_ok=True)
    errors: list[str] = []
    for width, height in ((1440, 1000), (390, 844)):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
        log_in(page, base, "root_staff")
        page.goto(f"{base}/dashboard/")
        expect(page.locator("#figure-members_composition svg").first).to_be_visible()
        page.screenshot(path=str(SCREENSHOTS / f"dashboard-{width}.png"), full_page=True)
        context.close()
    assert not errors, errors

    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "root_staff")
    page.goto(f"{base}/dashboard/")
    card = page.locator("#figure-development_pipeline")
    card.locator("summary").click()
    link = card.locator("a.dash-drill").last
    expected = link.get_attribute("data-value")
    link.click()
    page.wait_for_url("**/development/?*")
    assert expected is not None
    page.screenshot(path=str(SCREENSHOTS / "dashboard-drill-1440.png"), full_page=True)
    context.close()

    context = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN")
    page = context.new_page()
    log_in(page, base, "root_staff")
    page.goto(f"{base}/dashboard/screen/")
    expect(page.locator(".screen-card svg").first).to_be_visible()
    assert page.locator(".navbar").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "dashboard-screen-1920.png"))
    context.close()
