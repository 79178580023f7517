"""Declarations of the generic screens (list, detail, add, edit, export) of every dues model."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from dangjian.core.approvals import can_decide, can_withdraw
from dangjian.core.excel import Column
from dangjian.core.scoping import covers
from dangjian.core.views import ModelViews, Related
from dangjian.dues import forms, rules
from dangjian.dues.filtersets import (
    AssessmentFilterSet,
    AuxiliaryBandFilterSet,
    BandFilterSet,
    BillFilterSet,
    BudgetFilterSet,
    BudgetLineFilterSet,
    CaseFilterSet,
    FixedAmountFilterSet,
    PaymentFilterSet,
    ReliefFilterSet,
    RemittanceFilterSet,
    SpendingFilterSet,
    StatementFilterSet,
)
from dangjian.dues.models import (
    ArrearsCase,
    AuxiliaryPoliceBand,
    AuxiliaryPoliceStandard,
    DisclosureTemplate,
    DuesAllocation,
    DuesAssessment,
    DuesBand,
    DuesBaseComponent,
    DuesBill,
    DuesBudget,
    DuesBudgetLine,
    DuesOrgSettings,
    DuesPayment,
    DuesRemittance,
    DuesSpending,
    DuesStandard,
    DuesStatement,
    FixedDuesAmount,
    HardshipRelief,
    PayItem,
    SpendingCategory,
    month_label,
)
from dangjian.dues.tables import (
    AssessmentTable,
    AuxiliaryBandTable,
    AuxiliaryStandardTable,
    BandTable,
    BillTable,
    BudgetLineTable,
    BudgetTable,
    CaseTable,
    DisclosureTemplateTable,
    FixedAmountTable,
    OrgSettingsTable,
    PayItemTable,
    PaymentTable,
    ReliefTable,
    RemittanceTable,
    SpendingCategoryTable,
    SpendingTable,
    StandardTable,
    StatementTable,
)

CONFIG_ACTIONS = ("list", "detail", "add", "edit")


class DuesViews(ModelViews):
    """The dues namespace for every dues model's screens."""

    namespace = "dues"


class StandardViews(DuesViews):
    model = DuesStandard
    name = "standard"
    table = StandardTable
    form = forms.StandardForm
    actions = CONFIG_ACTIONS
    detail_fields = ("code", "name", "effective_from", "source", "monthly_cap", "rounding", "assessment_month",
                     "due_day", "back_payment_window_months", "reminder_months", "decision_months",
                     "branch_remit_percent", "committee_remit_percent", "top_remit_percent", "care_fund_percent",
                     "notes")
    related = (Related(_("Dues bands"), "dues:band_list", "standard"),
               Related(_("Fixed dues amounts"), "dues:fixed_list", "standard"))


class BandViews(DuesViews):
    model = DuesBand
    name = "band"
    queryset = DuesBand.objects.select_related("standard")
    table = BandTable
    filterset = BandFilterSet
    form = forms.BandForm
    actions = CONFIG_ACTIONS
    detail_fields = ("standard", "kind", "upper_bound", "rate_percent")


class FixedAmountViews(DuesViews):
    model = FixedDuesAmount
    name = "fixed"
    queryset = FixedDuesAmount.objects.select_related("standard")
    table = FixedAmountTable
    filterset = FixedAmountFilterSet
    form = forms.FixedAmountForm
    actions = CONFIG_ACTIONS
    detail_fields = ("standard", "category", "amount", "min_amount", "max_amount")


class AuxiliaryStandardViews(DuesViews):
    model = AuxiliaryPoliceStandard
    name = "auxstandard"
    queryset = AuxiliaryPoliceStandard.objects.select_related("org")
    table = AuxiliaryStandardTable
    form = forms.AuxiliaryStandardForm
    actions = CONFIG_ACTIONS
    detail_fields = ("name", "effective_from", "org", "method", "fixed_amount", "base_rule", "source")
    related = (Related(_("Auxiliary police dues bands"), "dues:auxband_list", "standard"),)


class AuxiliaryBandViews(DuesViews):
    model = AuxiliaryPoliceBand
    name = "auxband"
    queryset = AuxiliaryPoliceBand.objects.select_related("standard")
    table = AuxiliaryBandTable
    filterset = AuxiliaryBandFilterSet
    form = forms.AuxiliaryBandForm
    actions = CONFIG_ACTIONS
    detail_fields = ("standard", "upper_bound", "rate_percent", "amount")


class PayItemViews(DuesViews):
    model = PayItem
    name = "payitem"
    table = PayItemTable
    form = forms.PayItemForm
    actions = CONFIG_ACTIONS
    detail_fields = ("code", "name", "treatment", "reason", "order", "is_active")


class SpendingCategoryViews(DuesViews):
    model = SpendingCategory
    name = "category"
    table = SpendingCategoryTable
    form = forms.SpendingCategoryForm
    actions = CONFIG_ACTIONS
    detail_fields = ("code", "name", "description", "source", "is_care_fund", "order", "is_active")


class DisclosureTemplateViews(DuesViews):
    model = DisclosureTemplate
    name = "template"
    table = DisclosureTemplateTable
    form = forms.DisclosureTemplateForm
    actions = CONFIG_ACTIONS
    list_template = "dues/template_list.html"
    detail_fields = ("name", "is_active", "created_at")


class OrgSettingsViews(DuesViews):
    model = DuesOrgSettings
    name = "settings"
    queryset = DuesOrgSettings.objects.select_related("org")
    table = OrgSettingsTable
    form = forms.OrgSettingsForm
    actions = ("list", "detail", "add", "edit", "delete")
    detail_fields = ("org", "remit_percent", "care_fund_percent", "rounding", "remit_to_name")


class AssessmentViews(DuesViews):
    model = DuesAssessment
    name = "assessment"
    queryset = DuesAssessment.objects.select_related("member__org", "standard")
    table = AssessmentTable
    filterset = AssessmentFilterSet
    actions = ("list", "detail", "export")
    list_template = "dues/assessment_list.html"
    detail_template = "dues/assessment_detail.html"
    detail_fields = ("member", "year", "kind", "standard", "band", "auxiliary_standard", "auxiliary_band",
                     "fixed_amount", "base", "rate_percent", "unrounded_amount", "rounding", "capped",
                     "monthly_amount", "is_reassessment", "reason", "assessed_on", "assessed_by", "note")
    export_columns = (
        Column("姓名", "member__name", 10), Column("警号", "member__police_number", 10),
        Column("所在支部", "member__org__name", 26), Column("年度", "year", 6),
        Column("执行月份", lambda a: month_label(a.effective_month), 12), Column("党费类别", "get_kind_display", 16),
        Column("计算基数", "base"), Column("比例（%）", "rate_percent", 8), Column("月交纳额", "monthly_amount"),
        Column("年中调整", "is_reassessment", 8), Column("调整原因", "reason", 24), Column("标准版本", "standard__code"),
    )
    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        components = list(DuesBaseComponent.objects.visible_to(request.user, "view").filter(assessment=obj)
                          .select_related("item"))
        breakdown = rules.compute_base(rules.BaseLine(c.item.name, c.amount, c.treatment, c.item.reason)
                                       for c in components)
        can_add = covers(request.user, "dues", "add", obj.member.org)
        return {"components": components, "breakdown": breakdown, "can_reassess": can_add}


class ReliefViews(DuesViews):
    model = HardshipRelief
    name = "relief"
    queryset = HardshipRelief.objects.select_related("member__org", "decided_by")
    table = ReliefTable
    filterset = ReliefFilterSet
    form = forms.ReliefForm
    actions = ("list", "detail", "add", "export")
    detail_template = "dues/relief_detail.html"
    detail_fields = ("member", "kind", "from_month", "to_month", "reduced_amount", "reason", "branch_decided_on",
                     "branch_decision_ref", "status", "requested_by", "decided_by", "decided_on", "decision_ref")
    export_columns = (
        Column("姓名", "member__name", 10), Column("类别", "get_kind_display", 8),
        Column("起始月份", lambda r: month_label(r.from_month), 12),
        Column("结束月份", lambda r: month_label(r.to_month), 12), Column("减交后月交纳额", "reduced_amount"),
        Column("原因", "reason", 30), Column("支部决定日期", "branch_decided_on", 12),
        Column("状态", "get_status_display"), Column("批复", "decision_ref", 24),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_decide": can_decide(request.user, obj), "can_withdraw": can_withdraw(request.user, obj)}


def _bills(request: HttpRequest) -> QuerySet[DuesBill]:
    return rules.with_paid(DuesBill.objects.select_related("member", "org"))  # scope-ok: scoped by ModelViews


class BillViews(DuesViews):
    model = DuesBill
    name = "bill"
    table = BillTable
    filterset = BillFilterSet
    actions = ("list", "detail", "export")
    list_template = "dues/bill_list.html"
    detail_template = "dues/bill_detail.html"
    detail_fields = ("member", "org", "month_label", "amount_due", "due_on", "assessment", "relief")
    export_columns = (
        Column("姓名", "member__name", 10), Column("支部", "org__name", 26),
        Column("月份", lambda b: month_label(b.month), 12), Column("应缴", "amount_due"), Column("已缴", "paid"),
        Column("状态", lambda b: str(rules.PaymentState(rules.bill_state(b.amount_due, b.paid)).label), 8),
        Column("截止日期", "due_on", 12),
    )

    @classmethod
    def get_queryset(cls, request: HttpRequest) -> QuerySet[Any]:
        return _bills(request)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        allocations = DuesAllocation.objects.visible_to(request.user, "view").filter(bill=obj)\
            .select_related("payment")
        obj.paid = rules.cents(obj.paid)
        return {"allocations": allocations, "state": rules.PaymentState(rules.bill_state(obj.amount_due, obj.paid))}


def _payments(request: HttpRequest) -> QuerySet[DuesPayment]:
    return rules.with_allocated(DuesPayment.objects.select_related("member", "org"))  # scope-ok: by ModelViews


class PaymentViews(DuesViews):
    model = DuesPayment
    name = "payment"
    table = PaymentTable
    filterset = PaymentFilterSet
    form = forms.PaymentForm
    actions = ("list", "detail", "add", "export")
    list_template = "dues/payment_list.html"
    detail_template = "dues/payment_detail.html"
    form_template = "dues/payment_form.html"
    detail_fields = ("member", "org", "amount", "paid_on", "method", "arrangement", "collector", "receipt_number",
                     "proxy_payer", "proxy_relation", "back_payment_reason", "recorded_by", "note")
    export_columns = (
        Column("姓名", "member__name", 10), Column("支部", "org__name", 26), Column("金额", "amount"),
        Column("计入月份金额", "allocated"), Column("交纳日期", "paid_on", 12),
        Column("方式", "get_method_display", 8), Column("交纳类型", "get_arrangement_display", 12),
        Column("收据号", "receipt_number", 14), Column("代缴人", "proxy_payer", 10),
        Column("补交原因", "back_payment_reason", 24),
    )

    @classmethod
    def get_queryset(cls, request: HttpRequest) -> QuerySet[Any]:
        return _payments(request)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        allocations = list(DuesAllocation.objects.visible_to(request.user, "view").filter(payment=obj)
                           .select_related("bill"))
        allocated = rules.allocated(allocations)
        return {"allocations": allocations, "allocated": allocated, "unallocated": obj.amount - allocated,
                "can_void": covers(request.user, "dues", "delete", obj.org)}


class CaseViews(DuesViews):
    model = ArrearsCase
    name = "case"
    queryset = ArrearsCase.objects.select_related("member", "org")
    table = CaseTable
    filterset = CaseFilterSet
    form = forms.CaseForm
    actions = ("list", "detail", "edit", "export")
    detail_fields = ("member", "org", "opened_on", "first_unpaid_month", "months_unpaid", "amount_outstanding",
                     "status", "cleared_on", "talk_on", "talk_by", "talk_record", "decision", "decided_on",
                     "decision_ref")
    export_columns = (
        Column("姓名", "member__name", 10), Column("支部", "org__name", 26), Column("提交日期", "opened_on", 12),
        Column("连续未缴月数", "months_unpaid", 8), Column("欠缴金额", "amount_outstanding"),
        Column("状态", "get_status_display", 12), Column("支部决定", "get_decision_display", 24),
        Column("已补缴日期", "cleared_on", 12),
    )


class StatementViews(DuesViews):
    model = DuesStatement
    name = "statement"
    queryset = DuesStatement.objects.select_related("org", "closed_by")
    table = StatementTable
    filterset = StatementFilterSet
    actions = ("list", "detail", "export")
    list_template = "dues/statement_list.html"
    detail_template = "dues/statement_detail.html"
    detail_fields = ("org", "members_billed", "amount_due", "members_paid", "amount_collected", "closed_by",
                     "closed_on", "note")
    export_columns = (
        Column("支部", "org__name", 26), Column("月份", lambda s: month_label(s.month), 12),
        Column("应缴人数", "members_billed", 8), Column("应缴金额", "amount_due"),
        Column("实缴人数", "members_paid", 8), Column("实缴金额", "amount_collected"), Column("结报日期", "closed_on", 12),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        now = rules.branch_month(obj.org, obj.month)
        return {"now": now, "month_end": rules.month_end(obj.month)}


class RemittanceViews(DuesViews):
    model = DuesRemittance
    name = "remittance"
    queryset = DuesRemittance.objects.select_related("from_org", "to_org")
    table = RemittanceTable
    filterset = RemittanceFilterSet
    form = forms.RemittanceForm
    actions = ("list", "detail", "add", "export")
    detail_fields = ("from_org", "to_org", "recipient_name", "period_start", "period_end", "income",
                     "remit_percent", "expected_amount", "amount", "remitted_on", "reference", "note")
    export_columns = (
        Column("上缴组织", "from_org__name", 26), Column("接收组织", "to_org__name", 26),
        Column("系统外接收方", "recipient_name", 16), Column("起始月份", lambda r: month_label(r.period_start), 12),
        Column("结束月份", lambda r: month_label(r.period_end), 12), Column("期间收入", "income"),
        Column("上缴比例（%）", "remit_percent", 8), Column("应上缴", "expected_amount"), Column("实上缴", "amount"),
        Column("上缴日期", "remitted_on", 12), Column("银行凭证号", "reference", 16),
    )


class BudgetViews(DuesViews):
    model = DuesBudget
    name = "budget"
    queryset = rules.with_budget_total(DuesBudget.objects.select_related("org"))
    table = BudgetTable
    filterset = BudgetFilterSet
    form = forms.BudgetForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "dues/budget_detail.html"
    detail_fields = ("org", "year", "status", "decided_by", "decided_on", "decision_ref", "note")
    export_columns = (
        Column("组织", "org__name", 26), Column("年度", "year", 6), Column("预算合计", "total"),
        Column("状态", "get_status_display", 8), Column("批准日期", "decided_on", 12),
    )
    related = (Related(_("Budget lines"), "dues:budgetline_list", "budget"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        summary = rules.budget_summary(obj.org, obj.year)
        return {
            "budget_rows": summary.rows, "budget_total": summary.budget, "actual_total": summary.actual,
            "can_approve": can_decide(request.user, obj), "can_withdraw": can_withdraw(request.user, obj),
        }


class BudgetLineViews(DuesViews):
    model = DuesBudgetLine
    name = "budgetline"
    queryset = DuesBudgetLine.objects.select_related("budget__org", "category")
    table = BudgetLineTable
    filterset = BudgetLineFilterSet
    form = forms.BudgetLineForm
    actions = ("list", "detail", "add", "edit", "delete")
    detail_fields = ("budget", "category", "amount", "note")


class SpendingViews(DuesViews):
    model = DuesSpending
    name = "spending"
    queryset = DuesSpending.objects.select_related("org", "category", "requested_by", "decided_by")
    table = SpendingTable
    filterset = SpendingFilterSet
    form = forms.SpendingForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "dues/spending_detail.html"
    detail_fields = ("org", "category", "spent_on", "amount", "payee", "purpose", "voucher_number",
                     "from_care_fund", "status", "requested_by", "decided_by", "decided_on", "decision_ref")
    export_columns = (
        Column("组织", "org__name", 26), Column("日期", "spent_on", 12), Column("类别", "category__name", 20),
        Column("金额", "amount"), Column("收款方", "payee", 16), Column("用途", "purpose", 30),
        Column("凭证号", "voucher_number", 12), Column("暖心工程基金", "from_care_fund", 8),
        Column("状态", "get_status_display", 8), Column("集体决定", "decision_ref", 24),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_decide": can_decide(request.user, obj), "can_withdraw": can_withdraw(request.user, obj)}
