"""The dashboard (数据看板), its full-screen mode (大屏), figure exports and official reports."""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, pgettext
from django.views.decorators.http import require_GET, require_POST

from dangjian.core import audit, jobs
from dangjian.core.documents import DOCX
from dangjian.core.excel import xlsx_response
from dangjian.core.figures import FigureData, Subtree
from dangjian.core.replica import reads_from_replica
from dangjian.core.scoping import covers
from dangjian.dashboard import compose
from dangjian.dashboard.reports import build

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: seconds between two refreshes of the 大屏
SCREEN_REFRESH = 300


def _subtree(request: HttpRequest) -> Subtree:
    raw = request.GET.get("org", "")
    return compose.subtree_for(request.user, int(raw) if raw.isdigit() and len(raw) < 10 else None)


def _chart_data(shown: list[compose.Shown]) -> list[dict[str, Any]]:
    """What the charts script draws (json_script: no inline script under the CSP)."""
    return [{
        "key": s.figure.key, "title": str(s.figure.title), "chart": s.figure.chart, "unit": s.data.unit,
        "items": [{"label": i.label, "value": float(i.value), "url": i.url, "note": i.note} for i in s.data.items],
        "series": [{"name": name, "values": list(values)} for name, values in s.data.series],
    } for s in shown]


@require_GET
@reads_from_replica
def index(request: HttpRequest) -> HttpResponse:
    subtree = _subtree(request)
    shown = compose.dashboard(request.user, subtree)
    return render(request, "dashboard/index.html", {
        "subtree": subtree, "shown": shown, "charts": _chart_data(shown), "picker": compose.picker(request.user),
        "can_export": covers(request.user, compose.AREA, "export", subtree.path), "kinds": build.KINDS,
    })


@require_GET
@reads_from_replica
def screen(request: HttpRequest) -> HttpResponse:
    """The 大屏: the figures in large type, no navigation, reloaded every few minutes."""
    subtree = _subtree(request)
    shown = compose.dashboard(request.user, subtree, screen=True)
    return render(request, "dashboard/screen.html", {
        "subtree": subtree, "shown": shown, "charts": _chart_data(shown), "refresh": SCREEN_REFRESH,
    })


def _audit(request: HttpRequest, subtree: Subtree, what: str, fmt: str) -> None:
    with transaction.atomic():
        audit.record("export", object_type="dashboard.report", object_id=subtree.org_id,
                     object_repr=f"{subtree.name} {what}", org_path=subtree.path, changes={"format": fmt},
                     actor=request.user)


def _require_export(request: HttpRequest, subtree: Subtree) -> None:
    from django.http import Http404

    if not covers(request.user, compose.AREA, "export", subtree.path):
        raise Http404


class _Col:
    def __init__(self, header: str, attr: str, width: int = 20) -> None:
        self.header, self.attr, self.width = header, attr, width

    def value(self, row: Any) -> Any:
        return getattr(row, self.attr)


@require_GET
@reads_from_replica
def figure_xlsx(request: HttpRequest, key: str) -> HttpResponseBase:
    """One figure's items (and headline numbers) as an Excel sheet."""
    subtree = _subtree(request)
    _require_export(request, subtree)
    shown = compose.figure(request.user, subtree, key)
    data: FigureData = shown.data
    title = f"{subtree.name} {shown.figure.title}"
    columns = [_Col(pgettext("dashboard", "Item"), "label", 28), _Col(pgettext("dashboard", "Figure"), "value", 12), _Col(pgettext("dashboard", "Note"), "note", 16)]
    _audit(request, subtree, str(shown.figure.title), "xlsx")
    response, _count = xlsx_response(f"{title}.xlsx", str(shown.figure.title), columns,
                                     [*data.headline, *data.items], title=title)
    return response


@require_GET
@reads_from_replica
def reports(request: HttpRequest) -> HttpResponse:
    subtree = _subtree(request)
    _require_export(request, subtree)
    return render(request, "dashboard/reports.html", {
        "subtree": subtree, "kinds": [(kind, _kind_label(kind)) for kind in build.KINDS],
        "picker": compose.picker(request.user)})


def _kind_label(kind: str) -> str:
    return {"statistics": gettext("Yearly party statistics tables"),
            "quarterly": gettext("Quarterly work report"),
            "bulletin": gettext("Bulletin on compliance and inspection results")}[kind]


@require_GET
@reads_from_replica
def report_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponseBase:
    """A report as Word or Excel, built in the request (a few aggregate queries)."""
    from django.http import Http404

    if kind not in build.KINDS or fmt not in ("docx", "xlsx"):
        raise Http404
    subtree = _subtree(request)
    _require_export(request, subtree)
    report = build.build(kind, request.user, subtree)
    content = build.to_docx(report) if fmt == "docx" else build.to_xlsx(report)
    _audit(request, subtree, report.title, fmt)
    return FileResponse(io.BytesIO(content), as_attachment=True, filename=build.file_name(report, fmt),
                        content_type=DOCX if fmt == "docx" else XLSX)


@require_POST
def report_pdf(request: HttpRequest, kind: str) -> HttpResponseBase:
    """A report as PDF: rendered by a background job (LibreOffice), its file on the job's page."""
    from django.http import Http404

    from dangjian.dashboard.jobs import render_pdf

    if kind not in build.KINDS:
        raise Http404
    subtree = _subtree(request)
    _require_export(request, subtree)
    _audit(request, subtree, _kind_label(kind), "pdf")
    row = jobs.start(render_pdf, actor=request.user, params={"kind": kind, "org": subtree.org_id},
                     title=f"{subtree.name} {_kind_label(kind)} (PDF)")
    return redirect(jobs.url(row) if row.status != row.Status.SUCCEEDED else reverse("core:job_detail", args=[row.pk]))
