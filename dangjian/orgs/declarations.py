"""What the organization module declares to the core (see dangjian/core/modules.py).

Role codes are written as strings here: the roles belong to the accounts app, which sits
above this module and checks every code it collects (dangjian.E007).
"""

from django.utils.translation import gettext_lazy as _

from dangjian.core.modules import Area, Figure, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.reminders import ReminderSource, lazy

ALL = frozenset({"view", "add", "change", "delete", "export"})


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Organizations"), (
        MenuItem(_("Organization tree"), "orgs:tree", "sitemap", "orgs", staff=True),
        MenuItem(_("Organization list"), "orgs:organization_list", "list", "orgs", staff=True),
        MenuItem(_("Term expiry"), "orgs:expiring_terms", "calendar", "orgs", staff=True),
        MenuItem(_("Structure warnings"), "orgs:structure_warnings", "alert-triangle", "orgs", staff=True),
    ))


def _organization_counts(user: object) -> object:
    from dangjian.orgs.dashboard import organization_counts

    return organization_counts(user)


parts = ModuleParts(
    areas=(
        # the tree, its terms and its posts
        Area("orgs", _("organizations"), {
            "member": frozenset({"view"}),
            "branch_officer": frozenset({"view", "change", "export"}),
            "committee_staff": ALL,
            "inspector": frozenset({"view"}),
            "system_admin": ALL,
            "security_admin": frozenset({"view"}),
        }),
    ),
    audit_events={"move": _("Moved in the tree")},
    audit_object_types={"orgs.structure_warnings": _("Structure warnings")},
    navigation=menu,
    nav_order=10,
    workbench=(Figure("org_counts", "orgs/workbench_counts.html", _organization_counts, place="side", order=10),),
    reminders=(ReminderSource("terms_expiring", _("Terms of office expiring"), lazy("dangjian.orgs.reminders.terms_expiring"),
                              scopes=(("orgs", "change"),), order=20),),
)
