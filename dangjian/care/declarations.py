"""What the care module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.roles import Role
from dangjian.core.modules import Area, DemoStep, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Care fund"), (
        MenuItem(_("Care fund statement"), "care:statement", "heart-handshake", "care", staff=True),
        MenuItem(_("Visits and condolences"), "care:visit_list", "heart", "care", staff=True),
        MenuItem(_("Donations"), "care:donation_list", "gift", "care", staff=True),
        MenuItem(_("Care reasons"), "care:reason_list", "settings", "config", staff=True),
    ))


def _demo(ctx: Any) -> Any:
    from dangjian.care.demo import build

    return build(ctx)


parts = ModuleParts(
    areas=(
        # beneficiaries' circumstances are sensitive: only committee staff hold "reveal"
        Area("care", _("Care fund"), {
            Role.BRANCH_OFFICER: frozenset({"view", "add", "change", "export"}),
            Role.COMMITTEE_STAFF: frozenset({"view", "add", "change", "delete", "export", "reveal"}),
            Role.INSPECTOR: frozenset({"view"}),
        }, member_data=True),
    ),
    audit_events={"reveal_circumstances": pgettext_lazy("audit event", "Beneficiary circumstances viewed")},
    audit_object_types={"care.statement": _("Care fund statement")},
    navigation=menu,
    nav_order=35,
    unscoped_models={},
    demo=DemoStep(_demo, order=30),
)
