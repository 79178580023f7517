"""Roles and what each may do, as data (SECURITY.md AC-04: the role x action matrix).

A role is granted on an organization and reaches its subtree ("subtree"), or reaches only
the user's own member record ("self"). The three administrator roles (三员) are mutually
exclusive and see no business personal data: the system admin runs accounts, the tree and
configuration; the security admin grants roles, unlocks accounts and sets security policy;
the audit admin only reads the audit log.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    MEMBER = "member", _("Member")
    BRANCH_OFFICER = "branch_officer", _("Branch officer")
    COMMITTEE_STAFF = "committee_staff", _("Committee staff")
    INSPECTOR = "inspector", _("Inspector")
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

ALL = frozenset({"view", "add", "change", "delete", "export"})


@dataclass(frozen=True)
class RoleSpec:
    reach: str  # "subtree" or "self"
    areas: dict[str, frozenset[str]]


#: How far each role reaches: the member role only the user's own member record (and, in
#: areas without own rows, the member's branch); every other role the granted subtree.
ROLE_REACH: dict[str, str] = {
    Role.MEMBER: "self", Role.BRANCH_OFFICER: "subtree", Role.COMMITTEE_STAFF: "subtree",
    Role.INSPECTOR: "subtree", Role.SYSTEM_ADMIN: "subtree", Role.SECURITY_ADMIN: "subtree",
    Role.AUDIT_ADMIN: "subtree",
}


@cache
def role_matrix() -> dict[str, RoleSpec]:
    """The matrix, collected from the permission areas each module declares in its
    ``declarations.py`` (``Area(code, label, {role: actions}, own_rows=...)``): the orgs module
    declares orgs, members members, meetings meetings/attendance/dlm, dues dues, this app the
    administrators' areas (users, grants, security, audit) and the shared rule tables (config).
    """
    from dangjian.core.modules import areas

    declared = areas()
    return {role: RoleSpec(ROLE_REACH[role], {code: frozenset(area.roles[role]) for code, area in declared.items()
                                              if area.roles.get(role)})
            for role in Role}


class _CollectedMatrix(Mapping[str, RoleSpec]):
    """``ROLE_MATRIX[role]``: read on first use, after every app is loaded."""

    def __getitem__(self, role: str) -> RoleSpec:
        return role_matrix()[role]

    def __iter__(self) -> Iterator[str]:
        return iter(role_matrix())

    def __len__(self) -> int:
        return len(role_matrix())


class _OwnRowAreas(AbstractSet[str]):
    """Areas where the member role reaches only the rows it owns (``owner_path``), not the rows
    of the member's whole branch: the areas declared with ``own_rows=True``."""

    @staticmethod
    def _codes() -> frozenset[str]:
        from dangjian.core.modules import areas

        return frozenset(code for code, area in areas().items() if area.own_rows)

    def __contains__(self, code: object) -> bool:
        return code in self._codes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._codes())

    def __len__(self) -> int:
        return len(self._codes())


class _MemberDataAreas(_OwnRowAreas):
    """Areas that hold business personal data (declared with ``member_data=True``): no 三员 role
    reaches any of them (AC-04); every model that refers to a member sits in one of them
    (tests/security/test_admin_roles.py)."""

    @staticmethod
    def _codes() -> frozenset[str]:
        from dangjian.core.modules import areas

        codes = frozenset(code for code, area in areas().items() if area.member_data)
        for code in codes:
            admins = set(areas()[code].roles) & ADMIN_ROLES
            if any(areas()[code].roles[role] for role in admins):
                raise ImproperlyConfigured(f"area {code!r} holds member data; no administrator role may act in it")
        return codes


ROLE_MATRIX: Mapping[str, RoleSpec] = _CollectedMatrix()
OWN_ROW_AREAS: AbstractSet[str] = _OwnRowAreas()
MEMBER_DATA_AREAS: AbstractSet[str] = _MemberDataAreas()


def allows(role: str, area: str, action: str) -> bool:
    spec = ROLE_MATRIX.get(role)
    return bool(spec and action in spec.areas.get(area, frozenset()))
