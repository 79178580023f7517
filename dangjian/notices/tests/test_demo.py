"""The module's demo step on the test tree: announcements with receipts, a materialized inbox."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest

from dangjian.core.context import acting_as
from dangjian.core.demo import DemoContext
from dangjian.notices import demo, inbox
from dangjian.notices.models import Announcement, AnnouncementReceipt, Reminder

pytestmark = pytest.mark.django_db


def test_demo_announcements_and_inbox(p: Any) -> None:
    ctx = DemoContext(seed=1, rng=random.Random(1), today=dt.date(2026, 11, 20), root=p.root,
                      users={"zhibu": p.user("officer_b1"), "danwei": p.user("c1_staff"), "shi": p.user("root_staff")})
    with acting_as(None, reason="demo test"):
        counts = demo.build(ctx)
    assert counts["announcements"] == 3 == Announcement.objects.filter(published_at__isnull=False).count()
    assert Announcement.objects.filter(pinned=True).count() == 1
    receipts = AnnouncementReceipt.objects.all()
    assert receipts.count() == counts["receipts"] > 0
    assert 0 < receipts.filter(read_at__isnull=False).count() < receipts.count()  # names left to chase
    assert counts["reminders"] == Reminder.objects.count() > 0
    assert inbox.open_count(p.user("officer_b1")) > 0
