"""The workbench home page (the probes are in core/probes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangjian.core.modules import PortalItem, areas, portal_items, workbench_figures
from dangjian.core.scoping import scope_for


@dataclass(frozen=True)
class ShownFigure:
    template: str
    data: Any


def workbench(user: Any) -> dict[str, Any]:
    """The declared workbench figures this user sees, by place, and the scripts they need.
    Figures sharing one data function compute it once."""
    computed: dict[Callable[[Any], Any], Any] = {}
    shown: dict[str, list[ShownFigure]] = {"top": [], "main": [], "side": []}
    scripts: list[str] = []
    for figure in workbench_figures():
        if figure.data not in computed:
            computed[figure.data] = figure.data(user)
        data = computed[figure.data]
        if data is None:
            continue
        shown.setdefault(figure.place, []).append(ShownFigure(figure.template, data))
        scripts += [script for script in figure.scripts if script not in scripts]
    return {**shown, "scripts": scripts}


def portal(user: Any) -> list[tuple[PortalItem, str]]:
    """The declared member-portal links of a user with a member record, where they may view."""
    if not getattr(user, "member_id", None):
        return []
    return [(item, reverse(item.url_name, kwargs=item.kwargs(user) if item.kwargs else None))
            for item in portal_items()
            if item.url_name and (item.area is None or not scope_for(user, item.area, "view").is_empty)]


def has_officer_scope(user: Any) -> bool:
    """Whether any role of the user reaches organizations (an officer's, staff's, inspector's or
    an administrator's grant), not only the member's own records."""
    return any(scope_for(user, code, "view").is_officer for code in areas())


def landing(user: Any) -> str:
    """Where a login without a ``next`` lands: the member portal for a member without staff
    roles, the workbench for everyone else."""
    return member_home(user) or reverse("core:home")


def member_home(user: Any) -> str | None:
    """Where a member without staff roles lands (``DANGJIAN["MEMBER_HOME"]``, the member portal);
    ``None`` for staff, who keep the workbench and reach the portal by its link."""
    name = settings.DANGJIAN.get("MEMBER_HOME")
    if not name or not getattr(user, "member_id", None) or has_officer_scope(user):
        return None
    return reverse(str(name))


def home(request: HttpRequest) -> HttpResponse:
    """The workbench: the modules' workbench figures, the user's own links and quick links.
    (A member without staff roles lands on the member portal after login: ``landing``.)"""
    return render(request, "core/home.html", {"workbench": workbench(request.user), "portal": portal(request.user)})
