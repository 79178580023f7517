"""Role-grant import: one row per (user, role, organization), for the security administrator.

Administrator roles (三员) are never granted by import: each is granted on its own screen.
Rows are checked with ``RoleGrant.clean()`` (no self-grant, administrator roles exclusive)
and written through ``services.grant_role``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.accounts import services
from dangjian.accounts.models import RoleGrant, User
from dangjian.accounts.roles import ADMIN_ROLES, Role
from dangjian.core.imports import CodeOrNameLookup, Importer, ImportField, Row
from dangjian.core.scoping import ensure_in_scope, orgs_where
from dangjian.orgs.imports import lookup_problem

IMPORTABLE_ROLES = tuple((value, label) for value, label in Role.choices if value not in ADMIN_ROLES)


class RoleGrantImporter(Importer):
    """角色授权导入: grants of the non-administrator roles on organizations in the user's scope."""

    kind = "role-grants"
    model = RoleGrant
    namespace = "accounts"
    name = "grant"
    list_url_name = "accounts:grant_list"
    sheet_name = "角色授权"
    fields = (
        ImportField("username", "用户名", required=True, kind="code", max_length=150, example="zhangsan", width=16,
                    help=_("The login name of an existing account.")),
        ImportField("role", "角色", required=True, kind="choice", choices=IMPORTABLE_ROLES, example="支部党务人员", width=16),
        ImportField("org", "组织", required=True, kind="name", max_length=100, example="刑侦一大队党支部", width=30,
                    help=_("The organization code or exact name; the role covers its whole subtree.")),
    )
    notes = (_("Administrator roles (system, security and audit administrators) are granted one by one, not by "
                "import."),)

    def prepare(self, rows: list[Row]) -> None:
        names = sorted({r.values["username"] for r in rows if r.values.get("username")})
        self.users: dict[str, User] = {}
        for start in range(0, len(names), 500):
            for user in User.objects.visible_to(self.user, "view").filter(username__in=names[start:start + 500]):
                self.users[user.username] = user
        self.orgs = CodeOrNameLookup(orgs_where(self.user, RoleGrant.scope_area, "add"),
                                     (r.values.get("org") or "" for r in rows))
        self.existing = set(RoleGrant.objects.filter(  # every active grant of these users, in scope or not
            user__in=list(self.users.values()), revoked_at__isnull=True).values_list("user_id", "role", "org_id"))
        self.seen: dict[Any, int] = {}

    def check_row(self, row: Row) -> None:
        v = row.values
        user = org = None
        if v["username"]:
            user = self.users.get(v["username"])
            if user is None:
                self.problem(row, "username", gettext("There is no account “%(value)s”.") % {"value": v["username"][:60]})
        if v["org"]:
            org, why = self.orgs.find(v["org"])
            if org is None:
                self.problem(row, "org", lookup_problem(v["org"], why))
        if user is None or org is None or not v["role"]:
            return
        key = (user.pk, v["role"], org.pk)
        if not self.unique_in_file(row, "role", key, self.seen, gettext("Same grant as row %(row)d of this file.")):
            return
        if key in self.existing:
            self.problem(row, "role", gettext("This user already holds this role on this organization."))
            return
        grant = RoleGrant(user=user, role=v["role"], org=org, granted_by=self.user if getattr(self.user, "pk", None) else None)
        try:
            grant.clean()
        except ValidationError as exc:
            self.model_errors(row, exc, {"user": "username"})
        if row.ok:
            row.instance = grant

    def write_row(self, row: Row) -> Any:
        grant = row.instance
        saved = services.grant_role(actor=self.user, user=grant.user, role=grant.role, org=grant.org)
        ensure_in_scope(self.user, saved, "add")
        return saved
