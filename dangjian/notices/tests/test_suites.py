"""Generated screen, attachment and inbox suites of the notices models (dangjian.core.testing)."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.urls import reverse

from dangjian.core.testing.facilities import AttachmentSuite, InboxSuite
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite
from dangjian.notices import services
from dangjian.notices.models import (
    Announcement,
    AnnouncementAttachment,
    AnnouncementReceipt,
    ChannelConfig,
    Reminder,
)
from dangjian.notices.views import AnnouncementViews, ChannelConfigViews, ReceiptViews

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "notices.remindermark": "A user's own read and done marks, written by notices.inbox.mark for request.user only; "
                            "tested in test_inbox.py (done items do not come back, marks are per user).",
    "notices.channelpreference": "A user's own channels, read and written only for request.user on the preferences "
                                 "page; tested in test_adapters.py.",
    "notices.outboxmessage": "The delivery queue, no screen: read and written by notices.outbox only; tested against "
                             "a fake HTTP server in test_adapters.py.",
    "notices.announcementcomment": "No screens of its own: posted and shown on the announcement's reader page, "
                                   "tested in test_announcements.py.",
}


def announcement(p: Personas, org: Any = None, *, publish: bool = False, **fields: Any) -> Announcement:
    row = Announcement(org=org or p.b1, title=fields.pop("title", f"测试通知{next(_n)}"), body="请各位党员按时参加。",
                       **fields)
    row.save()
    if publish:
        services.publish(actor=p.user("root_staff"), announcement=row)
    return row


class TestAnnouncementSuite(ModelSuite):
    views = AnnouncementViews
    allowed = "officer_b1"
    outsider = "officer_b2"
    edit = {"title": "修改后的通知标题"}
    marker = "title"

    @classmethod
    def make_row(cls, p: Personas) -> Announcement:
        return announcement(p)

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"org": p.b1.pk, "kind": "notice", "title": f"新通知{next(_n)}", "body": "正文"}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestReceiptSuite(ModelSuite):
    views = ReceiptViews
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_row(cls, p: Personas) -> AnnouncementReceipt:
        row = AnnouncementReceipt(announcement=announcement(p, p.c1), member=p.members["m_b1"])
        row.save()
        return row


class TestChannelConfigSuite(ModelSuite):
    views = ChannelConfigViews
    allowed = "sysadmin"
    outsider = "c1_staff"
    edit = {"base_url": "https://sms.example.test/send"}
    marker = "base_url"

    @classmethod
    def make_row(cls, p: Personas) -> ChannelConfig:
        ChannelConfig.objects.filter(channel="sms").delete()
        row = ChannelConfig(channel="sms", base_url=f"https://gw{next(_n)}.example.test/sms", app_key="acct")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        ChannelConfig.objects.filter(channel="wecom").delete()
        return {"channel": "wecom", "base_url": "https://qyapi.weixin.qq.com", "app_key": "corp", "agent_id": "1000002",
                "new_secret": "s3cret", "max_attempts": "5", "retry_minutes": "5", "per_minute": "60",
                "timeout_seconds": "10"}


class TestAnnouncementAttachmentSuite(AttachmentSuite):
    model = AnnouncementAttachment
    record_field = "announcement"
    allowed = "officer_b1"
    outsider = "officer_b2"
    max_mb = 20

    @classmethod
    def make_record(cls, p: Personas) -> Announcement:
        return announcement(p)

    @classmethod
    def upload_url(cls, record: Any) -> str:
        return reverse("notices:attachment_upload", args=[record.pk])

    @classmethod
    def download_url(cls, attachment: Any) -> str:
        return reverse("notices:attachment_download", args=[attachment.pk])


class TestInboxItemsSuite(InboxSuite):
    """The materialized list as a section of the core's reminders page."""

    model = Reminder
    section = "notices_items"
    allowed = "officer_b1"
    outsider = "officer_b2"

    @classmethod
    def make_item(cls, p: Personas) -> str:
        title = f"测试待办{next(_n)}"
        Reminder.objects.create(source="test", object_key=title, recipient="s:meetings:add", due_on=dt.date(2026, 12, 1),
                                title=title, url="/", org=p.b1, org_path=p.b1.path, area="meetings", action="add",
                                first_on=dt.date(2026, 11, 1))
        return title
