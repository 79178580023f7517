"""The dues reports: collection per branch and month, reconciliation, budget vs actual, and
the disclosure (收支公示) with its downloads. Every figure comes from :mod:`dangjian.dues.rules`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import urlencode

from dangjian.core import audit
from dangjian.core.scoping import scope_for
from dangjian.dues import documents, forms, rules
from dangjian.dues.models import DuesBill, DuesPayment, month_label
from dangjian.dues.views.helpers import attachment, list_url, require_area
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


def statement_report(request: HttpRequest) -> HttpResponse:
    """Collection per branch and month under an organization: every total links to its entries."""
    require_area(request, "view")
    form = forms.OrgPeriodForm(request.GET or None, user=request.user)
    table: list[dict[str, Any]] = []
    totals = {"due": rules.ZERO, "collected": rules.ZERO}
    if form.is_valid():
        org, first, last = form.cleaned_data["org"], form.cleaned_data["first"], form.cleaned_data["last"]
        result = rules.collection(
            bills=DuesBill.objects.visible_to(request.user, "view"),
            payments=DuesPayment.objects.visible_to(request.user, "view"),
            orgs=Organization.objects.visible_to(request.user, "view"), root=org, first=first, last=last)
        totals = {"due": result.due, "collected": result.collected}
        table = [{
            "org": cell.org, "month": month_label(cell.month), "due": cell.due, "collected": cell.collected,
            "diff": cell.diff, "due_url": list_url("bill", org=cell.org.pk, month=cell.month.isoformat()),
            "collected_url": list_url("payment", org=cell.org.pk, paid_from=cell.month.isoformat(),
                                      paid_to=rules.month_end(cell.month).isoformat()),
        } for cell in result.cells]
    return render(request, "dues/statement_report.html", {"form": form, "table": table, "totals": totals})


def reconciliation(request: HttpRequest) -> HttpResponse:
    """Member payments = branch statements = remittances, to the cent; differences listed."""
    require_area(request, "view")
    form = forms.OrgPeriodForm(request.GET or None, user=request.user)
    result = None
    if form.is_valid():
        result = rules.reconciliation(form.cleaned_data["org"], form.cleaned_data["first"], form.cleaned_data["last"])
    return render(request, "dues/reconciliation.html", {"form": form, "result": result})


# --- budget, care fund ------------------------------------------------------------------------


def budget_report(request: HttpRequest) -> HttpResponse:
    """Budget vs actual by category, and the care fund's own balance."""
    require_area(request, "view")
    form = forms.OrgYearForm(request.GET or None, user=request.user, initial={"year": timezone.localdate().year})
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        org, year = form.cleaned_data["org"], form.cleaned_data["year"]
        summary = rules.budget_summary(org, year)
        rows = summary.rows
        context.update(
            org=org, year=year, rows=rows, fund=rules.care_fund(org, year),
            budget_total=summary.budget, actual_total=summary.actual,
            spending_url=lambda category: list_url("spending", org=org.pk, category=category.pk, year=year,
                                                     status="approved"),
        )
        context["rows"] = [(r, list_url("spending", org=org.pk, category=r.category.pk, year=year,
                                         status="approved")) for r in rows]
        context["care_url"] = list_url("spending", org=org.pk, year=year, status="approved", from_care_fund="true")
    return render(request, "dues/budget_report.html", context)

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
    return attachment(documents.xlsx_bytes(d), f"{d.org.name}党费收支公示-{d.first:%Y%m}-{d.last:%Y%m}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def disclosure_docx(request: HttpRequest) -> HttpResponseBase:
    d = _disclosure_figures(request)
    _audit_download(d, "docx")
    return attachment(documents.render_docx(d), f"{d.org.name}党费收支公示-{d.first:%Y%m}-{d.last:%Y%m}.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")


def default_template(request: HttpRequest) -> HttpResponseBase:
    """The built-in Word template, to edit in Word and upload as the organization's own."""
    if scope_for(request.user, "config", "view").is_empty:
        raise Http404
    return attachment(documents.DEFAULT_TEMPLATE.read_bytes(), "党费收支公示模板.docx",
                       "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
