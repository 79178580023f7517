"""The workbench home page and the health check."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

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


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness and database reachability, for load balancers (no data, no login)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
