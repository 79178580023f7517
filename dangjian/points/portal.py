"""The points module's card of the member portal: this year's balance and every entry with its
reason (``rules.explain`` over the viewer's scoped ledger, narrowed to the member)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.points import rules
from dangjian.points.models import PointEntry

SHOWN = 15


def mine(viewer: Any, member: Any) -> Any:
    year = timezone.localdate().year
    x = rules.explain(member, year, PointEntry.objects.visible_to(viewer, "view"))
    entries = list(reversed(x.pending + x.entries))[:SHOWN]
    return {"year": year, "x": x, "entries": entries}
