"""Workbench figures of the member module: the composition of the members a user may see."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dangjian.core.scoping import scope_for
from dangjian.members.choices import Education
from dangjian.members.models import Member
from dangjian.members.rules import AGE_BANDS, composition


def workbench_composition(user: Any) -> dict[str, Any] | None:
    """The composition roll-up of the user's organizations (one aggregate query) and the data
    of the two workbench charts; ``None`` for a user who sees no organization's members (a
    plain member sees only their own record)."""
    scope = scope_for(user, "members", "view")
    if not (scope.everything or scope.org_paths):
        return None
    counts = composition(Member.objects.visible_to(user, "view"), timezone.localdate())
    education = [counts[f"education_{value}"] for value in Education.values]
    charts = {
        "education": {
            "categories": [str(label) for label in Education.labels],
            "values": education,
        },
        "age": {
            "categories": [label for _upper, label in AGE_BANDS],
            "values": [counts[f"age_{upper}"] for upper, _label in AGE_BANDS],
        },
    }
    return {"counts": counts, "charts": charts}
