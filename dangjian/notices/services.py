"""Writes of the announcements (keyword-only, actor first; lock, re-check, audit)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.core import audit
from dangjian.core.errors import RuleError
from dangjian.core.scoping import covers, ensure_in_scope
from dangjian.notices.models import Announcement, AnnouncementComment, AnnouncementReceipt

AREA = "announcements"


def audience(announcement: Announcement) -> Any:
    """The members an announcement reaches: exactly those on the roll in its organization's subtree."""
    from dangjian.members.models import Member

    return Member.objects.filter(org__path__startswith=announcement.org.path, is_active=True)  # scope-ok: the audience is the subtree, not the reader's scope


def publish(*, actor: Any, announcement: Announcement) -> int:
    """Publish a draft: it appears to its subtree and every member of the subtree gets a receipt
    to read (one audit entry for the receipts). Returns the number of receipts."""
    from dangjian.notices import outbox

    with transaction.atomic():
        row = Announcement.objects.select_for_update().select_related("org").get(pk=announcement.pk)  # scope-ok: re-read under lock, checked below
        if not covers(actor, AREA, "change", row.org):
            raise RuleError(gettext("You may not publish announcements of this organization."))
        if row.published_at is not None:
            raise RuleError(gettext("This announcement is already published."))
        row.published_at = timezone.now()
        row.save()
        ensure_in_scope(actor, row, "change")
        members = list(audience(row).values_list("pk", flat=True))
        AnnouncementReceipt.objects.bulk_create(
            [AnnouncementReceipt(announcement=row, member_id=pk) for pk in members], batch_size=2000,
            ignore_conflicts=True)
        audit.record("bulk_create", object_type="notices.announcementreceipt", object_id=row.pk,
                     object_repr=str(row), org_path=row.org.path, changes={"receipts": len(members)}, actor=actor)
        from dangjian.accounts.models import User

        user_ids = User.objects.filter(member_id__in=members, is_active=True).values_list("pk", flat=True)  # scope-ok: the audience's own accounts
        transaction.on_commit(lambda: outbox.queue(user_ids=list(user_ids), key=f"announcement:{row.pk}",
                                                   text=f"{row.org}: {row.title}", url=row.get_absolute_url()))
    announcement.published_at = row.published_at
    announcement.version = row.version
    return len(members)


def reached_by(user: Any) -> Any:
    """Published announcements that reach the user as a member: those of their organization and
    every organization above it."""
    member_id = getattr(user, "member_id", None)
    if not member_id:
        return Announcement.objects.none()
    from dangjian.members.models import Member

    path = Member.objects.filter(pk=member_id).values_list("org__path", flat=True).first() or ""  # scope-ok: the user's own record
    prefixes = [path[:i] for i in range(4, len(path) + 1, 4)]
    return Announcement.objects.filter(org__path__in=prefixes, published_at__isnull=False)  # scope-ok: its audience is the subtree


def readable(user: Any) -> Any:
    """What the user may read: announcements in their scope (the authors' view, drafts too) and
    the published ones that reach them as a member."""
    scoped = Announcement.objects.visible_to(user, "view").values("pk")
    return Announcement.objects.filter(pk__in=scoped) | reached_by(user)  # scope-ok: both halves are scoped


def record_read(*, actor: Any, announcement: Announcement) -> None:
    """The reader's receipt is marked read the first time they open it (a member who joined the
    subtree after publishing gets a receipt then)."""
    member_id = getattr(actor, "member_id", None)
    if not member_id or announcement.published_at is None:
        return
    if not reached_by(actor).filter(pk=announcement.pk).exists():
        return
    with transaction.atomic():
        receipt, _created = AnnouncementReceipt.objects.select_for_update().get_or_create(
            announcement=announcement, member_id=member_id)
        if receipt.read_at is None:
            receipt.read_at = timezone.now()
            receipt.save()


def comment(*, actor: Any, announcement: Announcement, text: str) -> AnnouncementComment:
    """A reader's comment, only where the author allowed comments."""
    text = (text or "").strip()
    with transaction.atomic():
        row = Announcement.objects.select_for_update().get(pk=announcement.pk)  # scope-ok: re-read under lock
        if not row.allow_comments or row.published_at is None:
            raise RuleError(gettext("Comments are not open on this announcement."))
        if not readable(actor).filter(pk=row.pk).exists():
            raise RuleError(gettext("You may not comment on this announcement."))
        if not text:
            raise RuleError(gettext("Write the comment first."), field="text")
        item = AnnouncementComment(announcement=row, author=actor, text=text[:1000])
        item.save()
    return item
