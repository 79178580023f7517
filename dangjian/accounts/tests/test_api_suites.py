"""Generated API suite of the role-grant viewset (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

import itertools
from typing import Any

from dangjian.accounts.api.views import RoleGrantViewSet
from dangjian.accounts.models import RoleGrant, User
from dangjian.core.testing.api_suites import ViewSetSuite, row_values
from dangjian.core.testing.personas import Personas

_n = itertools.count(1)


def _new_user() -> User:
    user = User(username=f"api-grantee{next(_n)}")
    user.set_unusable_password()
    user.save()
    return user


class TestRoleGrantAPISuite(ViewSetSuite):
    """A DELETE revokes the grant: the row stays, with its revocation time (history)."""

    viewset = RoleGrantViewSet
    extra_users = {"secadmin_c1": ("security_admin", "c1"), "secadmin_c2": ("security_admin", "c2")}
    allowed = "secadmin_c1"
    outsider = "secadmin_c2"
    destroy_event = "update"

    @classmethod
    def make_row(cls, p: Personas) -> RoleGrant:
        grant = RoleGrant(user=_new_user(), role="inspector", org=p.b1)
        grant.save()
        return grant

    @classmethod
    def create_data(cls, p: Personas) -> dict[str, Any]:
        return {"user": _new_user().pk, "role": "branch_officer", "org": p.b1.pk}

    @classmethod
    def foreign_create_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.create_data(p), "org": p.b3.pk}

    def assert_destroyed(self, pk: Any) -> None:
        values = row_values(RoleGrant, pk)
        assert values is not None and values["revoked_at"] is not None, values
