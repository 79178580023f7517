"""Care fund screens: the generic declarations, the fund statement (screen, Excel, Word) and
the audited view of a beneficiary's circumstances."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import urlencode

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from dangjian.care import documents, forms, rules, services
from dangjian.care.filtersets import CareReasonFilterSet, DonationFilterSet, VisitFilterSet
from dangjian.care.models import CareDonation, CareReason, CareVisit
from dangjian.care.tables import CareReasonTable, DonationTable, VisitTable
from dangjian.core import audit
from dangjian.core.approvals import can_decide, can_withdraw
from dangjian.core.excel import Column
from dangjian.core.scoping import get_scoped_or_404, scope_for
from dangjian.core.views import ModelViews


class CareReasonViews(ModelViews):
    model = CareReason
    name = "reason"
    namespace = "care"
    table = CareReasonTable
    filterset = CareReasonFilterSet
    form = forms.CareReasonForm
    actions = ("list", "detail", "add", "edit")  # a rules table: committee staff hold no export in "config"
    detail_fields = ("code", "name", "description", "order", "is_active")
    export_columns = (Column(_("code"), "code"), Column(_("name"), "name", 20),
                      Column(_("description"), "description", 40), Column(_("active"), "is_active", 8))


class DonationViews(ModelViews):
    model = CareDonation
    name = "donation"
    namespace = "care"
    queryset = CareDonation.objects.select_related("org", "member")
    table = DonationTable
    filterset = DonationFilterSet
    form = forms.DonationForm
    actions = ("list", "detail", "add", "export")
    detail_fields = ("org", "donor", "member", "amount", "received_on", "receipt_number", "note")
    export_columns = (
        Column(_("organization"), "org__name", 26), Column(_("received on"), "received_on", 12),
        Column(_("donor"), "donor", 16), Column(_("amount"), "amount"), Column(_("receipt number"), "receipt_number"),
        Column(_("note"), "note", 30),
    )


class VisitViews(ModelViews):
    model = CareVisit
    name = "visit"
    namespace = "care"
    queryset = CareVisit.objects.select_related("org", "beneficiary", "reason", "requested_by", "decided_by")
    list_defer = ("circumstances", "notes")
    table = VisitTable
    filterset = VisitFilterSet
    form = forms.VisitForm
    actions = ("list", "detail", "add", "edit", "export")
    detail_template = "care/visit_detail.html"
    detail_fields = ("org", "beneficiary", "reason", "visited_on", "amount", "items", "visitor", "notes", "status",
                     "requested_by", "decided_by", "decided_on", "decision_ref")
    # the circumstances are never exported
    export_columns = (
        Column(_("organization (fund)"), "org__name", 26), Column(_("visit date"), "visited_on", 12),
        Column(_("beneficiary"), "beneficiary__name", 12), Column(_("reason"), "reason__name", 16),
        Column(_("amount"), "amount"), Column(_("items given"), "items", 24), Column(_("visited by"), "visitor", 14),
        Column(_("status"), "get_status_display", 10), Column(_("collective decision (meeting, minutes)"),
                                                                "decision_ref", 24),
    )

    @classmethod
    def detail_context(cls, request: HttpRequest, obj: Any) -> dict[str, Any]:
        return {"can_decide": can_decide(request.user, obj), "can_withdraw": can_withdraw(request.user, obj),
                "can_reveal": bool(obj.circumstances) and services.can_see_circumstances(request.user, obj)}


@require_GET
def circumstances(request: HttpRequest, pk: int) -> HttpResponse:
    """The beneficiary's circumstances, for holders of the reveal right only; audited."""
    visit = get_scoped_or_404(request.user, VisitViews.get_queryset(request), "reveal", pk=pk)
    text = services.reveal_circumstances(actor=request.user, visit=visit)
    template = "care/_circumstances.html" if getattr(request, "htmx", False) else "care/circumstances.html"
    return render(request, template, {"object": visit, "text": text})


def _list_url(name: str, **params: Any) -> str:
    return reverse(f"care:{name}_list") + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def _statement(request: HttpRequest) -> tuple[forms.StatementForm, rules.FundStatement | None]:
    if scope_for(request.user, "care", "view").is_empty:
        raise Http404
    form = forms.StatementForm(request.GET or None, user=request.user, initial={"year": timezone.localdate().year})
    if not form.is_valid():
        return form, None
    return form, rules.fund(form.cleaned_data["org"], form.cleaned_data["year"])


@require_GET
def statement(request: HttpRequest) -> HttpResponse:
    """The fund of an organization for a year: every line, each opening into its rows."""
    form, fund = _statement(request)
    context: dict[str, Any] = {"form": form, "fund": fund}
    if fund is not None:
        org, year = fund.org, fund.year
        context.update(
            labels=documents.line_labels(), reasons=rules.reason_totals(fund),
            donations_url=_list_url("donation", org=org.pk, year=year),
            visits_url=_list_url("visit", org=org.pk, year=year, status="approved"),
            dues_spending_url=reverse("dues:spending_list") + "?" + urlencode(
                {"org": org.pk, "year": year, "status": "approved", "from_care_fund": "true"}),
            query=request.GET.urlencode(),
        )
    return render(request, "care/statement.html", context, status=400 if form.errors else 200)


def _download(request: HttpRequest, kind: str) -> HttpResponseBase:
    form, fund = _statement(request)
    if fund is None:
        return statement(request)
    if scope_for(request.user, "care", "export").is_empty:
        raise Http404
    audit_export(fund, kind)
    name = f"care-fund-{fund.org.code or fund.org.pk}-{fund.year}"
    if kind == "docx":
        content = documents.statement_document(fund)
        mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    else:
        content = documents.statement_workbook(fund)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{name}.{kind}", content_type=mime)


def audit_export(fund: rules.FundStatement, kind: str) -> None:
    """Record the download of a statement (object type ``care.statement``)."""
    with transaction.atomic():
        audit.record("export", object_type="care.statement", object_repr=documents.title(fund),
                     changes={"org": fund.org.pk, "year": fund.year, "format": kind})


@require_GET
def statement_xlsx(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "xlsx")


@require_GET
def statement_docx(request: HttpRequest) -> HttpResponseBase:
    return _download(request, "docx")
