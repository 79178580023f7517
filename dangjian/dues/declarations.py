"""What the dues module declares to the core (see dangjian/core/modules.py)."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dangjian.accounts.roles import ALL, Role
from dangjian.core.figures import DashboardFigure
from dangjian.core.figures import lazy as lazy_figure
from dangjian.core.modules import Area, DemoStep, ModuleParts, PortalItem
from dangjian.core.navigation import MenuGroup, MenuItem
from dangjian.core.reminders import ReminderSource, lazy


def menu() -> MenuGroup:  # lazy-ok: built once and cached (core.modules.menu_groups)
    return MenuGroup(_("Party dues"), (
        MenuItem(_("Dues workbench"), "dues:index", "coin", "dues", staff=True),
        MenuItem(_("My dues"), "dues:mine", "user", "dues", member_only=True),
        MenuItem(_("Dues assessments"), "dues:assessment_list", "calculator", "dues", staff=True),
        MenuItem(_("Dues bills"), "dues:bill_list", "receipt", "dues", staff=True),
        MenuItem(_("Dues payments"), "dues:payment_list", "cash", "dues", staff=True),
        MenuItem(_("Online payment orders"), "dues:order_list", "device-mobile", "dues", staff=True),
        MenuItem(_("Online payment refunds"), "dues:refund_list", "receipt-refund", "dues", staff=True),
        MenuItem(_("Arrears"), "dues:arrears", "alert-triangle", "dues", staff=True),
        MenuItem(_("Collection report"), "dues:statement_report", "report", "dues", staff=True),
        MenuItem(_("Reconciliation"), "dues:reconciliation", "scale", "dues", staff=True),
        MenuItem(_("Budget and spending"), "dues:budget_report", "chart-pie", "dues", staff=True),
        MenuItem(_("Dues disclosure"), "dues:disclosure", "speakerphone", "dues", staff=True),
        MenuItem(_("Dues standards"), "dues:standard_list", "settings", "config", staff=True),
        MenuItem(_("Payment gateways"), "dues:gateway_list", "building-bank", "config", staff=True),
    ))


def _demo(ctx: Any) -> Any:
    from dangjian.dues.demo import build

    return build(ctx)



def _portal(name: str) -> Any:
    def data(viewer: Any, member: Any) -> Any:  # imports the module's portal reads on first use
        from dangjian.dues import portal

        return getattr(portal, name)(viewer, member)
    return data


parts = ModuleParts(
    dashboard=(
        DashboardFigure("dues_collection", _("Dues collection and arrears"), "dues",
                        lazy_figure("dangjian.dues.figures.collection"), chart="pie", order=30,
                        depends=("dues.duesbill", "dues.duesallocation", "dues.duespayment")),
    ),
    areas=(
        # party dues: a member sees only their own bills and payments
        Area("dues", _("Party dues"), {
            Role.MEMBER: frozenset({"view"}),
            Role.BRANCH_OFFICER: ALL,
            Role.COMMITTEE_STAFF: ALL,
            Role.INSPECTOR: frozenset({"view"}),
        }, own_rows=True, member_data=True),
    ),
    audit_events={
        "reassess": pgettext_lazy("audit event", "Reassessed"),
        "generate_bills": pgettext_lazy("audit event", "Bills generated"),
        "void": pgettext_lazy("audit event", "Voided"),
        "payment_notice": pgettext_lazy("audit event", "Payment notification refused"),
        "payment_mismatch": pgettext_lazy("audit event", "Online payment amount mismatch"),
        "payment_exception": pgettext_lazy("audit event", "Online payment not posted"),
        "payment_posted": pgettext_lazy("audit event", "Online payment posted"),
    },
    audit_object_types={"dues.disclosure": _("Dues disclosure")},
    navigation=menu,
    nav_order=30,
    portal=(PortalItem(_("My dues"), "dues:mine", "coin", "dues", order=30,
                       card="dues/portal/mine.html", data=_portal("mine"), key="dues-mine"),),
    demo=DemoStep(_demo, order=20),
    reminders=(ReminderSource("dues_arrears", _("Dues arrears"), lazy("dangjian.dues.reminders.arrears"),
                              scopes=(("dues", "change"),), order=30),),
)
