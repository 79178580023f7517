"""The dashboard of a subtree: which organization, which figures the user sees, their data.

The subtree is the user's scope root by default, or one chosen from the picker (committees and
general branches in scope, and the user's own scope roots); anything else is a 404, as is a user
with no dashboard scope. A figure is shown when the user's view scope in the figure's own area
reaches the subtree: the numbers of a module are never shown to someone who may not open the
list behind them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import Http404
from django.utils import timezone

from dangjian.core.figures import DashboardFigure, FigureData, Subtree
from dangjian.core.modules import dashboard_figures
from dangjian.core.scoping import covers, orgs_where, scope_paths
from dangjian.dashboard import cache

AREA = "dashboard"
PICKER_KINDS = ("committee", "general_branch")


@dataclass(frozen=True)
class Shown:
    figure: DashboardFigure
    data: FigureData


def _organizations(user: Any) -> Any:
    from dangjian.orgs.models import Organization

    return orgs_where(user, AREA, "view", Organization.objects.visible_to(user, "view"))


def roots(user: Any) -> list[Any]:
    """The top organizations of the user's dashboard scope (the picker's first entries)."""
    paths = scope_paths(user, AREA, "view")
    if paths == []:
        return []
    qs = _organizations(user)
    qs = qs.filter(depth=1) if paths is None else qs.filter(path__in=paths)
    return list(qs.order_by("path").only("id", "name", "path", "kind", "depth"))


def picker(user: Any, limit: int = 600) -> list[Any]:
    """The subtrees the user may choose: their roots, then the committees and general branches
    below them, in tree order."""
    top = roots(user)
    below = list(_organizations(user).filter(kind__in=PICKER_KINDS, is_active=True)
                 .order_by("path").only("id", "name", "path", "kind", "depth")[:limit])
    seen = {org.pk for org in top}
    return top + [org for org in below if org.pk not in seen]


def subtree_for(user: Any, org_id: int | None) -> Subtree:
    """The subtree a dashboard is drawn for: the chosen organization (404 unless in scope and
    either a committee or general branch or one of the user's roots), else the first root."""
    top = roots(user)
    if not top:
        raise Http404
    if org_id is None:
        org = top[0]
    else:
        org = _organizations(user).filter(pk=org_id).only("id", "name", "path", "kind").first()
        if org is None or not (org.kind in PICKER_KINDS or org.pk in {o.pk for o in top}):
            raise Http404
    return Subtree(org.pk, org.path, org.name, org.kind, timezone.localdate())


def visible_figures(user: Any, subtree: Subtree, *, screen: bool = False) -> list[DashboardFigure]:
    return [f for f in dashboard_figures()
            if covers(user, f.area, "view", subtree.path) and (f.on_screen or not screen)]


def dashboard(user: Any, subtree: Subtree, *, screen: bool = False) -> list[Shown]:
    figures = visible_figures(user, subtree, screen=screen)
    data = cache.figures_for(subtree, figures)
    return [Shown(f, data[f.key]) for f in figures]


def figure(user: Any, subtree: Subtree, key: str) -> Shown:
    """One figure by key (404 when unknown or not visible to the user for this subtree)."""
    for f in visible_figures(user, subtree):
        if f.key == key:
            return Shown(f, cache.figures_for(subtree, [f])[f.key])
    raise Http404
