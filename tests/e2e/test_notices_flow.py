"""The one inbox and an announcement in Chromium at 1440 and 390 px: a branch officer starts the
day from the materialized list (count in the menu), marks an item done; a member reads the
bureau's pinned announcement with its image, which marks the receipt read."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from dangjian.core.context import acting_as
from dangjian.core.testing.personas import build_personas
from tests.e2e.test_member_flow import CHROMIUM, SCREENSHOTS, browser, log_in  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed")]

def _png(width: int = 320, height: int = 180) -> bytes:
    """A red-and-gold banner PNG (the news image), written with zlib: no image library needed."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    rows = b"".join(b"\x00" + b"".join(bytes((200, 16, 46)) if (x + y) % 40 < 30 else bytes((250, 200, 60))
                                        for x in range(width)) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


PNG = _png()


def _world(p: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from dangjian.core import attachments
    from dangjian.meetings.models import Solicitation
    from dangjian.notices import reminders, services
    from dangjian.notices.models import Announcement, AnnouncementAttachment

    today = timezone.localdate()
    with acting_as(None, reason="test"):
        for title in ("支部工作意见征集", "年度民主评议意见征集"):
            Solicitation(org=p.b1, title=title, opens_on=today, closes_on=today + dt.timedelta(days=7)).save()
        row = Announcement(org=p.c1, title="关于开展主题党日活动的通知", pinned=True,
                           body="各支部：\n请于本月25日前组织开展主题党日活动，并上传活动照片。")
        row.save()
        attachments.store(AnnouncementAttachment(announcement=row), SimpleUploadedFile("活动照片.png", PNG),
                          actor=None, allowed={"png"}, max_mb=5)
        services.publish(actor=p.user("c1_staff"), announcement=row)
        reminders.materialize(actor=None, day=today)
    return row


@pytest.mark.parametrize("width", [1440, 390])
def test_inbox_and_announcement(live_server: Any, live_db: None, browser: Any, width: int) -> None:  # noqa: F811
    from dangjian.notices.models import AnnouncementReceipt

    p = build_personas()
    row = _world(p)
    base = live_server.url
    SCREENSHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", is_mobile=width < 500)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    log_in(page, base, "officer_b1")
    page.goto(f"{base}/notices/")
    items = page.locator("#inbox-items .list-group-item")
    expect(items.first).to_be_visible()
    expect(page.locator("#inbox-items")).to_contain_text("支部工作意见征集")
    if width >= 992:
        expect(page.locator(".nav-count").first).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"notices-inbox-{width}.png"), full_page=True)
    before = items.count()
    page.locator("#inbox-items").get_by_role("button", name="标记办结").first.click()
    page.wait_for_load_state()
    expect(page.locator("#inbox-items .list-group-item")).to_have_count(before - 1)
    context.close()

    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN", is_mobile=width < 500)
    page = context.new_page()
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None)
    log_in(page, base, "member_b1")
    page.goto(f"{base}/notices/board/")
    expect(page.locator("#feed")).to_contain_text("置顶")
    page.screenshot(path=str(SCREENSHOTS / f"notices-feed-{width}.png"), full_page=True)
    page.locator("#feed a").first.click()
    expect(page.locator("#announcement-text")).to_contain_text("主题党日")
    expect(page.locator("#announcement-text img")).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / f"notices-announcement-{width}.png"), full_page=True)
    assert AnnouncementReceipt.objects.get(announcement=row, member=p.members["m_b1"]).read_at is not None
    assert not errors, errors
    context.close()
