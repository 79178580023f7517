"""The workflow screens: filing (open, submit, review, attachments, completion matrix), the
coverage planner, inspection stages, finding confirmation, rectification to 销号."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import attachments
from dangjian.core.documents import DOCX
from dangjian.core.errors import RuleError, as_message
from dangjian.core.periods import year_from_query
from dangjian.core.scoping import chosen_subtree, covers, get_scoped_or_404, orgs_where
from dangjian.orgs.models import Organization
from dangjian.supervision import coverage
from dangjian.supervision.models import (
    Area7,
    Filing,
    FilingAttachment,
    FilingStatus,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionRectification,
    Mistake,
    RectificationEvidence,
    Stage,
)
from dangjian.supervision.services import filings as filing_services
from dangjian.supervision.services import inspection as services
from dangjian.supervision.views import FilingViews, FindingViews, InspectionViews, RectificationViews

ALLOWED = "pdf,docx,xlsx,jpg,png,txt"
MAX_MB = 10


# --- filings ------------------------------------------------------------------------------


def filing_context(request: HttpRequest, filing: Filing) -> dict[str, Any]:
    user = request.user
    may_file = covers(user, "filings", "change", filing.org) and filing.status in (FilingStatus.DRAFT,
                                                                                   FilingStatus.RETURNED)
    may_review = filing.status == FilingStatus.SUBMITTED and filing_services.may_review(user, filing)
    return {
        "items": filing.items.select_related("requirement", "mistake"),
        "rounds": filing.rounds.select_related("submitted_by", "decided_by"),
        "files": filing.attachments.all(),
        "may_file": may_file and not may_review,
        "may_review": may_review,
        "mistakes": Mistake.objects.visible_to(user, "view").only("pk", "title") if may_review else [],
    }


@require_POST
def filing_open(request: HttpRequest) -> HttpResponse:
    org = get_scoped_or_404(request.user, orgs_where(request.user, "filings", "add"), "view",
                            pk=request.POST.get("org") or 0)
    try:
        year, quarter = int(request.POST.get("year", "")), int(request.POST.get("quarter", ""))
    except ValueError as exc:
        raise Http404 from exc
    with as_message(request) as failed:
        filing = filing_services.open_filing(actor=request.user, org=org, year=year, quarter=quarter)
    if failed:
        return HttpResponseRedirect(FilingViews.url("list"))
    return HttpResponseRedirect(FilingViews.url("detail", filing))


@require_POST
def filing_submit(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_scoped_or_404(request.user, Filing.objects.select_related("org"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    texts = {int(k.removeprefix("item_")): str(v) for k, v in request.POST.items()
             if k.startswith("item_") and k.removeprefix("item_").isdigit()}
    with as_message(request):
        filing_services.submit(actor=request.user, filing=filing, texts=texts, note=request.POST.get("note", ""))
        messages.success(request, gettext("Filed; the level above will review it."))
    return HttpResponseRedirect(FilingViews.url("detail", filing))


@require_POST
def filing_review(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_scoped_or_404(request.user, Filing.objects.select_related("org"), "change", pk=pk)  # scope-ok: get_scoped_or_404
    returns: dict[int, tuple[str, int | None]] = {}
    if request.POST.get("decision") == "return":
        for key in request.POST:
            if key.startswith("return_") and key.removeprefix("return_").isdigit():
                pk_item = int(key.removeprefix("return_"))
                mistake = request.POST.get(f"mistake_{pk_item}", "")
                returns[pk_item] = (request.POST.get(f"comment_{pk_item}", ""), int(mistake) if mistake.isdigit() else None)
        if not returns:
            messages.error(request, gettext("Tick the items to return and say what must be corrected."))
            return HttpResponseRedirect(FilingViews.url("detail", filing))
    with as_message(request):
        filing = filing_services.review(actor=request.user, filing=filing, returns=returns)
        messages.success(request, gettext("Returned for correction.") if returns else gettext("Accepted."))
    return HttpResponseRedirect(FilingViews.url("detail", filing))


@require_POST
def filing_attachment_upload(request: HttpRequest, pk: int) -> HttpResponse:
    filing = get_scoped_or_404(request.user, Filing, "change", pk=pk)
    upload = request.FILES.get("file")
    with as_message(request):
        if upload is None:
            raise RuleError(gettext("Choose a file."), field="file")
        attachments.store(FilingAttachment(filing=filing), upload, actor=request.user,
                          allowed=attachments.extensions(ALLOWED), max_mb=MAX_MB)
    return HttpResponseRedirect(FilingViews.url("detail", filing))


@require_GET
def filing_attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    return attachments.serve(request, FilingAttachment, pk)


@require_GET
def filing_matrix(request: HttpRequest) -> HttpResponse:
    """Per-quarter completion by organization, like the meetings compliance matrix."""
    today = timezone.localdate()
    year = year_from_query(request.GET.get("year"), today.year)
    org_id = request.GET.get("org")
    paths, chosen = chosen_subtree(request.user, "filings",
                                   int(org_id) if org_id and org_id.isdigit() and len(org_id) < 10 else None,
                                   "change")
    from django.db.models import Q

    kinds = set(filing_services.FilingRequirement.rows_in_force(year).values_list("org_kind", flat=True))
    orgs = Organization.objects.visible_to(request.user, "view").filter(kind__in=kinds, is_active=True)
    if paths is not None:
        q = Q(pk__in=[])
        for prefix in paths:
            q |= Q(path__startswith=prefix)
        orgs = orgs.filter(q)
    orgs = list(orgs.order_by("path").only("pk", "name", "path")[:500])
    found = {(f.org_id, f.quarter): f for f in Filing.objects.visible_to(request.user, "view")
             .filter(year=year, org__in=orgs).only("pk", "org_id", "quarter", "status", "due_on")}
    rows = []
    for org in orgs:
        cells = []
        for quarter in (1, 2, 3, 4):
            filing = found.get((org.pk, quarter))
            _start, end = filing_services.quarter_bounds(year, quarter)
            state = filing.status if filing else ("missing" if end < today else "future")
            if filing and filing.status in (FilingStatus.DRAFT, FilingStatus.RETURNED) and filing.due_on < today:
                state = "overdue"
            cells.append({"filing": filing, "state": state, "quarter": quarter})
        rows.append({"org": org, "cells": cells, "accepted": sum(1 for c in cells if c["state"] == "accepted")})
    return render(request, "supervision/filing_matrix.html", {"year": year, "rows": rows, "chosen": chosen,
                                                              "quarters": (1, 2, 3, 4)})


# --- coverage -----------------------------------------------------------------------------


def coverage_context(request: HttpRequest, plan: InspectionPlan) -> dict[str, Any]:
    report = coverage.coverage_for_plan(plan, timezone.localdate())
    matrix = []
    for row in report.rows:
        cells = []
        for year in report.years:
            ids = row.in_year(year)
            cells.append({"year": year, "count": len(ids), "ids": ",".join(str(i) for i in ids)})
        matrix.append({"row": row, "cells": cells})
    schedule = [(slot, targets) for slot, targets in report.proposal.schedule.items() if targets]
    return {"coverage": report, "matrix": matrix, "schedule": schedule}


# --- inspections ---------------------------------------------------------------------------


def inspection_context(request: HttpRequest, inspection: Inspection) -> dict[str, Any]:
    team = services.on_team(request.user, inspection)
    index = [s.value for s in Stage].index(inspection.stage)
    following = list(Stage)[index + 1:index + 2]
    return {
        "on_team": team,
        "next_stages": following if team else [],
        "areas": Area7.choices,
        "evaluation": [(label, inspection.evaluation.get(code, "")) for code, label in Area7.choices],
        "clue_departments": Organization.objects.visible_to(request.user, "view").filter(depth__lte=3)
        .only("pk", "name")[:100] if team else [],
    }


@require_POST
def inspection_advance(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_scoped_or_404(request.user, Inspection, "change", pk=pk)
    with as_message(request):
        services.advance(actor=request.user, inspection=inspection, stage=request.POST.get("stage", ""))
        messages.success(request, gettext("Stage updated."))
    return HttpResponseRedirect(InspectionViews.url("detail", inspection))


@require_POST
def inspection_evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_scoped_or_404(request.user, Inspection, "change", pk=pk)
    with as_message(request):
        if not services.on_team(request.user, inspection):
            raise RuleError(gettext("Only the inspection team does this."))
        inspection.evaluation = {code: request.POST.get(f"eval_{code}", "").strip() for code, _l in Area7.choices}
        if not any(inspection.evaluation.values()):
            raise RuleError(gettext("Evaluate at least one area."))
        inspection.save()
        messages.success(request, gettext("Evaluation saved."))
    return HttpResponseRedirect(InspectionViews.url("detail", inspection))


@require_POST
def clue_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    inspection = get_scoped_or_404(request.user, Inspection, "change", pk=pk)
    department = get_scoped_or_404(request.user, Organization, "view", pk=request.POST.get("department") or 0)
    with as_message(request):
        services.transfer_clue(actor=request.user, inspection=inspection, department=department,
                               summary=request.POST.get("summary", ""))
        messages.success(request, gettext("Clue transferred."))
    return HttpResponseRedirect(InspectionViews.url("detail", inspection))


@require_POST
def finding_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_scoped_or_404(request.user, Finding, "change", pk=pk)
    with as_message(request):
        services.confirm_finding(actor=request.user, finding=finding)
        messages.success(request, gettext("Finding confirmed."))
    return HttpResponseRedirect(FindingViews.url("detail", finding))


# --- rectification -------------------------------------------------------------------------


def rectification_context(request: HttpRequest, item: InspectionRectification) -> dict[str, Any]:
    return {"files": item.attachments.all(), "may_sign_off": services.may_sign_off(request.user, item),
            "may_report": covers(request.user, "inspection", "change", item.org)}


def _item(request: HttpRequest, pk: int) -> InspectionRectification:
    return get_scoped_or_404(request.user, InspectionRectification.objects.select_related("finding__inspection"),  # type: ignore[no-any-return]  # scope-ok: get_scoped_or_404
                             "change", pk=pk)


@require_POST
def rectification_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    with as_message(request):
        services.report_done(actor=request.user, item=item, evidence=request.POST.get("evidence", ""))
        messages.success(request, gettext("Reported done; the inspector will verify it."))
    return HttpResponseRedirect(RectificationViews.url("detail", item))


@require_POST
def rectification_sign_off(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    with as_message(request):
        services.sign_off(actor=request.user, item=item)
        messages.success(request, gettext("Signed off and closed."))
    return HttpResponseRedirect(RectificationViews.url("detail", item))


@require_POST
def rectification_revisit(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    deadline = request.POST.get("deadline", "")
    with as_message(request):
        services.revisit(actor=request.user, item=item, held=request.POST.get("held") == "1",
                         note=request.POST.get("note", ""),
                         deadline=dt.date.fromisoformat(deadline) if deadline else None)
        messages.success(request, gettext("Revisit recorded."))
    return HttpResponseRedirect(RectificationViews.url("detail", item))


@require_POST
def evidence_upload(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    upload = request.FILES.get("file")
    with as_message(request):
        if upload is None:
            raise RuleError(gettext("Choose a file."), field="file")
        attachments.store(RectificationEvidence(item=item), upload, actor=request.user,
                          allowed=attachments.extensions(ALLOWED), max_mb=MAX_MB)
    return HttpResponseRedirect(RectificationViews.url("detail", item))


@require_GET
def evidence_download(request: HttpRequest, pk: int) -> FileResponse:
    return attachments.serve(request, RectificationEvidence, pk)


# --- documents ------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@require_GET
def inspection_document(request: HttpRequest, pk: int, kind: str, fmt: str) -> FileResponse:
    """The inspection notice, the feedback letter (Word), the rectification ledger and the 销号 list
    (Word or Excel), built from what the reader may see of the inspection."""
    import io

    from dangjian.supervision import documents

    inspection = get_scoped_or_404(request.user, Inspection.objects.select_related(  # scope-ok: get_scoped_or_404
        "target", "round__plan__committee", "leader"), "view", pk=pk)
    name = inspection.target.name
    if kind == "notice" and fmt == "docx":
        team = [u.get_full_name() or u.get_username() for u in inspection.team.all()]
        content, title = documents.notice_document(inspection, team), gettext("Inspection notice")
    elif kind == "feedback" and fmt == "docx":
        findings = list(Finding.objects.visible_to(request.user, "view")
                        .filter(inspection=inspection, confirmed=True).order_by("area", "id"))
        content = documents.feedback_document(inspection, findings, plan_due=services.plan_deadline(inspection),
                                              report_due=services.default_deadline(inspection))
        title = gettext("Inspection feedback")
    elif kind in ("ledger", "closed") and fmt in ("docx", "xlsx"):
        items = InspectionRectification.objects.visible_to(request.user, "view").filter(
            finding__inspection=inspection).select_related("org", "owner").order_by("deadline", "id")
        if kind == "closed":
            items = items.filter(status="closed")
        build = documents.ledger_document if fmt == "docx" else documents.ledger_workbook
        content = build(inspection, list(items), closed=kind == "closed")
        title = gettext("Closed rectification items") if kind == "closed" else gettext("Rectification ledger")
    else:
        raise Http404
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=f"{title}-{name}.{fmt}",
                        content_type=DOCX if fmt == "docx" else XLSX)
