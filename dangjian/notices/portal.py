"""The notices module's card of the member portal: the latest announcements that reached the
member (their receipts, read or not), read through the viewer's scope."""

from __future__ import annotations

from typing import Any

from dangjian.notices.models import AnnouncementReceipt

SHOWN = 5


def latest(viewer: Any, member: Any) -> Any:
    rows = list(AnnouncementReceipt.objects.visible_to(viewer, "view")
                .filter(member=member, announcement__published_at__isnull=False)
                .select_related("announcement", "announcement__org")
                .order_by("-announcement__pinned", "-announcement__published_at")[:SHOWN])
    return {"rows": rows, "unread": sum(1 for r in rows if r.read_at is None)} if rows else None


def tasks(viewer: Any, member: Any) -> Any:
    """The member's own open to-dos (reminders addressed to the member), soonest first."""
    from dangjian.notices.inbox import open_for

    rows = list(open_for(viewer).filter(member=member)[:8])
    return {"rows": rows}
