"""What the meetings module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, DemoStep, Figure, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.reminders import ReminderSource, lazy


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Organizational life"), (
        MenuItem(_("Meetings"), "meetings:meeting_list", "users", "meetings"),
        MenuItem(_("Meeting calendar"), "meetings:calendar", "calendar", "meetings"),
        MenuItem(_("Compliance"), "meetings:compliance", "checklist", "meetings", "add"),
        MenuItem(_("Opinion solicitations"), "meetings:solicitation_list", "message", "meetings"),
        MenuItem(_("Rectification items"), "meetings:rectification_list", "tool", "dlm"),
        MenuItem(_("Meeting requirements"), "meetings:requirement_list", "settings", "config"),
    ))


def _inbox_mine(user: Any) -> Any:
    from dangjian.meetings.inbox import mine

    return mine(user)


def _inbox_to_act(user: Any) -> Any:
    from dangjian.meetings.inbox import to_act

    return to_act(user)


def _paused() -> Any:
    """The stored obligations wait while the demo bureau is built: the step rebuilds them."""
    from dangjian.meetings import stored

    return stored.paused()


def _demo(ctx: Any) -> Any:
    from dangjian.meetings.demo import build

    return build(ctx)


_READ = frozenset({"view"})


def _portal(name: str) -> Any:
    def data(viewer: Any, member: Any) -> Any:  # imports the module's portal reads on first use
        from dangjian.meetings import portal

        return getattr(portal, name)(viewer, member)
    return data

parts = ModuleParts(
    dashboard=(
        DashboardFigure("meetings_compliance", _("Meeting compliance by kind"), "meetings",
                        lazy_figure("dangjian.meetings.figures.compliance"), chart="stack", order=20,
                        depends=("meetings.meeting", "meetings.attendance", "meetings.meetingrequirement")),
        DashboardFigure("meetings_compliance_units", _("Meeting compliance by unit"), "meetings",
                        lazy_figure("dangjian.meetings.figures.compliance_by_unit"), chart="bar", order=21,
                        depends=("meetings.meeting", "meetings.attendance", "meetings.meetingrequirement")),
    ),
    audit_object_types={"meetings.compliance": _("Organizational life compliance")},
    areas=(
        # meetings and solicitations
        Area("meetings", _("meetings"), {Role.MEMBER: _READ, Role.BRANCH_OFFICER: ALL,
                                         Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: _READ}, member_data=True),
        # attendance rows: a member sees only their own
        Area("attendance", _("attendance"), {Role.MEMBER: _READ, Role.BRANCH_OFFICER: ALL,
                                             Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: _READ}, own_rows=True,
             member_data=True),
        # opinions, talks, criticism and rectification of democratic life meetings
        Area("dlm", _("democratic life meetings"), {Role.BRANCH_OFFICER: ALL, Role.COMMITTEE_STAFF: ALL,
                                                    Role.INSPECTOR: _READ}, member_data=True),
    ),
    navigation=menu,
    nav_order=40,
    # the member portal: today's meetings with check-in on the home tab; what is to come (with
    # leave requests), the attendance record and open solicitations under 组织生活
    portal=(
        PortalItem(_("My meetings today"), "", "calendar", "attendance", order=5, tab="home",
                   card="meetings/portal/today.html", data=_portal("today"), key="meetings-today"),
        PortalItem(_("My upcoming meetings"), "", "calendar", "attendance", order=10,
                   tab="life", card="meetings/portal/upcoming.html", data=_portal("upcoming"),
                   key="meetings-upcoming"),
        PortalItem(_("Opinion solicitations open to me"), "", "message", "meetings",
                   order=12, tab="life", card="meetings/portal/solicitations.html", data=_portal("solicitations"),
                   key="meetings-solicitations"),
        PortalItem(_("My attendance record"), "", "checklist", "attendance", order=15,
                   tab="life", card="meetings/portal/history.html", data=_portal("history"),
                   key="meetings-history"),
    ),
    inbox=(Figure("meetings_mine", "meetings/inbox/mine.html", _inbox_mine, place="left", order=40),
           Figure("meetings_to_act", "meetings/inbox/to_act.html", _inbox_to_act, place="right", order=40)),
    # a year of organizational life; after dues (order 20), whose step is the heavier one
    demo=DemoStep(_demo, order=30, bureau=_paused),
    reminders=(ReminderSource("meetings_due", _("Meetings due"), lazy("dangjian.meetings.reminders.meetings_due"),
                              scopes=(("meetings", "add"),), order=40),
               ReminderSource("solicitations_open", _("Opinion solicitations open"),
                              lazy("dangjian.meetings.reminders.solicitations_open"), scopes=(("meetings", "view"),),
                              order=45)),
)
