"""The development module's card of the member portal: the member's own file while it is open
(a probationary member's steps to full membership), read through the viewer's scope."""

from __future__ import annotations

from typing import Any

from dangjian.development.choices import Stage
from dangjian.development.models import Case, Step


def mine(viewer: Any, member: Any) -> Any:
    case = (Case.objects.visible_to(viewer, "view").filter(member=member)
            .exclude(stage__in=[Stage.FULL, Stage.CLOSED]).first())
    if case is None:
        return None
    steps = list(Step.objects.visible_to(viewer, "view").filter(case=case).order_by("on", "id"))
    return {"case": case, "steps": steps}
