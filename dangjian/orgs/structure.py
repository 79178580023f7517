"""Structural rules of the tree: one installation root, and which kind may sit under which.

The installation has exactly one root organization (the bureau's or department's committee),
created once at setup by ``manage.py create_root_org``; its path is configured as
``settings.DANGJIAN["ROOT_ORG_PATH"]``. A role granted on that root reaches everything; a role
granted anywhere else reaches exactly its subtree, whatever its depth (SECURITY.md AC-02).

Below the root the kinds nest as the Party Constitution sets them up: a 党总支 under a 党委, a
党支部 under a 党委 or a 党总支, a 党小组 only under a 党支部, and nothing under a 党小组.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

from dangjian.orgs.choices import OrgKind

#: For each kind, the kinds its parent may have.
ALLOWED_PARENT_KINDS: dict[str, frozenset[str]] = {
    OrgKind.COMMITTEE: frozenset({OrgKind.COMMITTEE}),
    OrgKind.GENERAL_BRANCH: frozenset({OrgKind.COMMITTEE}),
    OrgKind.BRANCH: frozenset({OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH}),
    OrgKind.GROUP: frozenset({OrgKind.BRANCH}),
}


def root_path() -> str:
    """The configured path of the installation's one root organization."""
    return str(getattr(settings, "DANGJIAN", {}).get("ROOT_ORG_PATH", "0001"))


def is_installation_root(path: str, depth: int) -> bool:
    return depth == 1 and path == root_path()


def placement_problem(kind: str, parent: Any) -> str | None:
    """Why an organization of ``kind`` may not sit under ``parent`` (None: it may).

    ``parent`` is None for a top-level organization, which screens, the API and imports never
    create: the installation's root exists once, from setup.
    """
    if parent is None:
        return gettext("Every organization must have a parent organization: only the installation's root "
                 "organization is top-level, and it is created at setup.")
    parent_kind = str(parent.kind)
    if parent_kind == OrgKind.GROUP:
        return gettext("A party group cannot have organizations below it.")
    allowed = ALLOWED_PARENT_KINDS.get(str(kind))
    if allowed is None or parent_kind in allowed:
        return None
    if kind == OrgKind.GROUP:
        return gettext("A party group can only be set up under a branch.")
    if kind == OrgKind.BRANCH:
        return gettext("A branch can only be set up under a party committee or a general branch.")
    if kind == OrgKind.GENERAL_BRANCH:
        return gettext("A general branch can only be set up under a party committee.")
    return gettext("A party committee can only be set up under a party committee.")


def check_placement(kind: str, parent: Any, *, field: str = "parent") -> None:
    """Raise a ValidationError on ``field`` when ``kind`` may not sit under ``parent``."""
    problem = placement_problem(kind, parent)
    if problem:
        raise ValidationError({field: problem})


def subtree_kind_problem(node: Any, target: Any) -> str | None:
    """Why ``node`` (with its subtree) may not move under ``target``."""
    if target.path.startswith(node.path):
        return gettext("An organization cannot be moved below itself or its own sub-organizations.")
    return placement_problem(node.kind, target)
