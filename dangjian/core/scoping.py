"""The one scoping mechanism: which rows a user may see or change.

A role is granted on an organization and covers its subtree. Each scoped model declares
``scope_path`` — the ORM path from a row to its organization ("" for the organization itself,
``None`` for global lookup tables) — optionally ``owner_path`` — the path to the member a row
belongs to, for self access — and ``scope_area``, the permission area its actions belong to.

Everything a user reaches goes through :meth:`ScopedQuerySetMixin.visible_to`, or the helpers
below built on it. Deny by default: an anonymous user, an unknown area or an action without a
grant yields an empty queryset.

Which organizations a user's roles cover for an (area, action) is decided outside the core by
``settings.DANGJIAN["SCOPE_RESOLVER"]`` (the accounts app): the core never imports a domain app.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from dangjian.core.models import ScopedModel

ACTIONS = ("view", "add", "change", "delete", "export", "reveal")


@dataclass(frozen=True)
class Scope:
    """What a user may reach for one (area, action): organization subtrees and own rows."""

    org_paths: tuple[str, ...] = ()
    member_ids: tuple[int, ...] = ()
    everything: bool = False
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_empty(self) -> bool:
        return not (self.everything or self.org_paths or self.member_ids)

    @property
    def is_officer(self) -> bool:
        """Reached through a grant on organizations (an officer's, staff's or inspector's), not
        only as a member reaching their own records and their branch (``extra["own_only"]``,
        set by the resolver)."""
        return not self.is_empty and not self.extra.get("own_only", False)


NO_SCOPE = Scope()


class ScopeResolver(Protocol):
    def __call__(self, user: Any, area: str, action: str) -> Scope: ...


@lru_cache(maxsize=1)
def _resolver() -> ScopeResolver:
    dotted = str(settings.DANGJIAN["SCOPE_RESOLVER"])
    return import_string(dotted)  # type: ignore[no-any-return]


def scope_for(user: Any, area: str, action: str) -> Scope:
    """The scope of ``user`` for ``action`` in ``area`` (cached on the user object per request)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return NO_SCOPE
    cache: dict[tuple[str, str], Scope] = user.__dict__.setdefault("_scope_cache", {})
    key = (area, action)
    if key not in cache:
        cache[key] = _resolver()(user, area, action)
    return cache[key]


def collapse_paths(paths: Iterable[str]) -> tuple[str, ...]:
    """Drop every path already covered by a shorter prefix in the set."""
    result: list[str] = []
    for path in sorted(set(paths)):
        if not result or not path.startswith(result[-1]):
            result.append(path)
    return tuple(result)


def scope_q(model: type[models.Model], scope: Scope) -> Q | None:
    """The filter for ``scope`` on ``model``; ``None`` means no restriction (everything)."""
    if scope.everything:
        return None
    scope_path: str | None = getattr(model, "scope_path", None)
    owner_path: str | None = getattr(model, "owner_path", None)
    q = Q(pk__in=[])
    if scope_path is None:
        # Global lookup table: any grant for the action opens all of it.
        return None if scope.org_paths else q
    path_field = getattr(model, "scope_path_field", None) or (f"{scope_path}__path" if scope_path else "path")
    for prefix in collapse_paths(scope.org_paths):
        q |= Q(**{f"{path_field}__startswith": prefix})
    if owner_path and scope.member_ids:
        q |= Q(**{f"{owner_path}__in": list(scope.member_ids)})
    return q


class ScopedQuerySetMixin:
    """Adds ``visible_to`` to a queryset class."""

    model: type[models.Model]

    def visible_to(self, user: Any, action: str = "view") -> Any:
        """Rows of this queryset that ``user`` may reach for ``action`` (deny by default)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        area = getattr(self.model, "scope_area", None)
        if area is None:
            raise TypeError(f"{self.model.__name__} declares no scope_area")
        scope = scope_for(user, area, action)
        if scope.is_empty:
            return self.none()  # type: ignore[attr-defined]
        q = scope_q(self.model, scope)
        return self if q is None else self.filter(q)  # type: ignore[attr-defined]


class ScopedQuerySet(ScopedQuerySetMixin, models.QuerySet):  # type: ignore[type-arg]
    """The default queryset of every scoped model."""


M = TypeVar("M", bound=models.Model)


def get_scoped_or_404(user: Any, queryset: Any, action: str = "view", **lookup: Any) -> Any:
    """Fetch one row the user may reach for ``action``; 404 otherwise (existence is not leaked)."""
    if isinstance(queryset, type):
        queryset = queryset._default_manager.all()  # type: ignore[attr-defined]
    try:
        return queryset.visible_to(user, action).get(**lookup)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc


class OutOfScope(Http404):
    """A write would touch or produce a row outside the actor's scope."""


def ensure_in_scope(user: Any, instance: ScopedModel | models.Model, action: str) -> None:
    """Re-read ``instance`` through the scoped queryset; raise ``OutOfScope`` if it fell out.

    Called inside the write's transaction after saving, so a write that moves a row out of
    the actor's scope (or creates one outside it) is rolled back.
    """
    model: Any = type(instance)
    if not model._default_manager.filter(pk=instance.pk).visible_to(user, action).exists():  # type: ignore[attr-defined]
        raise OutOfScope


def org_path_of(instance: models.Model) -> str:
    """The organization path a row belongs to (for audit entries), or '' for global rows."""
    scope_path = getattr(type(instance), "scope_path", None)
    if scope_path is None:
        return ""
    obj: Any = instance
    if scope_path:
        for part in scope_path.split("__"):
            obj = getattr(obj, part, None)
            if obj is None:
                return ""
    return getattr(obj, getattr(type(instance), "scope_path_field", None) or "path", "") or ""


# --- Helpers for custom code: "where may this user do X in area Y" ----------------------------
#
# Pickers, reports and services often ask about organizations in another permission area than
# the rows' own (a branch officer picks members for a dues payment without managing members,
# adds meetings without managing the tree). These are the one implementation of those questions.


def _organizations() -> Any:
    from django.apps import apps

    return apps.get_model("orgs", "Organization")._default_manager.all()  # scope-ok: narrowed by the caller


def covers(user: Any, area: str, action: str, org: Any) -> bool:
    """Whether the user's scope for ``action`` in ``area`` reaches ``org`` (an organization or
    its path): a grant covers the subtree of the organization it is granted on."""
    path = org if isinstance(org, str) else org.path
    scope = scope_for(user, area, action)
    return scope.everything or any(path.startswith(prefix) for prefix in scope.org_paths)


def scope_paths(user: Any, area: str, action: str) -> list[str] | None:
    """The organization subtrees (path prefixes) of the user's scope for (area, action):
    ``None`` means every organization, ``[]`` none. For aggregate SQL over the path index."""
    scope = scope_for(user, area, action)
    return None if scope.everything else list(collapse_paths(scope.org_paths))


def within_scope(queryset: Any, user: Any, area: str, action: str, *, path: str = "org") -> Any:
    """Rows of ``queryset`` whose organization (ORM ``path`` to it; ``""`` for organizations
    themselves) lies in the user's scope for ``action`` in ``area`` — deny by default.

    This narrows by the scope of an area other than the rows' own; read the rows themselves
    through ``visible_to`` first (``Member.objects.visible_to(user)`` then ``within_scope(...,
    "dues", "add")``) so both permissions hold.
    """
    paths = scope_paths(user, area, action)
    if paths is None:
        return queryset
    field = f"{path}__path" if path else "path"
    q = Q(pk__in=[])
    for prefix in paths:
        q |= Q(**{f"{field}__startswith": prefix})
    return queryset.filter(q)


def orgs_where(user: Any, area: str, action: str, queryset: Any = None) -> Any:
    """The organizations where ``user`` may do ``action`` in ``area`` (of ``queryset``, default
    all): the choices of an organization picker, the parents an import may add under."""
    return within_scope(_organizations() if queryset is None else queryset, user, area, action, path="")


def chosen_subtree(user: Any, area: str, org_id: int | None, action: str = "view") -> tuple[list[str] | None, Any]:
    """What a report over ``area`` covers: the chosen organization's subtree (404 unless the
    user's scope reaches it), else the user's whole scope (``None``: everything). Returns
    (path prefixes, chosen organization or ``None``); 404 for a user with no scope in ``area``.
    The chosen organization must also be visible to the user in the organization tree."""
    paths = scope_paths(user, area, action)
    if paths == []:
        raise Http404
    if org_id:
        org = get_scoped_or_404(user, orgs_where(user, area, action), "view", pk=org_id)
        return [org.path], org
    return paths, None
