"""The import screens: upload (the file is stored and inspected at once, its rows checked by a
job), the preview with the report, confirm (the import runs as a job), the template and the
report downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from dangjian.core import jobs
from dangjian.core.imports import jobs as import_jobs
from dangjian.core.imports.declare import Importer, Problem
from dangjian.core.imports.files import (
    SHOWN_PROBLEMS,
    XLSX_CONTENT_TYPE,
    ImportRefused,
    _mb,
    limits,
    too_large,
)
from dangjian.core.imports.run import audit_refusal, discard, stage
from dangjian.core.imports.workbooks import report_response, template_bytes
from dangjian.core.models import ImportBatch, Job


class CappedUploadHandler(FileUploadHandler):
    """Stops receiving a file beyond the size cap while it streams in, so an oversized upload
    never fills the disk; the view then reports it as too large."""

    def __init__(self, request: Any = None, limit: int = 0) -> None:
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


def cap_uploads(request: HttpRequest) -> CappedUploadHandler:
    """Put the size-capping handler first, before anything parses the request body."""
    handler = CappedUploadHandler(request, limits()["max_bytes"])
    request.upload_handlers = [handler, *request.upload_handlers]
    return handler


def declared_too_large(request: HttpRequest) -> bool:
    """The request announces a body far beyond the cap (refused without reading it)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > limits()["max_bytes"] + 64 * 1024


class ImportView(View):
    importer: type[Importer] = Importer

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not self.importer.allowed(request.user):
            raise Http404  # no role of this user may add this kind of row
        return super().dispatch(request, *args, **kwargs)

    def context(self, **extra: Any) -> dict[str, Any]:
        importer = self.importer
        return {
            "importer": importer, "title": importer.title(), "fields": importer.columns(),
            "list_url": reverse(importer.list_url_name), "upload_url": importer.url(),
            "template_url": importer.url("template"), "limits": limits(), "max_mb": _mb(limits()["max_bytes"]),
            **extra,
        }

    def batch(self, request: HttpRequest, pk: int) -> ImportBatch:
        """A batch of this kind uploaded by this user (404 for anyone else's)."""
        batch = ImportBatch.objects.filter(  # scope-ok: only the uploader's own batches
            pk=pk, kind=self.importer.kind, uploaded_by=request.user.pk).first()
        if batch is None:
            raise Http404
        return batch


@method_decorator(csrf_exempt, name="dispatch")  # CSRF is checked in post(), after the upload cap is in place
class ImportUploadView(ImportView):
    """Step 1: the upload form, the template link, the user's recent imports of this kind."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return self.page(request)

    def page(self, request: HttpRequest, error: str = "", status: int = 200, options: Any = None) -> HttpResponse:
        if options is None and self.importer.options_form is not None:
            options = self.importer.options_form(initial=self.importer.options_initial())
        recent = ImportBatch.objects.filter(  # scope-ok: only the uploader's own batches
            kind=self.importer.kind, uploaded_by=request.user.pk).exclude(status=ImportBatch.Status.DISCARDED)[:5]
        recent_links = [(batch, self.importer.url("batch", batch)) for batch in recent]
        return render(request, "core/import_upload.html", self.context(error=error, recent=recent_links, options=options),
                      status=status)

    def post(self, request: HttpRequest) -> HttpResponse:
        if declared_too_large(request):
            return self.refused(request, "", too_large())  # without reading the body
        handler = cap_uploads(request)
        return self._post(request, handler)

    def refused(self, request: HttpRequest, file_name: str, exc: ImportRefused) -> HttpResponse:
        audit_refusal(self.importer, file_name, exc)
        return self.page(request, exc.message, status=400)

    @method_decorator(csrf_protect)
    def _post(self, request: HttpRequest, handler: CappedUploadHandler) -> HttpResponse:
        upload = request.FILES.get("file")
        if handler.exceeded:
            return self.refused(request, "", too_large())
        options, invalid = self.importer.clean_options(request.POST)
        if invalid is not None:
            return self.page(request, status=400, options=invalid)
        if upload is None:
            return self.page(request, gettext("Choose the .xlsx file to upload."), status=400)
        try:
            batch = stage(self.importer, request.user, upload, options)
        except ImportRefused as exc:
            return self.refused(request, upload.name or "", exc)
        job = jobs.start(import_jobs.check_file, actor=request.user,
                         title=gettext("Check %(file)s (%(title)s)") % {"file": batch.file_name, "title": self.importer.title()},
                         params={"importer": import_jobs.importer_path(self.importer), "batch": batch.pk})
        if job.status == Job.Status.FAILED:  # a backend that runs at once (tests): the refusal shows here
            return self.page(request, job.error, status=400)
        return HttpResponseRedirect(jobs.url(job))


class ImportTemplateView(ImportView):
    def get(self, request: HttpRequest) -> HttpResponse:
        response = HttpResponse(template_bytes(self.importer), content_type=XLSX_CONTENT_TYPE)
        filename = f"{self.importer.title()}导入模板.xlsx"
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(filename)}"
        return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


class ImportBatchView(ImportView):
    """Step 2 and 3: the preview with the report; confirm (all rows / valid rows) or discard."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(request, pk)
        if batch.status == ImportBatch.Status.CHECKING:  # its rows are being checked: follow the job
            job = Job.objects.of(request.user).filter(  # scope-ok: only the user's own jobs
                params__batch=batch.pk, status__in=(
                Job.Status.QUEUED, Job.Status.RUNNING)).first()
            if job is not None:
                return HttpResponseRedirect(jobs.url(job))
        return self.page(request, batch)

    def page(self, request: HttpRequest, batch: ImportBatch, status: int = 200) -> HttpResponse:
        problems = [Problem(*p) for p in batch.problems[:SHOWN_PROBLEMS]]
        return render(request, "core/import_preview.html", self.context(
            batch=batch, problems=problems, more_problems=max(len(batch.problems) - SHOWN_PROBLEMS, 0),
            headers=[f.header for f in self.importer.columns()], staged=batch.status == ImportBatch.Status.STAGED,
            report_url=self.importer.url("report", batch),
        ), status=status)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        batch = self.batch(request, pk)
        action = request.POST.get("action", "")
        if batch.status != ImportBatch.Status.STAGED:
            messages.error(request, gettext("This upload was already imported or discarded."))
            return HttpResponseRedirect(self.importer.url())
        if action == "discard":
            discard(batch)
            messages.info(request, gettext("The upload was discarded; nothing was imported."))
            return HttpResponseRedirect(self.importer.url())
        if action not in ("all", "valid"):
            return self.page(request, batch, status=400)
        valid_only = action == "valid"
        if not valid_only and batch.error_rows:
            messages.error(request, gettext("Some rows have problems: fix the file and upload it again, or import only the "
                                      "valid rows."))
            return self.page(request, batch, status=400)
        job = jobs.start(import_jobs.import_file, actor=request.user,
                         title=gettext("Import %(file)s (%(title)s)") % {"file": batch.file_name, "title": self.importer.title()},
                         params={"importer": import_jobs.importer_path(self.importer), "batch": batch.pk,
                                 "valid_only": valid_only})
        if job.status == Job.Status.FAILED:  # a backend that runs at once: answer as the screen always did
            messages.error(request, job.error)
            batch.refresh_from_db()
            if batch.status == ImportBatch.Status.STAGED:
                return self.page(request, batch, status=409)
            return HttpResponseRedirect(self.importer.url())
        if job.status == Job.Status.SUCCEEDED:
            messages.success(request, job.result.get("message", ""))
        return HttpResponseRedirect(jobs.url(job))


class ImportReportView(ImportView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        return report_response(self.importer, self.batch(request, pk).problems)
