"""Notices demo: the bureau's announcements to its subtree and a unit's news, read by part of
their audience (so the receipts list has names to chase), and the inbox brought up to date for
every demo account (the materializing job's work, run as the bureau staff ``shi``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.core import audit
from dangjian.core.context import acting_as
from dangjian.notices import reminders, services
from dangjian.notices.models import Announcement, AnnouncementKind, AnnouncementReceipt

ANNOUNCEMENTS = [  # (who, kind, pinned, comments, title, body)
    ("shi", AnnouncementKind.ANNOUNCEMENT, True, False, "关于开展年度民主评议党员工作的通知",
     "各基层党组织：\n根据上级党委部署，请于本月底前完成年度民主评议党员工作，评议结果报局机关党委备案。\n"
     "请各支部书记组织好个人自评、党员互评和民主测评，如实填写评议表。"),
    ("shi", AnnouncementKind.ANNOUNCEMENT, False, False, "关于按时交纳党费的提醒",
     "请各位党员按月交纳党费。连续三个月未交纳党费的，支部将进行提醒谈话。"),
    ("danwei", AnnouncementKind.NEWS, False, True, "单位党委开展主题党日活动",
     "本月主题党日，单位党委组织党员前往革命纪念馆参观学习，重温入党誓词。"),
]


def build(ctx: Any) -> dict[str, int]:
    counts = {"announcements": 0, "receipts": 0, "read": 0, "reminders": 0}
    for who, kind, pinned, comments, title, body in ANNOUNCEMENTS:
        author = ctx.user(who)
        grant = author.grants.filter(revoked_at__isnull=True).select_related("org").first()
        if grant is None:
            continue
        with acting_as(author, reason="演示数据：通知公告"):
            row = Announcement(org=grant.org, kind=kind, pinned=pinned, allow_comments=comments, title=title,
                               body=body, author=author)
            row.save()
            counts["receipts"] += services.publish(actor=author, announcement=row)
            counts["announcements"] += 1
        # two members in three have read it (by the demo's own seed)
        unread = AnnouncementReceipt.objects.filter(announcement=row, read_at__isnull=True).order_by("pk")
        ids = [pk for pk in unread.values_list("pk", flat=True) if ctx.rng.random() < 0.66]
        moment = timezone.make_aware(dt.datetime.combine(ctx.today, dt.time(9, 0)))
        for start in range(0, len(ids), 2000):
            AnnouncementReceipt.objects.filter(pk__in=ids[start:start + 2000]).update(read_at=moment)
        audit.record("update", object_type="notices.announcementreceipt", object_id=row.pk, object_repr=str(row),
                     org_path=row.org.path, changes={"read": len(ids)}, actor=author, reason="演示数据：通知公告")
        counts["read"] += len(ids)
    shi = ctx.user("shi")
    with acting_as(shi, reason="演示数据：通知与待办"):
        results = reminders.materialize(actor=shi, day=ctx.today)
    counts["reminders"] = sum(r.created for r in results)
    return counts
