from django.utils.translation import gettext_lazy as _

from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:
    return MenuGroup(_("System"), (
        MenuItem(_("Accounts"), "accounts:user_list", "user", "users"),
        MenuItem(_("Role grants"), "accounts:grant_list", "shield", "grants"),
        MenuItem(_("Locked accounts"), "accounts:locks", "lock", "security", "change"),
        MenuItem(_("Audit log"), "core:audit_list", "file-text", "audit"),
    ))
