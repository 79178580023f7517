"""What each module declares about itself (its `declarations.py`), collected by the core.

A module lists its parts in one file, ``<app>/declarations.py``, as ``parts = ModuleParts(...)``:
its permission areas (which role may do what there), its audit event labels, its navigation
group, its workbench and dashboard figures, its inbox sections, its reminder sources and its member-portal items. The core and the accounts app read
them through the collectors below, in ``INSTALLED_APPS`` order; nothing outside the module
names it, so adding a module touches only settings and the URL files.

Why one file and not the AppConfig: the declarations import the module's own functions and
templates' names, which may import models; an AppConfig is imported before the models are
ready. The declaration file is imported on first use, after app loading.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from typing import Any

from django.apps import apps
from django.utils.module_loading import module_has_submodule

DECLARATIONS_MODULE = "declarations"



def lazy_callable(dotted: str) -> Callable[..., Any]:
    """The function at ``dotted``, imported on its first call: a module's declarations are read
    at start-up, before the models its functions need may be imported (reminder sources,
    dashboard figures)."""
    from django.utils.module_loading import import_string

    def call(*args: Any, **kwargs: Any) -> Any:
        return import_string(dotted)(*args, **kwargs)

    call.__qualname__ = call.__name__ = dotted
    return call

@dataclass(frozen=True)
class Area:
    """A permission area and what each role may do in it (SECURITY.md AC-04, the matrix).

    ``roles`` maps a role code to the actions it has here; a role not named has none.
    ``own_rows``: the member role reaches only the rows it owns (the model's ``owner_path``),
    not the rows of the member's whole branch.
    ``member_data``: the area holds business personal data (members, posts they hold, their
    meetings, dues ...): no administrator role (三员) may hold any action in it (AC-04), and
    every model that refers to a member must sit in such an area.
    """

    code: str
    label: Any
    roles: Mapping[str, frozenset[str]]
    own_rows: bool = False
    member_data: bool = False


@dataclass(frozen=True)
class Figure:
    """A figure on the workbench (home page): ``data(user)`` returns the template's data, or
    ``None`` when the user sees nothing of it (the figure is then left out).

    ``place`` is "main" (the wide column) or "side"; ``scripts`` are static files the figure's
    template needs in the page head (loaded once even when two figures need them).
    """

    key: str
    template: str
    data: Callable[[Any], Any]
    place: str = "main"
    order: int = 100
    scripts: tuple[str, ...] = ()


#: the tabs of the member portal (网上党支部), in the order of its bottom bar
PORTAL_TABS = ("home", "life", "study", "me")


@dataclass(frozen=True)
class PortalItem:
    """A link in the member's own corner ("my dues", "my reminders"): shown to every user who
    has a member record and may view ``area``; ``kwargs(user)`` gives the URL's arguments.

    The member portal shows the item on its ``tab`` (one of :data:`PORTAL_TABS`). An item with
    a ``card`` (a template) is drawn there as a card from ``data(viewer, member)``: the module's
    own scoped read of the member's rows (``visible_to(viewer)`` narrowed to ``member``), so a
    branch secretary's read-only preview of a member's portal reads through the secretary's own
    scope. ``data`` returns ``None`` when there is nothing to show (the card is left out).
    ``preview`` False keeps a card out of the staff preview (it shows what only the member may
    do, such as a personal form). ``key`` names the card (defaults to the URL name)."""

    label: Any
    url_name: str
    icon: str = "circle"
    area: str | None = None
    order: int = 100
    kwargs: Callable[[Any], dict[str, Any]] | None = None
    tab: str = "me"
    card: str | None = None
    data: Callable[[Any, Any], Any] | None = None
    key: str = ""

    @property
    def card_key(self) -> str:
        return self.key or self.url_name.replace(":", "-")


@dataclass(frozen=True)
class ModuleParts:
    """Everything a module declares to the core. ``navigation`` is a callable returning a
    ``dangjian.core.navigation.MenuGroup`` (menu labels are lazy; the group is built once);
    ``nav_order`` places the group in the sidebar (lower first). ``inbox`` sections are
    figures of the reminders page (place "left" or "right"). ``audit_events`` maps the
    event codes the module records to their labels, ``audit_object_types`` the object types
    it records that are not models (an export of a disclosure sheet). ``unscoped_models`` are the module's
    infrastructure tables that need no scope declaration (lower-case labels, with why)."""

    areas: tuple[Area, ...] = ()
    audit_events: Mapping[str, Any] = field(default_factory=dict)
    audit_object_types: Mapping[str, Any] = field(default_factory=dict)
    navigation: Callable[[], Any] | None = None
    nav_order: int = 100
    workbench: tuple[Figure, ...] = ()
    inbox: tuple[Figure, ...] = ()
    portal: tuple[PortalItem, ...] = ()
    unscoped_models: Mapping[str, str] = field(default_factory=dict)
    #: sections of an organization's page (``dangjian.core.views.Related``: a scoped list or
    #: summary of the module, loaded with hx-get and the organization's id as the parameter)
    org_page: tuple[Any, ...] = ()
    #: the module's part of the demo bureau (``manage.py demo``): ``build(ctx)`` with a
    #: ``dangjian.core.demo.DemoContext``, run after the organizations, members and accounts
    #: and after the steps of modules it depends on (``order``, then app order)
    demo: DemoStep | None = None
    #: the module's reminder sources for the one inbox (``dangjian.core.reminders.ReminderSource``:
    #: what falls due on a day and for whom), materialized by the notices module's job
    reminders: tuple[Any, ...] = ()
    #: figures of the dashboard (数据看板): ``dangjian.core.figures.DashboardFigure``
    dashboard: tuple[Any, ...] = ()


@dataclass(frozen=True)
class DemoStep:
    build: Callable[[Any], Any]
    order: int = 100
    #: a context manager factory held while the bureau itself (organizations, members, posts) is
    #: built, before any step: a module whose upkeep the step redoes in bulk pauses it here
    bureau: Callable[[], contextlib.AbstractContextManager[Any]] | None = None


@cache
def all_parts() -> tuple[tuple[str, ModuleParts], ...]:
    """(app label, parts) of every installed app with a declarations module, in app order."""
    found = []
    for config in apps.get_app_configs():
        if not module_has_submodule(config.module, DECLARATIONS_MODULE):
            continue
        module = import_module(f"{config.name}.{DECLARATIONS_MODULE}")
        parts = getattr(module, "parts", None)
        if not isinstance(parts, ModuleParts):
            raise TypeError(f"{config.name}.{DECLARATIONS_MODULE} must define parts = ModuleParts(...)")
        found.append((config.label, parts))
    return tuple(found)


@cache
def areas() -> dict[str, Area]:
    """Every declared permission area by code (an area declared twice is an error)."""
    found: dict[str, Area] = {}
    for label, parts in all_parts():
        for area in parts.areas:
            if area.code in found:
                raise ValueError(f"permission area {area.code!r} declared twice (again by {label})")
            found[area.code] = area
    return found


@cache
def audit_event_labels() -> dict[str, Any]:
    """Every declared audit event code and its label."""
    labels: dict[str, Any] = {}
    for _label, parts in all_parts():
        labels.update(parts.audit_events)
    return labels


@cache
def audit_object_type_labels() -> dict[str, Any]:
    """Declared labels of audit object types that are not models."""
    labels: dict[str, Any] = {}
    for _label, parts in all_parts():
        labels.update(parts.audit_object_types)
    return labels


@cache
def menu_groups() -> tuple[Any, ...]:
    """The sidebar groups, in ``nav_order`` (then app order)."""
    ordered = sorted(((parts.nav_order, index, parts.navigation) for index, (_l, parts) in enumerate(all_parts())
                      if parts.navigation is not None), key=lambda t: (t[0], t[1]))
    return tuple(build() for _order, _index, build in ordered)


@cache
def workbench_figures() -> tuple[Figure, ...]:
    return tuple(sorted((f for _l, parts in all_parts() for f in parts.workbench), key=lambda f: f.order))


@cache
def inbox_sections() -> tuple[Figure, ...]:
    return tuple(sorted((f for _l, parts in all_parts() for f in parts.inbox), key=lambda f: f.order))


@cache
def portal_items() -> tuple[PortalItem, ...]:
    return tuple(sorted((i for _l, parts in all_parts() for i in parts.portal), key=lambda i: i.order))


@cache
def reminder_sources() -> tuple[Any, ...]:
    """Every declared reminder source, in ``order`` then app order (a key declared twice is an error)."""
    found = [source for _l, parts in all_parts() for source in parts.reminders]
    keys = [source.key for source in found]
    duplicates = sorted({key for key in keys if keys.count(key) > 1})
    if duplicates:
        raise ValueError(f"reminder sources declared twice: {duplicates}")
    return tuple(sorted(found, key=lambda s: s.order))


@cache
def org_page_sections() -> tuple[Any, ...]:
    """The sections modules add to an organization's page, in app order."""
    return tuple(section for _l, parts in all_parts() for section in parts.org_page)


@cache
def dashboard_figures() -> tuple[Any, ...]:
    """Every declared dashboard figure, in ``order`` (then app order); a key declared twice is
    an error."""
    found = [f for _l, parts in all_parts() for f in parts.dashboard]
    keys = [f.key for f in found]
    if len(keys) != len(set(keys)):
        raise ValueError(f"dashboard figure keys declared twice: {sorted(k for k in keys if keys.count(k) > 1)}")
    return tuple(sorted(found, key=lambda f: f.order))


@cache
def unscoped_models() -> dict[str, str]:
    found: dict[str, str] = {}
    for _label, parts in all_parts():
        found.update(parts.unscoped_models)
    return found

