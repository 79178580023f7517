"""The inbox ("my reminders"): one page where every module's reminders meet.

A module declares its sections in ``declarations.py`` (``inbox=(Figure(...), ...)``, place
"left" or "right"); each section's ``data(user)`` returns what its template shows, or
``None`` when it has nothing for this user. What falls due is declared separately as reminder
sources (``dangjian.core.reminders``), materialized by the notices module, whose list is one
more section here (and its own page, 通知与待办).
The generated suite ``dangjian.core.testing.facilities.InboxSuite`` tests a section.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dangjian.core.modules import inbox_sections
from dangjian.core.pages import ShownFigure


def sections(user: Any) -> dict[str, list[ShownFigure]]:
    shown: dict[str, list[ShownFigure]] = {"left": [], "right": []}
    for section in inbox_sections():
        data = section.data(user)
        if data is not None:
            shown.setdefault(section.place, []).append(ShownFigure(section.template, data))
    return shown


@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's reminders from every module."""
    return render(request, "core/inbox.html", {"sections": sections(request.user)})
