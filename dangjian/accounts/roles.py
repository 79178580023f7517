"""Roles and what each may do, as data (SECURITY.md AC-04: the role x action matrix).

A role is granted on an organization and reaches its subtree ("subtree"), or reaches only
the user's own member record ("self"). The three administrator roles (三员) are mutually
exclusive and see no business personal data: the system admin runs accounts, the tree and
configuration; the security admin grants roles, unlocks accounts and sets security policy;
the audit admin only reads the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass

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


#: The matrix. Areas: members, orgs (tree, terms, posts), config (rule tables), users
#: (accounts), grants (role grants), security (policy, unlock), audit (the audit log),
#: meetings (meetings, solicitations), attendance (attendance rows: a member sees only their
#: own), dlm (opinions, talks, criticism, rectification of democratic life meetings), dues (party
#: dues: a member sees only their own bills and payments).
ROLE_MATRIX: dict[str, RoleSpec] = {
    Role.MEMBER: RoleSpec("self", {"members": frozenset({"view"}), "orgs": frozenset({"view"}),
                                   "meetings": frozenset({"view"}), "attendance": frozenset({"view"}),
                                   "dues": frozenset({"view"})}),
    Role.BRANCH_OFFICER: RoleSpec(
        "subtree",
        {"members": ALL, "orgs": frozenset({"view", "change", "export"}), "config": frozenset({"view"}),
         "meetings": ALL, "attendance": ALL, "dlm": ALL, "dues": ALL},
    ),
    Role.COMMITTEE_STAFF: RoleSpec(
        "subtree",
        {"members": ALL | {"reveal"}, "orgs": ALL, "config": frozenset({"view", "add", "change"}),
         "meetings": ALL, "attendance": ALL, "dlm": ALL, "dues": ALL},
    ),
    Role.INSPECTOR: RoleSpec("subtree", {"members": frozenset({"view"}), "orgs": frozenset({"view"}),
                                         "meetings": frozenset({"view"}), "attendance": frozenset({"view"}),
                                         "dlm": frozenset({"view"}), "dues": frozenset({"view"})}),
    Role.SYSTEM_ADMIN: RoleSpec(
        "subtree",
        {"orgs": ALL, "users": frozenset({"view", "add", "change"}), "config": frozenset({"view", "add", "change"})},
    ),
    Role.SECURITY_ADMIN: RoleSpec(
        "subtree",
        {"grants": ALL, "users": frozenset({"view"}), "security": frozenset({"view", "change"}),
         "orgs": frozenset({"view"})},
    ),
    Role.AUDIT_ADMIN: RoleSpec("subtree", {"audit": frozenset({"view", "export"})}),
}


#: Areas where the member role reaches only the rows it owns (``owner_path``), not the rows
#: of the member's whole branch.
OWN_ROW_AREAS = frozenset({"members", "attendance", "dues"})


def allows(role: str, area: str, action: str) -> bool:
    spec = ROLE_MATRIX.get(role)
    return bool(spec and action in spec.areas.get(area, frozenset()))
