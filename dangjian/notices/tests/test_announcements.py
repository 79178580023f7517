"""Announcements: a subtree reaches exactly its members, read receipts (who has, who has not,
Excel), pinned first, news images, comments off by default."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from dangjian.core.context import acting_as
from dangjian.core.errors import RuleError
from dangjian.core.models import AuditEntry
from dangjian.core.testing.personas import make_member
from dangjian.notices import services
from dangjian.notices.models import Announcement, AnnouncementComment, AnnouncementReceipt

pytestmark = pytest.mark.django_db


def draft(p: Any, org: Any, **fields: Any) -> Announcement:
    with acting_as(None, reason="test"):
        row = Announcement(org=org, title=fields.pop("title", "关于学习的通知"), body="请认真学习。", **fields)
        row.save()
    return row


def publish(p: Any, row: Announcement, who: str = "c1_staff") -> int:
    with acting_as(p.user(who), reason="test"):
        return services.publish(actor=p.user(who), announcement=row)


def test_an_announcement_to_a_subtree_reaches_exactly_its_members(p: Any, client_for: Any) -> None:
    with acting_as(None, reason="test"):
        grouped = make_member(p.g1, name="小组党员")
        left = make_member(p.b2, name="离开党员", is_active=False)
    row = draft(p, p.c1)
    assert publish(p, row) == 4
    reached = set(AnnouncementReceipt.objects.filter(announcement=row).values_list("member_id", flat=True))
    assert reached == {p.members["m_b1"].pk, p.members["m_b1_2"].pk, p.members["m_b2"].pk, grouped.pk}
    assert left.pk not in reached and p.members["m_b3"].pk not in reached
    assert AuditEntry.objects.filter(event="bulk_create", object_type="notices.announcementreceipt",
                                     object_id=str(row.pk)).exists()
    member = client_for("member_b1")
    assert row.title in member.get(reverse("notices:feed")).content.decode()
    assert member.get(reverse("notices:read", args=[row.pk])).status_code == 200


def test_outside_the_subtree_it_is_not_seen(p: Any, client_for: Any) -> None:
    from dangjian.accounts.models import User

    row = draft(p, p.b2, title="二支部内部通知")
    publish(p, row)
    with acting_as(None, reason="test"):
        user = User(username="member_b3", member=p.members["m_b3"])
        user.set_password("Test#Pw-2026x")
        user.save()
    for who in ("member_b1", "officer_b1", "member_b3"):
        client = client_for(who)
        assert "二支部内部通知" not in client.get(reverse("notices:feed")).content.decode()
        assert client.get(reverse("notices:read", args=[row.pk])).status_code == 404


def test_a_draft_is_seen_only_by_its_authors(p: Any, client_for: Any) -> None:
    row = draft(p, p.b1, title="草稿通知")
    assert client_for("member_b1").get(reverse("notices:read", args=[row.pk])).status_code == 404
    assert client_for("officer_b1").get(reverse("notices:read", args=[row.pk])).status_code == 200


def test_read_receipts_who_has_read_and_who_has_not(p: Any, client_for: Any) -> None:
    row = draft(p, p.c1)
    publish(p, row)
    client_for("member_b1").get(reverse("notices:read", args=[row.pk]))
    client_for("member_b1").get(reverse("notices:read", args=[row.pk]))  # a second visit changes nothing
    read = AnnouncementReceipt.objects.get(announcement=row, member=p.members["m_b1"])
    assert read.read_at is not None
    assert AnnouncementReceipt.objects.filter(announcement=row, read_at__isnull=True).count() == 2
    officer = client_for("officer_b1")
    unread = officer.get(reverse("notices:receipt_list") + f"?announcement={row.pk}&state=unread").content.decode()
    assert "李四" in unread and "张三" not in unread and "王五" not in unread  # the officer's own branch only
    staff = client_for("c1_staff").get(reverse("notices:receipt_list") + f"?announcement={row.pk}&state=unread")
    assert "王五" in staff.content.decode()
    export = client_for("c1_staff").get(reverse("notices:receipt_export") + f"?announcement={row.pk}&state=unread")
    assert export.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active  # type: ignore[attr-defined]
    names = {cell.value for row in sheet.iter_rows() for cell in row}
    assert {"李四", "王五"} <= names and "张三" not in names
    detail = client_for("c1_staff").get(reverse("notices:announcement_detail", args=[row.pk])).content.decode()
    assert "receipt-figures" in detail


def test_a_member_who_joins_later_gets_a_receipt_when_reading(p: Any, client_for: Any) -> None:
    from dangjian.accounts.models import User

    row = draft(p, p.c1)
    publish(p, row)
    with acting_as(None, reason="test"):
        newcomer = make_member(p.b1, name="新党员")
        user = User(username="newcomer", member=newcomer)
        user.set_password("Test#Pw-2026x")
        user.save()
    assert client_for("newcomer").get(reverse("notices:read", args=[row.pk])).status_code == 200
    assert AnnouncementReceipt.objects.get(announcement=row, member=newcomer).read_at is not None


def test_publishing_twice_and_outside_the_scope_are_refused(p: Any) -> None:
    row = draft(p, p.c1)
    with pytest.raises(RuleError):
        publish(p, row, "officer_b1")
    publish(p, row)
    with pytest.raises(RuleError):
        publish(p, row)


def test_pinned_first_and_news_images(p: Any, client_for: Any) -> None:
    publish(p, draft(p, p.c1, title="普通通知"))
    publish(p, draft(p, p.c1, title="置顶通知", pinned=True))
    page = client_for("member_b1").get(reverse("notices:feed")).content.decode()
    assert page.index("置顶通知") < page.index("普通通知")
    news = client_for("member_b1").get(reverse("notices:feed") + "?kind=news").content.decode()
    assert "普通通知" not in news


def test_comments_are_off_by_default(p: Any, client_for: Any) -> None:
    row = draft(p, p.c1)
    publish(p, row)
    member = client_for("member_b1")
    assert "comments" not in member.get(reverse("notices:read", args=[row.pk])).content.decode().split("</main>")[0]
    member.post(reverse("notices:read", args=[row.pk]), {"text": "我有意见"})
    assert not AnnouncementComment.objects.exists()
    Announcement.objects.filter(pk=row.pk).update(allow_comments=True)
    member.post(reverse("notices:read", args=[row.pk]), {"text": "认真学习"})
    assert AnnouncementComment.objects.get().text == "认真学习"
    assert "认真学习" in member.get(reverse("notices:read", args=[row.pk])).content.decode()


def test_publish_button(p: Any, client_for: Any) -> None:
    row = draft(p, p.b1)
    assert client_for("officer_b2").post(reverse("notices:announcement_publish", args=[row.pk])).status_code == 404
    response = client_for("officer_b1").post(reverse("notices:announcement_publish", args=[row.pk]))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.published_at is not None
    assert AnnouncementReceipt.objects.filter(announcement=row).count() == 2
