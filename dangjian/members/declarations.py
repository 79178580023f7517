"""What the member module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, Figure, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Members"), (
        MenuItem(_("Member list"), "members:member_list", "users", "members", staff=True),
        MenuItem(_("Relationship transfers"), "members:transfer_list", "transfer", "members", staff=True),
        MenuItem(_("Committee posts"), "members:post_list", "id-badge", "posts", staff=True),
    ))


def _composition(user: Any) -> Any:
    from dangjian.members.dashboard import workbench_composition

    return workbench_composition(user)


parts = ModuleParts(
    dashboard=(
        DashboardFigure("members_composition", _("Member composition"), "members",
                        lazy_figure("dangjian.members.figures.composition"), chart="bar", order=10,
                        depends=("members.member",)),
        DashboardFigure("members_education", _("Education and age of members"), "members",
                        lazy_figure("dangjian.members.figures.education_and_age"), chart="bar", order=11,
                        depends=("members.member",)),
    ),
    areas=(
        Area("members", _("members"), {
            Role.MEMBER: frozenset({"view"}),
            Role.BRANCH_OFFICER: ALL,
            Role.COMMITTEE_STAFF: ALL | {"reveal"},
            Role.INSPECTOR: frozenset({"view"}),
        }, own_rows=True, member_data=True),
        # committee posts name the members who hold them: member data, never the administrators'
        Area("posts", _("committee posts"), {
            Role.MEMBER: frozenset({"view"}),
            Role.BRANCH_OFFICER: frozenset({"view", "change", "export"}),
            Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view"}),
        }, member_data=True),
    ),
    audit_events={"reveal": _("Full ID number viewed")},
    navigation=menu,
    nav_order=20,
    workbench=(
        Figure("composition_counts", "members/workbench_counts.html", _composition, place="top", order=10),
        Figure("composition_charts", "members/workbench_charts.html", _composition, place="main", order=10,
               scripts=("vendor/echarts/echarts.min.js", "core/home.js")),
    ),
    portal=(PortalItem(_("My member profile"), "members:member_detail", "user", "members", order=10,
                       kwargs=lambda user: {"pk": user.member_id}),),
)
