"""What the honors module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.roles import ALL, Role
from dangjian.core.modules import Area, DemoStep, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.views import Related


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Honors"), (
        MenuItem(_("Commendations"), "honors:commendation_list", "award", "honors", staff=True),
        MenuItem(_("Honor ceremonies"), "honors:ceremony_list", "confetti", "honors", staff=True),
        MenuItem(_("Pennants"), "honors:pennant_list", "flag", "honors", staff=True),
        MenuItem(_("Commendation kinds"), "honors:kind_list", "settings", "config", staff=True),
    ))


def _demo(ctx: Any) -> Any:
    from dangjian.honors.demo import build

    return build(ctx)



def _portal_mine(viewer: Any, member: Any) -> Any:  # imports the module's portal read on first use
    from dangjian.honors.portal import mine

    return mine(viewer, member)


parts = ModuleParts(
    portal=(PortalItem(_("My honors"), "", "award", "honors", order=45, card="honors/portal/mine.html",
                       data=_portal_mine, key="honors-mine"),),
    areas=(
        Area("honors", _("Honors and commendations"), {
            Role.BRANCH_OFFICER: frozenset({"view", "add", "change", "export"}),
            Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view"}),
            # a member sees their own commendations and ceremonies (the member portal), never a peer's
            Role.MEMBER: frozenset({"view"}),
        }, own_rows=True, member_data=True),
    ),
    audit_events={"revoke": pgettext_lazy("audit event", "Revoked")},
    navigation=menu,
    nav_order=36,
    org_page=(Related(_("Honors of this unit per year"), "honors:unit_counts", "org"),),
    demo=DemoStep(_demo, order=40),
)
