"""What the assessment module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.roles import ALL, Role
from dangjian.core.modules import Area, DemoStep, ModuleParts
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.views import Related


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Responsibility lists and grading"), (
        MenuItem(_("Grade table"), "assessment:table", "chart-bar", "assessment", staff=True),
        MenuItem(_("Item evaluations"), "assessment:evaluation_list", "checklist", "assessment", staff=True),
        MenuItem(_("Projects"), "assessment:project_list", "bulb", "assessment", staff=True),
        MenuItem(_("Bonus entries"), "assessment:bonus_list", "award", "assessment", staff=True),
        MenuItem(_("Veto decisions"), "assessment:veto_list", "ban", "assessment", staff=True),
        MenuItem(_("Secretaries' review rounds"), "assessment:round_list", "microphone", "assessment", staff=True),
        MenuItem(_("Democratic evaluation of members"), "assessment:memberround_list", "users", "assessment",
                 staff=True),
        MenuItem(_("List items"), "assessment:item_list", "settings", "config", staff=True),
        MenuItem(_("Deduction rules"), "assessment:deduction_list", "settings", "config", staff=True),
        MenuItem(_("Grading schemes"), "assessment:scheme_list", "settings", "config", staff=True),
    ))


def _demo(ctx: Any) -> Any:
    from dangjian.assessment.demo import build

    return build(ctx)


parts = ModuleParts(
    areas=(
        Area("assessment", _("Responsibility lists and grading"), {
            Role.BRANCH_OFFICER: frozenset({"view", "add", "change", "export"}),
            Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view"}),
        }, member_data=True),
    ),
    audit_events={"recompute": pgettext_lazy("audit event", "Grades recomputed")},
    audit_object_types={"assessment.graderesult": _("Grade results")},
    navigation=menu,
    nav_order=37,
    org_page=(Related(_("Grade of this organization"), "assessment:org_section", "org"),),
    unscoped_models={
        "assessment.pendinggrade": "the recompute job's work list: an organization id and a year, no business data",
        "assessment.resultline": "lines of a GradeResult, read only through the scoped result",
        "assessment.ballotcount": "anonymous vote counters, read only through the scoped report after the close",
    },
    demo=DemoStep(_demo, order=80),
)
