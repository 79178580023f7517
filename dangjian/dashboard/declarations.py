"""What the dashboard declares to the core (see dangjian/core/modules.py). Its figures are the
other modules' (``ModuleParts.dashboard``); it declares only its area and menu."""

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Role
from dangjian.core.modules import Area, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Dashboard"), (
        MenuItem(_("Data dashboard"), "dashboard:index", "chart-bar", "dashboard", staff=True),
        MenuItem(_("Official reports"), "dashboard:reports", "file-text", "dashboard", action="export", staff=True),
    ))


parts = ModuleParts(
    areas=(
        # figures of members, dues, discipline ...: member data, never the administrators'
        Area("dashboard", _("Dashboard"), {
            Role.BRANCH_OFFICER: frozenset({"view", "export"}),
            Role.COMMITTEE_STAFF: frozenset({"view", "export"}),
            Role.INSPECTOR: frozenset({"view"}),
        }, member_data=True),
    ),
    audit_object_types={"dashboard.report": _("Dashboard report")},
    navigation=menu,
    nav_order=5,
)
