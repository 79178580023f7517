"""What study and tests declare to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ALL, Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, DemoStep, Figure, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.reminders import ReminderSource, lazy


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Study and tests"), (
        MenuItem(_("My study"), "study:mine", "school", "study", member_only=True),
        MenuItem(_("Question bank"), "study:question_list", "list-check", "study", staff=True),
        MenuItem(_("Tests"), "study:exam_list", "writing", "study", staff=True),
        MenuItem(_("Test attempts"), "study:attempt_list", "report", "study", staff=True),
        MenuItem(_("Courses"), "study:course_list", "book", "study", staff=True),
        MenuItem(_("Study rules"), "study:rule_list", "settings", "config"),
    ))


def _inbox_due(user: Any) -> Any:
    from dangjian.study.views import inbox_due

    return inbox_due(user)


def _demo(ctx: Any) -> None:
    from dangjian.study.demo import build

    build(ctx)



def _portal(name: str) -> Any:
    def data(viewer: Any, member: Any) -> Any:  # imports the module's portal reads on first use
        from dangjian.study import portal

        return getattr(portal, name)(viewer, member)
    return data


parts = ModuleParts(
    dashboard=(
        DashboardFigure("study_tests", _("Study tests: participation and pass rate"), "study",
                        lazy_figure("dangjian.study.figures.tests"), chart="pie", order=60,
                        depends=("study.attempt",)),
    ),
    areas=(
        # the bank, tests and courses of an organization; the member reaches only their own
        # attempts and completions (tests and courses open to them follow services.open_to)
        Area("study", _("study and tests"), {
            Role.MEMBER: frozenset({"view"}), Role.BRANCH_OFFICER: ALL, Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view"}),
        }, own_rows=True, member_data=True),
    ),
    navigation=menu,
    nav_order=60,
    inbox=(Figure("study_due", "study/inbox_due.html", _inbox_due, place="left", order=45),),
    portal=(PortalItem(_("My study"), "study:mine", "school", "study", order=40, tab="study",
                       card="study/portal/mine.html", data=_portal("mine"), key="study-mine"),),
    unscoped_models={
        "study.answer": "one saved answer of an attempt, reached only through its attempt (own or scoped)",
        "study.chapterprogress": "visible-page seconds of a member on a chapter, written by the heartbeat only",
    },
    demo=DemoStep(_demo, order=70),
    reminders=(ReminderSource("tests_open", _("Tests open"), lazy("dangjian.study.reminders.tests_open"), order=70),),
)
