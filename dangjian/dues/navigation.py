from django.utils.translation import gettext_lazy as _

from dangjian.core.navigation import MenuGroup, MenuItem


def menu() -> MenuGroup:
    return MenuGroup(_("Party dues"), (
        MenuItem(_("Dues workbench"), "dues:index", "coin", "dues"),
        MenuItem(_("My dues"), "dues:mine", "user", "dues"),
        MenuItem(_("Dues assessments"), "dues:assessment_list", "calculator", "dues"),
        MenuItem(_("Dues bills"), "dues:bill_list", "receipt", "dues"),
        MenuItem(_("Dues payments"), "dues:payment_list", "cash", "dues"),
        MenuItem(_("Arrears"), "dues:arrears", "alert-triangle", "dues"),
        MenuItem(_("Collection report"), "dues:statement_report", "report", "dues"),
        MenuItem(_("Reconciliation"), "dues:reconciliation", "scale", "dues"),
        MenuItem(_("Budget and spending"), "dues:budget_report", "chart-pie", "dues"),
        MenuItem(_("Dues disclosure"), "dues:disclosure", "speakerphone", "dues"),
        MenuItem(_("Dues standards"), "dues:standard_list", "settings", "config"),
    ))
