"""What member development declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, DemoStep, Figure, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.reminders import ReminderSource, lazy


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Member development"), (
        MenuItem(_("Development cases"), "development:case_list", "user-plus", "development"),
        MenuItem(_("Pipeline board"), "development:board", "layout-kanban", "development"),
        MenuItem(_("Development rules"), "development:rules_list", "settings", "config"),
        MenuItem(_("Holiday calendar"), "development:calendarday_list", "calendar", "config"),
    ))


def _inbox_due(user: Any) -> Any:
    from dangjian.development.board import inbox_due

    return inbox_due(user)


def _demo(ctx: Any) -> Any:
    from dangjian.development.demo import build

    return build(ctx)


_BRANCH = frozenset({"view", "add", "change", "export"})


def _portal_mine(viewer: Any, member: Any) -> Any:  # imports the module's portal read on first use
    from dangjian.development.portal import mine

    return mine(viewer, member)


parts = ModuleParts(
    portal=(PortalItem(_("My development file"), "", "route", "development", order=50,
                       card="development/portal/mine.html", data=_portal_mine, key="development-mine"),),
    dashboard=(
        DashboardFigure("development_pipeline", _("Development pipeline"), "development",
                        lazy_figure("dangjian.development.figures.pipeline"), chart="bar", order=50,
                        depends=("development.case",)),
    ),
    areas=(
        # applicants' and candidates' files: the branch and the committees above, never members
        Area("development", _("member development"), {
            Role.BRANCH_OFFICER: _BRANCH,
            Role.COMMITTEE_STAFF: _BRANCH | {"delete"},
            Role.INSPECTOR: frozenset({"view"}),
            # a probationary member sees their own file and its steps (the member portal)
            Role.MEMBER: frozenset({"view"}),
        }, own_rows=True, member_data=True),
    ),
    navigation=menu,
    nav_order=25,
    inbox=(Figure("development_due", "development/inbox_due.html", _inbox_due, place="right", order=30),),
    demo=DemoStep(_demo, order=30),
    reminders=(ReminderSource("probation_ending", _("Probation ending"), lazy("dangjian.development.reminders.probation_ending"),
                              scopes=(("development", "change"),), order=50),
               ReminderSource("development_clocks", _("Member development deadlines"),
                              lazy("dangjian.development.reminders.development_clocks"),
                              scopes=(("development", "change"),), order=51)),
)
