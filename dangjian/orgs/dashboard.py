"""Workbench figures of the organization module: the user's organizations by kind."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from dangjian.core.scoping import scope_for
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


def organization_counts(user: Any) -> dict[str, int] | None:
    """Active organizations the user may see, per kind (one aggregate query)."""
    scope = scope_for(user, "orgs", "view")
    if not (scope.everything or scope.org_paths):
        return None
    return Organization.objects.visible_to(user, "view").filter(is_active=True).aggregate(
        **{kind: Count("pk", filter=Q(kind=kind)) for kind in OrgKind.values}
    )
