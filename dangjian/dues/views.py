"""Dues screens: declarations for the generic views, plus the work screens (assessment, bulk
entry, arrears, statements, reconciliation, budget, disclosure, the member's own page).

Every read goes through ``visible_to`` / ``get_scoped_or_404`` or an organization picker
narrowed to the user's dues scope; every write goes through a service.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet, Sum
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from dangjian.core import audit
from dangjian.core.excel import Column
from dangjian.core.scoping import get_scoped_or_404, scope_for
from dangjian.core.views import ModelViews, ObjectEditView, Related, can
from dangjian.dues import documents, forms, imports, rules, services
from dangjian.dues.choices import ApprovalStatus, BudgetStatus, CaseStatus
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
from dangjian.members.models import Member
from dangjian.orgs.models import Organization

CONFIG_ACTIONS = ("list", "detail", "add", "edit")


# --- generic declarations ---------------------------------------------------------------------


class ServiceEditView(ObjectEditView):
    """The core's add/edit screen, with rule errors from a service shown on the form (400)."""

    def post(self, request: HttpRequest, pk: int | None = None) -> HttpResponse:
        try:
            return super().post(request, pk)
        except (rules.DuesRuleError, ValidationError) as exc:
            obj = self.get_object(request, pk)
            form = self.form_class(pk)(request.POST, request.FILES, instance=obj, user=request.user)
            form.is_valid()
            for message in getattr(exc, "messages", None) or [str(exc)]:
                form.add_error(None, message)
            return render(request, self.spec.form_template,
                          self.context(request, form=form, object=obj if pk else None), status=400)


class DuesViews(ModelViews):
    """ModelViews whose add/edit screens show service rule errors on the form."""

    namespace = "dues"

    @classmethod
    def urls(cls, prefix: str) -> list[URLPattern]:
        patterns = []
        for pattern in super().urls(prefix):
            if pattern.name in (f"{cls.name}_add", f"{cls.name}_edit"):
                pattern = path(str(pattern.pattern), ServiceEditView.as_view(spec=cls), name=pattern.name)
            patterns.append(pattern)
        return patterns


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
        Column("计算基数", "base"), Column("比例（%）", "rate_percent", 8), Column("月缴纳额", "monthly_amount"),
        Column("年中调整", "is_reassessment", 8), Column("调整原因", "reason", 24), Column("标准版本", "standard__code"),
    )
    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        components = list(DuesBaseComponent.objects.visible_to(request.user, "view").filter(assessment=obj)
                          .select_related("item"))
        breakdown = rules.compute_base(rules.BaseLine(c.item.name, c.amount, c.treatment, c.item.reason)
                                       for c in components)
        can_add = services.covers(request.user, "add", obj.member.org)
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
                     "branch_decision_ref", "status", "decided_by", "decided_on", "approval_ref")
    export_columns = (
        Column("姓名", "member__name", 10), Column("类别", "get_kind_display", 8),
        Column("起始月份", lambda r: month_label(r.from_month), 12),
        Column("结束月份", lambda r: month_label(r.to_month), 12), Column("减交后月缴纳额", "reduced_amount"),
        Column("原因", "reason", 30), Column("支部决定日期", "branch_decided_on", 12),
        Column("状态", "get_status_display"), Column("批复", "approval_ref", 24),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        parent = Organization.objects.get_parent(obj.member.org)  # scope-ok: tree lookup; covers() decides
        return {"can_decide": obj.status == ApprovalStatus.PENDING and parent is not None
                and services.covers(request.user, "change", parent)}


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
    return DuesPayment.objects.select_related("member", "org").annotate(  # scope-ok: scoped by ModelViews
        allocated=rules._money_sum("allocations__amount"))


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
        Column("计入月份金额", "allocated"), Column("缴纳日期", "paid_on", 12),
        Column("方式", "get_method_display", 8), Column("缴纳类型", "get_arrangement_display", 12),
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
        allocated = sum((a.amount for a in allocations), rules.ZERO)
        return {"allocations": allocations, "allocated": allocated, "unallocated": obj.amount - allocated,
                "can_void": services.covers(request.user, "delete", obj.org)}


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
    queryset = DuesBudget.objects.select_related("org").annotate(total=Sum("lines__amount"))
    table = BudgetTable
    filterset = BudgetFilterSet
    form = forms.BudgetForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "dues/budget_detail.html"
    detail_fields = ("org", "year", "status", "approved_on", "approval_ref", "note")
    export_columns = (
        Column("组织", "org__name", 26), Column("年度", "year", 6), Column("预算合计", "total"),
        Column("状态", "get_status_display", 8), Column("批准日期", "approved_on", 12),
    )
    related = (Related(_("Budget lines"), "dues:budgetline_list", "budget"),)

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        rows = rules.budget_vs_actual(obj.org, obj.year)
        return {
            "budget_rows": rows, "budget_total": sum((r.budget for r in rows), rules.ZERO),
            "actual_total": sum((r.actual for r in rows), rules.ZERO),
            "can_approve": obj.status == BudgetStatus.DRAFT and services.covers(request.user, "change", obj.org),
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
        return {"can_decide": obj.status == ApprovalStatus.PENDING and services.covers(request.user, "change", obj.org)
                and obj.requested_by_id != request.user.pk}


# --- helpers ----------------------------------------------------------------------------------


def _render_form(request: HttpRequest, form: Any, *, title: Any, submit: Any, intro: Any = "",
                 status: int = 200, method: str = "post") -> HttpResponse:
    return render(request, "dues/form.html", {"form": form, "title": title, "submit": submit, "intro": intro,
                                              "method": method}, status=status)


def _require_area(request: HttpRequest, action: str = "view") -> None:
    if scope_for(request.user, "dues", action).is_empty:
        raise Http404


def _list_url(name: str, **params: Any) -> str:
    return reverse(f"dues:{name}_list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


# --- home and the member's own page -----------------------------------------------------------


def index(request: HttpRequest) -> HttpResponse:
    """The dues workbench: what the user may do here, and, for a member, their own dues."""
    user: Any = request.user
    scope = scope_for(user, "dues", "view")
    if scope.is_empty:
        raise Http404
    officer = bool(scope.org_paths or scope.everything)
    today = timezone.localdate()
    unassessed = 0
    if officer and can(user, DuesAssessment, "add"):
        try:
            due = today.month >= rules.standard_in_force(today).assessment_month
        except rules.DuesRuleError:
            due = False
        if due:  # the yearly assessment (核定) is due from the standard's assessment month
            unassessed = forms.dues_members(user, "add").exclude(dues_assessments__year=today.year).count()
    return render(request, "dues/index.html", {
        "officer": officer, "can_add": can(user, DuesPayment, "add"), "unassessed": unassessed,
        "year": today.year, "can_config": can(user, DuesStandard, "view"), "is_member": bool(user.member_id),
    })


def mine(request: HttpRequest) -> HttpResponse:
    """A member's own assessment, bills and payments, and their branch's disclosure."""
    member_id = getattr(request.user, "member_id", None)
    if not member_id:
        raise Http404
    year = timezone.localdate().year
    bills = list(rules.with_paid(DuesBill.objects.visible_to(request.user, "view").filter(member_id=member_id))
                 .order_by("-month")[:36])
    payments = DuesPayment.objects.visible_to(request.user, "view").filter(member_id=member_id)\
        .prefetch_related(Prefetch("allocations", queryset=DuesAllocation.objects.select_related("bill")))[:36]
    assessments = DuesAssessment.objects.visible_to(request.user, "view").filter(member_id=member_id)[:6]
    member = Member.objects.visible_to(request.user, "view").select_related("org").filter(pk=member_id).first()
    for b in bills:
        b.paid = rules.cents(b.paid)
    rows = [(b, rules.PaymentState(rules.bill_state(b.amount_due, b.paid))) for b in bills]
    return render(request, "dues/mine.html", {
        "bills": rows, "payments": payments, "assessments": assessments, "member": member, "year": year,
        "outstanding": sum((b.amount_due - b.paid for b in bills if b.paid < b.amount_due), rules.ZERO),
    })


# --- assessment and import --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest) -> HttpResponse:
    """Assess a member for a year (or re-assess mid-year) from the base components."""
    _require_area(request, "add")
    initial: dict[str, Any] = {"year": timezone.localdate().year, "kind": "employed"}
    components_initial: list[dict[str, Any]] = []
    if request.method == "GET" and request.GET.get("from"):
        previous = get_scoped_or_404(request.user, DuesAssessment, "view", pk=request.GET["from"])
        initial.update(member=previous.member_id, year=previous.year, kind=previous.kind,
                       fixed=previous.fixed_amount_id)
        components_initial = [{"item": c.item_id, "amount": c.amount} for c in previous.components.all()]
    elif request.method == "GET" and request.GET.get("member", "").isdigit():
        initial["member"] = int(request.GET["member"])
    form = forms.AssessmentForm(request.POST or None, user=request.user, initial=initial)
    formset = forms.ComponentFormSet(request.POST or None, initial=components_initial or None,
                                     form_kwargs={"user": request.user}, prefix="c")
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            components = [services.ComponentInput(f.cleaned_data["item"], f.cleaned_data["amount"])
                          for f in formset.forms if f.cleaned_data.get("item")]
            try:
                assessment = services.assess_member(
                    actor=request.user, member=data["member"], year=data["year"], kind=data["kind"],
                    components=components, fixed=data.get("fixed"), fixed_amount=data.get("fixed_amount"),
                    effective_month=data.get("effective_month"), reason=data.get("reason", ""),
                    note=data.get("note", ""),
                )
            except rules.DuesRuleError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _g("Assessed: %(obj)s") % {"obj": assessment})
                return HttpResponseRedirect(AssessmentViews.url("detail", assessment))
    items = PayItem.objects.visible_to(request.user, "view").filter(is_active=True)
    return render(request, "dues/assess.html", {"form": form, "formset": formset, "items": items}, status=status)


@require_http_methods(["GET", "POST"])
def import_bases(request: HttpRequest) -> HttpResponse:
    """Upload a year's bases; every row is checked and nothing is written unless all are valid."""
    _require_area(request, "add")
    form = forms.ImportForm(request.POST or None, request.FILES or None,
                            initial={"year": timezone.localdate().year})
    report = None
    created: list[Any] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            report = imports.parse(form.cleaned_data["file"], year=form.cleaned_data["year"],
                                   members=forms.dues_members(request.user, "add").select_related("org"))
            if report.ok:
                try:
                    created = services.import_bases(actor=request.user, year=form.cleaned_data["year"],
                                                    rows=report.rows)
                except services.ImportError_ as exc:
                    report.errors.extend(exc.errors)
                else:
                    status = 200
                    messages.success(request, _g("Imported %(n)d assessments.") % {"n": len(created)})
    return render(request, "dues/import.html", {"form": form, "report": report, "created": created}, status=status)


def import_template(request: HttpRequest) -> HttpResponseBase:
    """The import workbook with the current pay items as columns."""
    _require_area(request, "add")
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "党费基数"
    ws.append(imports.template_headers())
    out = io.BytesIO()
    wb.save(out)
    return _attachment(out.getvalue(), "党费基数导入模板.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _attachment(content: bytes, filename: str, content_type: str) -> FileResponse:
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=content_type)


# --- bills and payments -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def generate_bills(request: HttpRequest) -> HttpResponse:
    _require_area(request, "add")
    form = forms.OrgMonthForm(request.POST or None, user=request.user,
                              initial={"month": rules.month_start(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        org, month = form.cleaned_data["org"], form.cleaned_data["month"]
        try:
            result = services.generate_bills(actor=request.user, org=org, month=month)
        except rules.DuesRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _g("%(created)d bills created, %(updated)d updated.") % {
                "created": result.created, "updated": result.updated})
            if result.missing:
                messages.warning(request, _g("Not assessed yet: %(names)s") % {
                    "names": "、".join(m.name for m in result.missing)})
            return HttpResponseRedirect(_list_url("bill", org=org.pk, month=month.isoformat()))
    return _render_form(request, form, title=_("Generate monthly bills"), submit=_("Generate"),
                        intro=_("Bills every active member of the branch for the month from their assessment; "
                                "running it again only brings existing bills up to date."),
                        status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def bulk_payments(request: HttpRequest) -> HttpResponse:
    """A month's payments of a whole branch on one screen, saved in one transaction."""
    _require_area(request, "add")
    picker = forms.OrgMonthForm(request.GET or None, user=request.user,
                                initial={"month": rules.month_start(timezone.localdate())})
    if not picker.is_valid():
        return _render_form(request, picker, title=_("Bulk entry of a month's payments"), submit=_("Open"),
                            method="get", status=400 if request.GET else 200)
    org, month = picker.cleaned_data["org"], picker.cleaned_data["month"]
    bills = {b.member_id: b for b in rules.with_paid(
        DuesBill.objects.visible_to(request.user, "add").filter(org=org, month=month))}
    members = list(forms.dues_members(request.user, "add").filter(org=org).order_by("name"))
    assessed: dict[int, Any] = {}
    for a in DuesAssessment.objects.visible_to(request.user, "view").filter(
            member__in=members, year=month.year, effective_month__lte=month).order_by("effective_month"):
        assessed[a.member_id] = a.monthly_amount  # the latest effective wins; the bill is made on payment
    initial = [{"member": m.pk, "paid": False,
                "amount": (bills[m.pk].amount_due - bills[m.pk].paid) if m.pk in bills else assessed.get(m.pk)}
               for m in members]
    header = forms.BulkHeaderForm(request.POST or None, user=request.user, org=org)
    formset = forms.BulkRowFormSet(request.POST or None, initial=initial, prefix="r")
    status = 200
    if request.method == "POST":
        status = 400
        by_id = {m.pk: m for m in members}
        if header.is_valid() and formset.is_valid():
            rows = []
            for f in formset.forms:
                data = f.cleaned_data
                if not data.get("paid"):
                    continue
                member = by_id.get(data["member"])
                if member is None:
                    raise Http404
                rows.append(services.BulkRow(member, data["amount"], header.cleaned_data["paid_on"], data["method"],
                                             data.get("receipt_number", ""), data.get("proxy_payer", "")))
            if not rows:
                header.add_error(None, _g("Tick at least one member who paid."))
            else:
                try:
                    results = services.record_bulk_payments(
                        actor=request.user, org=org, month=month, rows=rows, batch_key=header.cleaned_data["token"],
                        collector=header.cleaned_data.get("collector"))
                except services.BulkPaymentError as exc:
                    for f in formset.forms:
                        if f.cleaned_data.get("member") in exc.errors:
                            f.add_error(None, exc.errors[f.cleaned_data["member"]])
                    header.add_error(None, _g("Nothing was saved: correct the marked rows and save again."))
                except rules.DuesRuleError as exc:
                    header.add_error(None, str(exc))
                else:
                    new = sum(1 for r in results if r.created)
                    messages.success(request, _g("Recorded %(n)d payments for %(month)s.") % {
                        "n": new, "month": month_label(month)})
                    return HttpResponseRedirect(_list_url("bill", org=org.pk, month=month.isoformat()))
    lines = []
    for member, f in zip(members, formset.forms, strict=False):
        bill = bills.get(member.pk)
        if bill is not None:
            bill.paid = rules.cents(bill.paid)
        state = rules.PaymentState(rules.bill_state(bill.amount_due, bill.paid)) if bill else None
        lines.append((member, bill, state, f))
    return render(request, "dues/bulk.html", {"org": org, "month": month, "month_text": month_label(month),
                                              "header": header, "formset": formset, "lines": lines}, status=status)


# --- arrears ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def arrears(request: HttpRequest) -> HttpResponse:
    """Members with unpaid months; reminders from 3 months; a scan puts 6-month runs to the branch."""
    _require_area(request, "view")
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = forms.ArrearsForm(data, user=request.user, initial={"as_of": timezone.localdate()})
    rows: list[rules.Arrears] = []
    standard = None
    if form.is_valid():
        org, as_of = form.cleaned_data["org"], form.cleaned_data["as_of"]
        standard = rules.standard_in_force(as_of)
        if request.method == "POST":
            try:
                result = services.scan_arrears(actor=request.user, org=org, as_of=as_of)
            except rules.DuesRuleError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _g("%(warn)d members to remind; %(opened)d new decision items for the "
                                             "branch.") % {"warn": len(result.warnings), "opened": len(result.opened)})
            return HttpResponseRedirect(reverse("dues:arrears") + "?" + urlencode(
                {"org": org.pk, "as_of": as_of.isoformat()}))
        bills = DuesBill.objects.visible_to(request.user, "view").filter(org__path__startswith=org.path)
        rows = sorted(rules.arrears(bills, as_of), key=lambda a: (-a.consecutive, a.member.name))
    open_cases = set(ArrearsCase.objects.visible_to(request.user, "view").filter(status=CaseStatus.OPEN)
                     .values_list("member_id", flat=True))
    return render(request, "dues/arrears.html", {
        "form": form, "rows": rows, "standard": standard, "open_cases": open_cases,
        "can_scan": form.is_valid() and services.covers(request.user, "change", form.cleaned_data["org"]),
    }, status=400 if form.errors and request.GET else 200)


# --- statements, remittance, reconciliation ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def close_statement(request: HttpRequest) -> HttpResponse:
    _require_area(request, "change")
    form = forms.OrgMonthForm(request.POST or None, user=request.user, action="change",
                              initial={"month": rules.add_months(rules.month_start(timezone.localdate()), -1)})
    if request.method == "POST" and form.is_valid():
        try:
            statement = services.close_statement(actor=request.user, org=form.cleaned_data["org"],
                                                 month=form.cleaned_data["month"])
        except rules.DuesRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _g("Statement closed: %(obj)s") % {"obj": statement})
            return HttpResponseRedirect(StatementViews.url("detail", statement))
    return _render_form(request, form, title=_("Close a monthly statement"), submit=_("Close the statement"),
                        intro=_("Records the month's totals as they stand now. Payments recorded later show up "
                                "in the reconciliation."), status=400 if form.errors else 200)


def statement_report(request: HttpRequest) -> HttpResponse:
    """Collection per branch and month under an organization: every total links to its entries."""
    _require_area(request, "view")
    form = forms.OrgPeriodForm(request.GET or None, user=request.user)
    table: list[dict[str, Any]] = []
    totals = {"due": rules.ZERO, "collected": rules.ZERO}
    if form.is_valid():
        org, first, last = form.cleaned_data["org"], form.cleaned_data["first"], form.cleaned_data["last"]
        from django.db.models.functions import TruncMonth

        due = (DuesBill.objects.visible_to(request.user, "view").filter(
            org__path__startswith=org.path, month__gte=first, month__lte=last)
            .values("org_id", "month").annotate(total=rules._money_sum("amount_due"), n=Sum(rules.Value(1))))
        paid = (DuesPayment.objects.visible_to(request.user, "view").filter(
            org__path__startswith=org.path, paid_on__gte=first, paid_on__lte=rules.month_end(last))
            .annotate(m=TruncMonth("paid_on")).values("org_id", "m").annotate(total=rules._money_sum("amount")))
        cells: dict[tuple[int, dt.date], dict[str, Any]] = {}
        for row in due:
            cells.setdefault((row["org_id"], row["month"]), {})["due"] = rules.cents(row["total"])
        for row in paid:
            month = row["m"].date() if isinstance(row["m"], dt.datetime) else row["m"]
            cells.setdefault((row["org_id"], month), {})["collected"] = rules.cents(row["total"])
        orgs = Organization.objects.visible_to(request.user, "view").in_bulk({k[0] for k in cells})
        for (org_id, month), values in sorted(cells.items(), key=lambda kv: (orgs[kv[0][0]].path, kv[0][1])):
            d, c = values.get("due", rules.ZERO), values.get("collected", rules.ZERO)
            totals["due"] += d
            totals["collected"] += c
            table.append({
                "org": orgs[org_id], "month": month_label(month), "due": d, "collected": c, "diff": c - d,
                "due_url": _list_url("bill", org=org_id, month=month.isoformat()),
                "collected_url": _list_url("payment", org=org_id, paid_from=month.isoformat(),
                                           paid_to=rules.month_end(month).isoformat()),
            })
    return render(request, "dues/statement_report.html", {"form": form, "table": table, "totals": totals})


def reconciliation(request: HttpRequest) -> HttpResponse:
    """Member payments = branch statements = remittances, to the cent; differences listed."""
    _require_area(request, "view")
    form = forms.OrgPeriodForm(request.GET or None, user=request.user)
    result = None
    if form.is_valid():
        result = rules.reconciliation(form.cleaned_data["org"], form.cleaned_data["first"], form.cleaned_data["last"])
    return render(request, "dues/reconciliation.html", {"form": form, "result": result})


# --- budget, care fund ------------------------------------------------------------------------


def budget_report(request: HttpRequest) -> HttpResponse:
    """Budget vs actual by category, and the care fund's own balance."""
    _require_area(request, "view")
    form = forms.OrgYearForm(request.GET or None, user=request.user, initial={"year": timezone.localdate().year})
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        org, year = form.cleaned_data["org"], form.cleaned_data["year"]
        rows = rules.budget_vs_actual(org, year)
        context.update(
            org=org, year=year, rows=rows, fund=rules.care_fund(org, year),
            budget_total=sum((r.budget for r in rows), rules.ZERO), actual_total=sum((r.actual for r in rows), rules.ZERO),
            spending_url=lambda category: _list_url("spending", org=org.pk, category=category.pk, year=year,
                                                     status="approved"),
        )
        context["rows"] = [(r, _list_url("spending", org=org.pk, category=r.category.pk, year=year,
                                         status="approved")) for r in rows]
        context["care_url"] = _list_url("spending", org=org.pk, year=year, status="approved", from_care_fund="true")
    return render(request, "dues/budget_report.html", context)


@require_http_methods(["GET", "POST"])
def relief_decide(request: HttpRequest, pk: int) -> HttpResponse:
    relief = get_scoped_or_404(request.user, HardshipRelief.objects.select_related("member__org"),  # scope-ok: scoped
                               "view", pk=pk)
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_relief(actor=request.user, relief=relief, approve=form.cleaned_data["approve"],
                                   approval_ref=form.cleaned_data["reference"],
                                   decided_on=form.cleaned_data["decided_on"])
        except rules.DuesRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _g("Decision recorded."))
            return HttpResponseRedirect(ReliefViews.url("detail", relief))
    return _render_form(request, form, title=_("Approve a hardship relief: %(obj)s") % {"obj": relief},
                        submit=_("Record the decision"), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def spending_decide(request: HttpRequest, pk: int) -> HttpResponse:
    spending = get_scoped_or_404(request.user, DuesSpending.objects.select_related("org"),  # scope-ok: scoped
                                 "change", pk=pk)
    form = forms.DecisionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_spending(actor=request.user, spending=spending, approve=form.cleaned_data["approve"],
                                     decision_ref=form.cleaned_data["reference"],
                                     decided_on=form.cleaned_data["decided_on"])
        except rules.DuesRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _g("Decision recorded."))
            return HttpResponseRedirect(SpendingViews.url("detail", spending))
    return _render_form(request, form, title=_("Approve spending: %(obj)s") % {"obj": spending},
                        submit=_("Record the decision"), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def payment_void(request: HttpRequest, pk: int) -> HttpResponse:
    """Undo a payment entered by mistake (before its month is closed or remitted), with a reason."""
    payment = get_scoped_or_404(request.user, DuesPayment.objects.select_related("org"),  # scope-ok: scoped
                                "delete", pk=pk)
    form = forms.VoidForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.void_payment(actor=request.user, payment=payment, reason=form.cleaned_data["reason"])
        except rules.DuesRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _g("Payment voided: %(obj)s") % {"obj": payment})
            return HttpResponseRedirect(reverse("dues:payment_list"))
    return _render_form(request, form, title=_("Void a payment: %(obj)s") % {"obj": payment}, submit=_("Void"),
                        intro=_("Only for a payment entered by mistake, before its month's statement is closed "
                                "and the money remitted. The payment and its allocations are removed; the audit "
                                "log keeps them with your reason."), status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def budget_approve(request: HttpRequest, pk: int) -> HttpResponse:
    budget = get_scoped_or_404(request.user, DuesBudget, "change", pk=pk)
    form = forms.BudgetApprovalForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.approve_budget(actor=request.user, budget=budget, approved_on=form.cleaned_data["decided_on"],
                                    approval_ref=form.cleaned_data["reference"])
        except rules.DuesRuleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _g("Budget approved."))
            return HttpResponseRedirect(BudgetViews.url("detail", budget))
    return _render_form(request, form, title=_("Approve the budget: %(obj)s") % {"obj": budget},
                        submit=_("Approve"), status=400 if form.errors else 200)


# --- disclosure -------------------------------------------------------------------------------


def _own_member(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.member_id:
        return None
    return Member.objects.visible_to(user, "view").select_related("org").filter(pk=user.member_id).first()


def _disclosure_form(request: HttpRequest, data: Any, own: Any) -> forms.OrgPeriodForm:
    """Organizations in the user's dues scope, plus a member's own branch (members see its disclosure)."""
    if scope_for(request.user, "dues", "view").is_empty and own is None:
        raise Http404
    form = forms.OrgPeriodForm(data, user=request.user)
    if own is not None:
        field: Any = form.fields["org"]
        field.queryset = (field.queryset | Organization.objects.visible_to(request.user, "view")
                          .filter(pk=own.org_id)).distinct()
    return form


def disclosure(request: HttpRequest) -> HttpResponse:
    """收支公示: income and spending of an organization for a period, with .xlsx and Word downloads."""
    own = _own_member(request)
    data: Any = request.GET or None
    if data is None and own is not None:
        year = timezone.localdate().year
        data = {"org": own.org_id, "first": f"{year}-01", "last": f"{year}-12"}
    form = _disclosure_form(request, data, own)
    figures = rules.disclosure(form.cleaned_data["org"], form.cleaned_data["first"], form.cleaned_data["last"]) \
        if form.is_valid() else None
    query = urlencode(dict(form.data.items())) if form.is_bound else ""
    return render(request, "dues/disclosure.html", {"form": form, "d": figures, "query": query})


def _disclosure_figures(request: HttpRequest) -> rules.Disclosure:
    form = _disclosure_form(request, request.GET or None, _own_member(request))
    if not form.is_valid():
        raise Http404
    return rules.disclosure(form.cleaned_data["org"], form.cleaned_data["first"], form.cleaned_data["last"])


def _audit_download(d: rules.Disclosure, kind: str) -> None:
    with transaction.atomic():
        audit.record("export", obj=d.org, object_type="dues.disclosure",
                     object_repr=f"{d.org} 党费收支公示 {d.period_label}", changes={"format": kind})


def disclosure_xlsx(request: HttpRequest) -> HttpResponseBase:
    d = _disclosure_figures(request)
    _audit_download(d, "xlsx")
    return _attachment(documents.xlsx_bytes(d), f"{d.org.name}党费收支公示-{d.first:%Y%m}-{d.last:%Y%m}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def disclosure_docx(request: HttpRequest) -> HttpResponseBase:
    d = _disclosure_figures(request)
    _audit_download(d, "docx")
    return _attachment(documents.render_docx(d), f"{d.org.name}党费收支公示-{d.first:%Y%m}-{d.last:%Y%m}.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def default_template(request: HttpRequest) -> HttpResponseBase:
    """The built-in Word template, to edit in Word and upload as the organization's own."""
    if scope_for(request.user, "config", "view").is_empty:
        raise Http404
    return _attachment(documents.DEFAULT_TEMPLATE.read_bytes(), "党费收支公示模板.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
