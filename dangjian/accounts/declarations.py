"""What the accounts app declares to the core (see dangjian/core/modules.py): the areas of
the three administrators (三员) and the shared rule tables, the login events, the system menu
and the user's roles on the workbench."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.modules import Area, Figure, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("System"), (
        MenuItem(_("Accounts"), "accounts:user_list", "user", "users"),
        MenuItem(_("Role grants"), "accounts:grant_list", "shield", "grants"),
        MenuItem(_("Locked accounts"), "accounts:locks", "lock", "security", "change"),
        MenuItem(_("Second factor policy"), "accounts:mfa_policy", "key", "security", "change"),
        MenuItem(_("WeChat Work login"), "accounts:wecom_list", "brand-wechat", "security", "change"),
        MenuItem(_("Audit log"), "core:audit_list", "file-text", "audit"),
    ))


def my_grants(user: Any) -> list[Any]:
    """The user's own active grants (an empty list still shows the card: "you see your own
    records")."""
    from dangjian.accounts.models import RoleGrant

    return list(RoleGrant.objects.filter(user=user, revoked_at__isnull=True).select_related("org"))


parts = ModuleParts(
    areas=(
        Area("config", _("rule tables"), {
            Role.BRANCH_OFFICER: frozenset({"view"}),
            Role.COMMITTEE_STAFF: frozenset({"view", "add", "change"}),
            Role.SYSTEM_ADMIN: frozenset({"view", "add", "change"}),
        }),
        Area("users", _("accounts"), {
            Role.SYSTEM_ADMIN: frozenset({"view", "add", "change"}),
            Role.SECURITY_ADMIN: frozenset({"view"}),
        }),
        Area("grants", _("role grants"), {Role.SECURITY_ADMIN: ALL}),
        Area("security", _("security policy"), {Role.SECURITY_ADMIN: frozenset({"view", "add", "change"})}),  # add: a 企业微信 login row
        Area("audit", _("audit log"), {Role.AUDIT_ADMIN: frozenset({"view", "export"})}),
    ),
    audit_events={
        "login": _("Logged in"),
        "logout": _("Logged out"),
        "login_failed": _("Login failed"),
        "wecom_refused": _("WeChat Work login refused"),
        "login_refused_locked": _("Login refused (account locked)"),
        "account_locked": _("Account locked"),
        "account_unlocked": _("Account unlocked"),
        "password_change": _("Password changed"),
        "token_revoked": _("Access token revoked"),
        "token_refreshed": _("Access token refreshed"),
        "login_throttled": _("Logins throttled (too many failures from one address)"),
        "disabled_dormant": _("Account disabled (unused for too long)"),
        "mfa_enrolled": _("Second factor set up"),
        "mfa_failed": _("Wrong second-factor code"),
        "mfa_reset": _("Second factor reset by the security administrator"),
        "step_up": _("Identity confirmed again (before a sensitive action)"),
        "step_up_failed": _("Identity confirmation failed"),
    },
    navigation=menu,
    nav_order=90,
    workbench=(Figure("my_roles", "accounts/workbench_roles.html", my_grants, place="side", order=50),),
    unscoped_models={
        "accounts.loginlock": "failed-login counters keyed by user name, read only by the login backend",
        "accounts.passwordhistory": "a user's own past password hashes, read only by the password validator",
        "accounts.apitoken": "a user's own API tokens, read only by the token authentication",
        "otp_totp.totpdevice": "a user's own authenticator app, read only by the second-factor check",
        "otp_static.staticdevice": "a user's own backup-code set, read only by the second-factor check",
        "otp_static.statictoken": "a user's own backup codes, read only by the second-factor check",
    },
)
