"""The workbench home page (the probes are in core/probes.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from dangjian.core.modules import PortalItem, portal_items, workbench_figures
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
            if item.area is None or not scope_for(user, item.area, "view").is_empty]


def home(request: HttpRequest) -> HttpResponse:
    """Landing page after login: the modules' workbench figures, the user's own links and
    quick links."""
    return render(request, "core/home.html", {"workbench": workbench(request.user), "portal": portal(request.user)})
