"""What the meetings module declares to the core (see dangjian/core/modules.py)."""

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.modules import Area, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:
    return MenuGroup(_("Organizational life"), (
        MenuItem(_("Meetings"), "meetings:meeting_list", "users", "meetings"),
        MenuItem(_("Meeting calendar"), "meetings:calendar", "calendar", "meetings"),
        MenuItem(_("Compliance"), "meetings:compliance", "checklist", "meetings", "add"),
        MenuItem(_("My reminders"), "meetings:inbox", "bell", "meetings"),
        MenuItem(_("Opinion solicitations"), "meetings:solicitation_list", "message", "meetings"),
        MenuItem(_("Rectification items"), "meetings:rectification_list", "tool", "dlm"),
        MenuItem(_("Meeting requirements"), "meetings:requirement_list", "settings", "config"),
    ))


_READ = frozenset({"view"})

parts = ModuleParts(
    areas=(
        # meetings and solicitations
        Area("meetings", _("meetings"), {Role.MEMBER: _READ, Role.BRANCH_OFFICER: ALL,
                                         Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: _READ}),
        # attendance rows: a member sees only their own
        Area("attendance", _("attendance"), {Role.MEMBER: _READ, Role.BRANCH_OFFICER: ALL,
                                             Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: _READ}, own_rows=True),
        # opinions, talks, criticism and rectification of democratic life meetings
        Area("dlm", _("democratic life meetings"), {Role.BRANCH_OFFICER: ALL, Role.COMMITTEE_STAFF: ALL,
                                                    Role.INSPECTOR: _READ}),
    ),
    navigation=menu,
    nav_order=40,
    portal=(PortalItem(_("My reminders"), "meetings:inbox", "bell", "meetings", order=40),),
)
