"""The honors module's card of the member portal: the member's confirmed commendations and the
ceremonies they were honored at (the viewer's scoped reads narrowed to the member)."""

from __future__ import annotations

from typing import Any

from dangjian.core.approvals import ApprovalStatus
from dangjian.honors.models import Commendation, HonorCeremony


def mine(viewer: Any, member: Any) -> Any:
    commendations = list(Commendation.objects.visible_to(viewer, "view")
                         .filter(member=member, status=ApprovalStatus.APPROVED, revoked_on__isnull=True)
                         .select_related("kind", "org").order_by("-review_until")[:10])
    ceremonies = list(HonorCeremony.objects.visible_to(viewer, "view").filter(people=member)
                      .distinct().order_by("-held_on")[:10])
    return {"commendations": commendations, "ceremonies": ceremonies} if commendations or ceremonies else None
