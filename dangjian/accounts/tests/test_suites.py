"""Generated screen suites of the account models (see dangjian.core.testing.suites)."""

from __future__ import annotations

import itertools
from typing import Any

from dangjian.accounts.models import RoleGrant, User, WorkWeChatLogin
from dangjian.accounts.views import GrantViews, UserViews
from dangjian.accounts.wecom import WorkWeChatViews
from dangjian.core.testing.personas import Personas
from dangjian.core.testing.suites import ModelSuite

_n = itertools.count(1)

SUITE_EXEMPTIONS = {
    "accounts.securitypolicy": "Single settings row without ModelViews; edited on the security screens (own tests).",
    "accounts.loginlock": "Internal lockout counter, no screens and no organization; covered by the login tests.",
    "accounts.passwordhistory": "Internal password-history hashes, never shown; covered by the password tests.",
    "accounts.apitoken": "API credential (only its hash is stored), no screens and no organization; covered by tests/api.",
}


def _new_user() -> User:
    user = User(username=f"grantee{next(_n)}")
    user.set_unusable_password()
    user.save()
    return user


class TestRoleGrantSuite(ModelSuite):
    views = GrantViews
    extra_users = {"secadmin_c1": ("security_admin", "c1"), "secadmin_c2": ("security_admin", "c2")}
    allowed = "secadmin_c1"
    outsider = "secadmin_c2"

    @classmethod
    def make_row(cls, p: Personas) -> RoleGrant:
        grant = RoleGrant(user=_new_user(), role="inspector", org=p.b1)
        grant.save()
        return grant

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"user": _new_user().pk, "role": "branch_officer", "org": p.b1.pk}

    @classmethod
    def foreign_add_data(cls, p: Personas) -> dict[str, Any]:
        return {**cls.add_data(p), "org": p.b3.pk}


class TestUserSuite(ModelSuite):
    """Accounts are a global table (no organization): the outsider is anyone without the users area."""

    views = UserViews
    allowed = "sysadmin"
    outsider = "officer_b1"
    edit = {"display_name": "改过的显示名"}

    @classmethod
    def make_row(cls, p: Personas) -> User:
        return _new_user()

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        return {"username": f"newuser{next(_n)}", "display_name": "新用户", "is_active": "on"}


class TestWorkWeChatLoginSuite(ModelSuite):
    """The 企业微信 login rows: a global table of the security area (the outsider has no role there)."""

    views = WorkWeChatViews
    allowed = "secadmin"
    outsider = "officer_b1"
    edit = {"name": "改名的企业微信登录"}

    @classmethod
    def make_row(cls, p: Personas) -> WorkWeChatLogin:
        n = next(_n)
        row = WorkWeChatLogin(name=f"企业微信{n}", corp_id=f"ww{n:08d}", agent_id=f"{1000000 + n}", secret_ref=f"wecom{n}")
        row.save()
        return row

    @classmethod
    def add_data(cls, p: Personas) -> dict[str, Any]:
        n = next(_n)
        return {"name": f"新企业微信{n}", "corp_id": f"ww{n:08d}", "agent_id": f"{2000000 + n}", "secret_ref": f"wecom{n}",
                "match_field": "police_number", "authorize_url": "https://open.weixin.qq.com/connect/oauth2/authorize",
                "api_base": "https://qyapi.weixin.qq.com"}
