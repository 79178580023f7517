"""Generated API suite of the role-grant viewset (see dangjian.core.testing.api_suites)."""

from __future__ import annotations

from typing import Any

from dangjian.accounts.api.views import RoleGrantViewSet
from dangjian.accounts.models import RoleGrant
from dangjian.accounts.tests import test_suites as screens
from dangjian.core.testing.api_suites import ViewSetSuite, row_values


class TestRoleGrantAPISuite(ViewSetSuite):
    """A DELETE revokes the grant: the row stays, with its revocation time (history)."""

    viewset = RoleGrantViewSet
    extra_users = {"secadmin_c1": ("security_admin", "c1"), "secadmin_c2": ("security_admin", "c2")}
    allowed = "secadmin_c1"
    outsider = "secadmin_c2"
    destroy_event = "update"

    # the rows and bodies of the screen suite: one builder per model for both suites
    make_row = screens.TestRoleGrantSuite.make_row
    create_data = screens.TestRoleGrantSuite.add_data
    foreign_create_data = screens.TestRoleGrantSuite.foreign_add_data

    def assert_destroyed(self, pk: Any) -> None:
        values = row_values(RoleGrant, pk)
        assert values is not None and values["revoked_at"] is not None, values
