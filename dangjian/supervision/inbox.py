"""Inbox sections: filings due or returned / to review, and rectification deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from dangjian.core.rectification import RectificationStatus
from dangjian.core.scoping import scope_for
from dangjian.supervision.models import Filing, FilingStatus, InspectionRectification
from dangjian.supervision.services.filings import may_review


def filings(user: Any) -> dict[str, Any] | None:
    """Filings of the user's organizations overdue or returned, and filings awaiting the user's review."""
    if scope_for(user, "filings", "change").is_empty:
        return None
    today = timezone.localdate()
    rows = Filing.objects.visible_to(user, "change").select_related("org")
    pending = rows.filter(status__in=(FilingStatus.DRAFT, FilingStatus.RETURNED))
    to_file = [f for f in pending.order_by("due_on")[:50]
               if (f.status == FilingStatus.RETURNED or f.due_on < today) and not may_review(user, f)]
    to_review = [f for f in rows.filter(status=FilingStatus.SUBMITTED).order_by("submitted_at")[:50]
                 if may_review(user, f)]
    return {"to_file": to_file[:20], "to_review": to_review[:20]} if (to_file or to_review) else None


def rectification(user: Any, *, horizon: int = 14) -> dict[str, Any] | None:
    """Open items due within ``horizon`` days or overdue, and done items the user's team must verify."""
    if scope_for(user, "inspection", "view").is_empty:
        return None
    soon = timezone.localdate() + dt.timedelta(days=horizon)
    rows = (InspectionRectification.objects.visible_to(user, "view").select_related("org")
            .exclude(status=RectificationStatus.CLOSED).filter(deadline__lte=soon).order_by("deadline")[:20])
    items = list(rows)
    return {"items": items} if items else None
