"""What the points module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.roles import ALL, Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, DemoStep, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Member points"), (
        MenuItem(_("My points"), "points:mine", "star", "points", member_only=True),
        MenuItem(_("Points workbench"), "points:index", "list-check", "points", "change", staff=True),
        MenuItem(_("Points ledger"), "points:entry_list", "list", "points", staff=True),
        MenuItem(_("Points ranking"), "points:ranking", "trophy", "points", "change", staff=True),
        MenuItem(_("Points publications"), "points:publication_list", "speakerphone", "points", staff=True),
        MenuItem(_("Violation records"), "points:violation_list", "alert-octagon", "discipline"),
        MenuItem(_("Measure proposals"), "points:proposal_list", "gavel", "discipline"),
        MenuItem(_("Points rules"), "points:rule_list", "settings", "config"),
    ))


def _build_demo(ctx):  # type: ignore[no-untyped-def]
    from dangjian.points.demo import build

    return build(ctx)



def _portal(name: str) -> Any:
    def data(viewer: Any, member: Any) -> Any:  # imports the module's portal reads on first use
        from dangjian.points import portal

        return getattr(portal, name)(viewer, member)
    return data


parts = ModuleParts(
    dashboard=(
        DashboardFigure("points_distribution", _("Points distribution"), "points",
                        lazy_figure("dangjian.points.figures.distribution"), chart="bar", order=40,
                        depends=("points.pointbalance",)),
        DashboardFigure("points_violations", _("Violations"), "discipline",
                        lazy_figure("dangjian.points.figures.violations"), chart="bar", order=41,
                        depends=("points.violationrecord",)),
    ),
    areas=(
        # member points: a member sees only their own entries and balance
        Area("points", _("Member points"), {
            Role.MEMBER: frozenset({"view"}),
            Role.BRANCH_OFFICER: ALL,
            Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view"}),
        }, own_rows=True, member_data=True),
        # violation records: the officer concerned, the branch secretary, the committee's discipline
        # staff and above; never peers of the same branch (own rows)
        Area("discipline", _("Violation scoring"), {
            Role.MEMBER: frozenset({"view"}),
            Role.BRANCH_OFFICER: frozenset({"view", "add", "change", "export"}),
            Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view", "add"}),
        }, own_rows=True, member_data=True),
    ),
    audit_events={"publish": pgettext_lazy("audit event", "Published")},
    navigation=menu,
    nav_order=35,
    portal=(PortalItem(_("My points"), "points:mine", "star", "points", order=35,
                       card="points/portal/mine.html", data=_portal("mine"), key="points-mine"),
            PortalItem(_("My violation record and appeals"), "", "alert-octagon", "discipline", order=36,
                       card="points/portal/record.html", data=_portal("record"), key="points-record")),
    demo=DemoStep(_build_demo, order=60),
)
