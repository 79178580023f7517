"""What the supervision module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.roles import ALL, Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, DemoStep, Figure, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.reminders import ReminderSource, lazy


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Supervision"), (
        MenuItem(_("Quarterly filings"), "supervision:filing_list", "file-check", "filings"),
        MenuItem(_("Filing completion"), "supervision:filing_matrix", "checklist", "filings", "change"),
        MenuItem(_("Common mistakes"), "supervision:mistake_list", "book", "mistakes"),
        MenuItem(_("Inspection plans"), "supervision:plan_list", "calendar", "inspection_plans"),
        MenuItem(_("Inspections"), "supervision:inspection_list", "search", "inspection"),
        MenuItem(_("Rectification ledger"), "supervision:rectification_list", "tool", "inspection"),
        MenuItem(_("Clues"), "supervision:clue_list", "lock", "clues"),
        MenuItem(_("Coverage rules"), "supervision:coverage_rule_list", "settings", "config"),
        MenuItem(_("Filing requirements"), "supervision:requirement_list", "settings", "config"),
    ))


def _inbox_filings(user: Any) -> Any:
    from dangjian.supervision.inbox import filings

    return filings(user)


def _inbox_rectification(user: Any) -> Any:
    from dangjian.supervision.inbox import rectification

    return rectification(user)


def _demo(ctx: Any) -> None:
    from dangjian.supervision.demo import build

    build(ctx)


_READ = frozenset({"view"})
_WORK = frozenset({"view", "add", "change", "export"})

parts = ModuleParts(
    dashboard=(
        DashboardFigure("supervision_inspections", _("Inspection coverage"), "inspection",
                        lazy_figure("dangjian.supervision.figures.inspections"), chart="bar", order=70,
                        depends=("supervision.inspection",)),
        DashboardFigure("supervision_rectification", _("Rectification progress"), "inspection",
                        lazy_figure("dangjian.supervision.figures.rectification"), chart="pie", order=71,
                        depends=("supervision.inspectionrectification",)),
        DashboardFigure("supervision_filings", _("Filings this year"), "filings",
                        lazy_figure("dangjian.supervision.figures.filings"), chart="bar", order=72,
                        depends=("supervision.filing",)),
    ),
    areas=(
        # quarterly filings: a branch files, the level above reviews
        Area("filings", _("quarterly filings"), {Role.BRANCH_OFFICER: ALL, Role.COMMITTEE_STAFF: ALL,
                                                 Role.INSPECTOR: _READ}),
        # the catalog of common mistakes: every member may read and search it
        Area("mistakes", _("common mistakes"), {Role.MEMBER: _READ, Role.BRANCH_OFFICER: _READ,
                                                Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: _READ}),
        # plans, rounds and the coverage matrix: the inspecting committee only
        Area("inspection_plans", _("inspection plans"), {Role.COMMITTEE_STAFF: ALL}),
        # inspections, findings, notes, rectification, accountability (narrowed further:
        # supervision/models/visibility.py); the inspector works only on their teams' targets
        Area("inspection", _("political inspection"), {Role.BRANCH_OFFICER: frozenset({"view", "change"}),
                                                       Role.COMMITTEE_STAFF: ALL, Role.INSPECTOR: _WORK},
             member_data=True),
        # transferred clues: the team, the receiving department and the leadership only
        Area("clues", _("inspection clues"), {Role.COMMITTEE_STAFF: _WORK, Role.INSPECTOR: _WORK}),
    ),
    audit_events={"clue_read": pgettext_lazy("audit event", "Clue read"),
                  "revisit": pgettext_lazy("audit event", "Revisited")},
    navigation=menu,
    nav_order=60,
    inbox=(Figure("supervision_filings", "supervision/inbox/filings.html", _inbox_filings, place="right", order=60),
           Figure("supervision_rectification", "supervision/inbox/rectification.html", _inbox_rectification,
                  place="right", order=61)),
    demo=DemoStep(_demo, order=80),
    reminders=(ReminderSource("filings", _("Filings due, returned or to review"), lazy("dangjian.supervision.reminders.filings"),
                              scopes=(("filings", "change"),), order=60),),
)
