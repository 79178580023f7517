"""What the library module declares to the core (see dangjian/core/modules.py)."""

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.modules import Area, DemoStep, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Rules library"), (
        MenuItem(_("Ask the rules"), "library:ask", "help", "library"),
        MenuItem(_("Regulations"), "library:document_list", "book", "library"),
        MenuItem(_("Record-quality flags"), "library:flag_list", "flag", "quality"),
        MenuItem(_("Check records"), "library:run_checks", "search", "quality", "change"),
        MenuItem(_("Record-quality rules"), "library:rule_list", "settings", "config"),
    ))


def _demo(ctx: object) -> None:
    from dangjian.library.demo import build

    build(ctx)


_READ = frozenset({"view"})

parts = ModuleParts(
    areas=(
        # the regulations: readable by everyone in the installation; uploads by committee staff
        Area("library", _("rules library"), {
            Role.MEMBER: _READ, Role.BRANCH_OFFICER: _READ, Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: _READ, Role.SYSTEM_ADMIN: _READ,
        }),
        # record-quality flags: reviewers decide (change), the branch sees its own records' flags
        Area("quality", _("record quality"), {
            Role.BRANCH_OFFICER: _READ, Role.COMMITTEE_STAFF: frozenset({"view", "change", "export"}),
            Role.INSPECTOR: _READ,
        }, member_data=True),
    ),
    navigation=menu,
    nav_order=80,
    unscoped_models={
        "library.posting": "the search index of articles (global, readable by everyone): no rows of its own",
        "library.recordprint": "MinHash signatures of meeting records: never shown, read only by the checks",
        "library.recordband": "LSH band keys of the signatures: never shown, read only by the checks",
    },
    demo=DemoStep(_demo, order=90),
)
