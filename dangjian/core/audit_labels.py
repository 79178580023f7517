"""How the audit log's codes read in the interface: event and source names."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

#: Audit event codes as the audit admin reads them (unknown codes show as they are).
EVENT_LABELS: dict[str, Any] = {
    "create": _("Created"),
    "update": _("Changed"),
    "delete": _("Deleted"),
    "move": _("Moved in the tree"),
    "reveal": _("Full ID number viewed"),
    "export": _("Exported"),
    "login": _("Logged in"),
    "logout": _("Logged out"),
    "login_failed": _("Login failed"),
    "login_refused_locked": _("Login refused (account locked)"),
    "account_locked": _("Account locked"),
    "account_unlocked": _("Account unlocked"),
    "password_change": _("Password changed"),
    "token_revoked": _("Access token revoked"),
    "backup": _("Backup made"),
    "restore": _("Backup restored"),
}

SOURCE_LABELS: dict[str, Any] = {
    "web": _("Web"),
    "api": _("Interface"),
    "command": _("Command"),
    "system": _("System"),
}


def event_label(code: str) -> Any:
    """The event's name for people (unknown codes show as they are)."""
    return EVENT_LABELS.get(code, code)
