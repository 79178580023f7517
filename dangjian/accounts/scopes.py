"""The scope resolver plugged into the core (settings.DANGJIAN["SCOPE_RESOLVER"])."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.roles import OWN_ROW_AREAS, ROLE_MATRIX, Role
from dangjian.core.scoping import NO_SCOPE, Scope, collapse_paths
from dangjian.orgs.structure import is_installation_root


def active_grants(user: Any) -> list[tuple[str, str, int]]:
    """(role, org path, org depth) of the user's grants, loaded once per request."""
    cached = user.__dict__.get("_grants_cache")
    if cached is None:
        from dangjian.accounts.models import RoleGrant

        cached = list(
            RoleGrant.objects.filter(user=user, revoked_at__isnull=True).values_list("role", "org__path", "org__depth")
        )
        if user.member_id and not any(role == Role.MEMBER for role, _, _ in cached):
            cached.append((Role.MEMBER.value, "", 0))  # every member reaches their own records
        user.__dict__["_grants_cache"] = cached
    return cached


def _member_org_path(user: Any) -> str:
    cached = user.__dict__.get("_member_org_path")
    if cached is None:
        from dangjian.members.models import Member

        cached = Member.objects.filter(pk=user.member_id).values_list("org__path", flat=True).first() or ""
        user.__dict__["_member_org_path"] = cached
    return cached


def resolve_scope(user: Any, area: str, action: str) -> Scope:
    """Union of what the user's grants allow for (area, action).

    A grant covers exactly the subtree of its organization, whatever its depth. Only a grant on
    the installation's configured root means "everything" (the filter is skipped); a grant on
    any other top-level organization, should one exist, still covers just its own subtree.
    """
    paths: list[str] = []
    member_ids: list[int] = []
    officer = False  # reached through a grant on organizations, not only as a member
    for role, path, depth in active_grants(user):
        spec = ROLE_MATRIX.get(role)
        if spec is None or action not in spec.areas.get(area, frozenset()):
            continue
        if spec.reach == "self":
            if not user.member_id:
                continue
            if area in OWN_ROW_AREAS:
                member_ids.append(user.member_id)
            else:
                org_path = _member_org_path(user)
                if org_path:
                    paths.append(org_path)
        elif path and is_installation_root(path, depth):
            return Scope(everything=True)
        elif path:
            paths.append(path)
            officer = True
    if not paths and not member_ids:
        return NO_SCOPE
    return Scope(org_paths=collapse_paths(paths), member_ids=tuple(member_ids), extra={"own_only": not officer})
