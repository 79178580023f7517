"""Sidebar navigation: each module declares its menu group (``navigation`` in its
``declarations.py``); entries the user has no scope for are hidden (the pages themselves still
enforce scope).

The same rule as scoping decides what a user is shown: an entry is visible when the user has
scope for its (area, action). ``staff`` entries (registers, reports, settings of a module)
need scope through a grant on organizations: a member, who reaches only their own records and
their branch, does not see them. ``member_only`` entries ("my dues") need a member record.
``tests/authz/test_menu_walk.py`` opens every entry and button as every persona."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dangjian.core.scoping import scope_for


@dataclass(frozen=True)
class MenuItem:
    label: Any
    url_name: str
    icon: str = "circle"
    area: str | None = None
    action: str = "view"
    staff: bool = False
    member_only: bool = False
    #: a count shown beside the entry (open reminders): ``badge(user)``, kept cheap by the
    #: module (one query, cached per user); 0 or ``None`` shows nothing
    badge: Callable[[Any], int | None] | None = None

    def visible(self, user: Any) -> bool:
        if self.member_only and not getattr(user, "member_id", None):
            return False
        if self.area is None:
            return True
        scope = scope_for(user, self.area, self.action)
        return scope.is_officer if self.staff else not scope.is_empty


@dataclass(frozen=True)
class MenuGroup:
    label: Any
    items: tuple[MenuItem, ...]


def core_menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Workbench"), (MenuItem(_("Home"), "core:home", "home"),
                                      MenuItem(_("My reminders"), "core:inbox", "bell"),
                                      MenuItem(_("My background jobs"), "core:job_list", "loader")))


def _groups() -> tuple[MenuGroup, ...]:
    from dangjian.core.modules import menu_groups

    return menu_groups()


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Template context: the menu groups with the entries this user may open."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_groups": [], "nav_badges": {}}
    groups = []
    badges: dict[str, int] = {}
    for group in _groups():
        items = [(item, reverse(item.url_name)) for item in group.items if item.visible(user)]
        for item, url in items:
            count = item.badge(user) if item.badge is not None else None
            if count:
                badges[url] = count
        if items:
            groups.append((group.label, items))
    return {"nav_groups": groups, "nav_badges": badges}
