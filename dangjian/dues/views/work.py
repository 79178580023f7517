"""The dues work screens: the workbench and the member's own page, assessment and import,
bills and bulk payment entry, arrears, and closing a month's statement."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_http_methods

from dangjian.core.errors import RuleError, add_to_form, as_message, on_form
from dangjian.core.scoping import covers, get_scoped_or_404, scope_for
from dangjian.core.views import can
from dangjian.dues import forms, rules, services
from dangjian.dues.choices import CaseStatus
from dangjian.dues.models import (
    ArrearsCase,
    DuesAllocation,
    DuesAssessment,
    DuesBill,
    DuesPayment,
    DuesStandard,
    PayItem,
    PaymentOrder,
    month_label,
)
from dangjian.dues.payments import services as online
from dangjian.dues.views import declarations
from dangjian.dues.views.helpers import list_url, render_form, require_area
from dangjian.members.models import Member

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
        except RuleError:  # no standard set up yet
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
    gateway = online.active_gateway()
    orders = PaymentOrder.objects.visible_to(request.user, "view").filter(member_id=member_id)[:12]
    return render(request, "dues/mine.html", {
        "bills": rows, "payments": payments, "assessments": assessments, "member": member, "year": year,
        "outstanding": rules.outstanding(bills), "gateway": gateway, "orders": orders,
        "pay_token": forms.issue_token(request.user) if gateway else "",
    })


# --- assessment and import --------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def assess(request: HttpRequest) -> HttpResponse:
    """Assess a member for a year (or re-assess mid-year) from the base components."""
    require_area(request, "add")
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
            with on_form(form):
                assessment = services.assess_member(
                    actor=request.user, member=data["member"], year=data["year"], kind=data["kind"],
                    components=components, fixed=data.get("fixed"), fixed_amount=data.get("fixed_amount"),
                    effective_month=data.get("effective_month"), reason=data.get("reason", ""),
                    note=data.get("note", ""),
                )
                messages.success(request, gettext("Assessed: %(obj)s") % {"obj": assessment})
                return HttpResponseRedirect(declarations.AssessmentViews.url("detail", assessment))
    items = PayItem.objects.visible_to(request.user, "view").filter(is_active=True)
    return render(request, "dues/assess.html", {"form": form, "formset": formset, "items": items}, status=status)


# --- bills and payments -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def generate_bills(request: HttpRequest) -> HttpResponse:
    require_area(request, "add")
    form = forms.OrgMonthForm(request.POST or None, user=request.user,
                              initial={"month": rules.month_start(timezone.localdate())})
    if request.method == "POST" and form.is_valid():
        org, month = form.cleaned_data["org"], form.cleaned_data["month"]
        with on_form(form):
            result = services.generate_bills(actor=request.user, org=org, month=month)
            messages.success(request, gettext("%(created)d bills created, %(updated)d updated.") % {
                "created": result.created, "updated": result.updated})
            if result.missing:
                messages.warning(request, gettext("Not assessed yet: %(names)s") % {
                    "names": "、".join(m.name for m in result.missing)})
            return HttpResponseRedirect(list_url("bill", org=org.pk, month=month.isoformat()))
    return render_form(request, form, title=gettext("Generate monthly bills"), submit=gettext("Generate"),
                        intro=gettext("Bills every active member of the branch for the month from their assessment; "
                                "running it again only brings existing bills up to date."),
                        status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def bulk_payments(request: HttpRequest) -> HttpResponse:
    """A month's payments of a whole branch on one screen, saved in one transaction."""
    require_area(request, "add")
    picker = forms.OrgMonthForm(request.GET or None, user=request.user,
                                initial={"month": rules.month_start(timezone.localdate())})
    if not picker.is_valid():
        return render_form(request, picker, title=gettext("Bulk entry of a month's payments"), submit=pgettext("open a form", "Open"),
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
                "amount": rules.left_to_pay(bills[m.pk]) if m.pk in bills else assessed.get(m.pk)}
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
                header.add_error(None, gettext("Tick at least one member who paid."))
            else:
                try:
                    results = services.record_bulk_payments(
                        actor=request.user, org=org, month=month, rows=rows, batch_key=header.cleaned_data["token"],
                        collector=header.cleaned_data.get("collector"))
                except services.BulkPaymentError as exc:
                    for f in formset.forms:
                        if f.cleaned_data.get("member") in exc.errors:
                            f.add_error(None, exc.errors[f.cleaned_data["member"]])
                    header.add_error(None, gettext("Nothing was saved: correct the marked rows and save again."))
                except RuleError as exc:
                    add_to_form(header, exc)
                else:
                    new = sum(1 for r in results if r.created)
                    messages.success(request, gettext("Recorded %(n)d payments for %(month)s.") % {
                        "n": new, "month": month_label(month)})
                    return HttpResponseRedirect(list_url("bill", org=org.pk, month=month.isoformat()))
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
    require_area(request, "view")
    data = request.POST if request.method == "POST" else (request.GET or None)
    form = forms.ArrearsForm(data, user=request.user, initial={"as_of": timezone.localdate()})
    rows: list[rules.Arrears] = []
    standard = None
    if form.is_valid():
        org, as_of = form.cleaned_data["org"], form.cleaned_data["as_of"]
        standard = rules.standard_in_force(as_of)
        if request.method == "POST":
            with as_message(request):
                result = services.scan_arrears(actor=request.user, org=org, as_of=as_of)
                messages.success(request, gettext("%(warn)d members to remind; %(opened)d new decision items for the "
                                             "branch.") % {"warn": len(result.warnings), "opened": len(result.opened)})
            return HttpResponseRedirect(reverse("dues:arrears") + "?" + urlencode(
                {"org": org.pk, "as_of": as_of.isoformat()}))
        bills = DuesBill.objects.visible_to(request.user, "view").filter(org__path__startswith=org.path)
        rows = sorted(rules.arrears(bills, as_of), key=lambda a: (-a.consecutive, a.member.name))
    open_cases = set(ArrearsCase.objects.visible_to(request.user, "view").filter(status=CaseStatus.OPEN)
                     .values_list("member_id", flat=True))
    return render(request, "dues/arrears.html", {
        "form": form, "rows": rows, "standard": standard, "open_cases": open_cases,
        "can_scan": form.is_valid() and covers(request.user, "dues", "change", form.cleaned_data["org"]),
    }, status=400 if form.errors and request.GET else 200)


# --- statements, remittance, reconciliation ---------------------------------------------------


@require_http_methods(["GET", "POST"])
def close_statement(request: HttpRequest) -> HttpResponse:
    require_area(request, "change")
    form = forms.OrgMonthForm(request.POST or None, user=request.user, action="change",
                              initial={"month": rules.add_months(rules.month_start(timezone.localdate()), -1)})
    if request.method == "POST" and form.is_valid():
        with on_form(form):
            statement = services.close_statement(actor=request.user, org=form.cleaned_data["org"],
                                                 month=form.cleaned_data["month"])
            messages.success(request, gettext("Statement closed: %(obj)s") % {"obj": statement})
            return HttpResponseRedirect(declarations.StatementViews.url("detail", statement))
    return render_form(request, form, title=gettext("Close a monthly statement"), submit=gettext("Close the statement"),
                        intro=gettext("Records the month's totals as they stand now. Payments recorded later show up "
                                "in the reconciliation."), status=400 if form.errors else 200)
