"""The user's background jobs: the list (“my jobs”), one job's page with a progress bar that
htmx polls, and the result file. A user reaches only the jobs they started (404 otherwise)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

from dangjian.core.jobs import progress, runner
from dangjian.core.jobs.models import Job

POLL_SECONDS = 1


def _own(request: HttpRequest, pk: int) -> Job:
    job = Job.objects.of(request.user).filter(pk=pk).first()  # scope-ok: only the user's own jobs
    if job is None:
        raise Http404
    return job


def state(job: Job) -> dict[str, Any]:
    """What the page shows: the row's state and, while it runs, the live progress."""
    live = progress.read(job.pk) if not job.finished else None
    percent = 100 if job.status == Job.Status.SUCCEEDED else (live or {}).get("percent", job.progress)
    return {"job": job, "percent": percent, "stage": (live or {}).get("stage", ""),
            "file_available": runner.file_available(job), "file_expires": runner.file_expires(job),
            "done": (live or {}).get("done"), "total": (live or {}).get("total"), "poll": POLL_SECONDS}


@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = Job.objects.of(request.user)[:50]  # scope-ok: only the user's own jobs
    rows = [state(job) for job in jobs]
    return render(request, "core/job_list.html", {"rows": rows})


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render(request, "core/job_detail.html", state(_own(request, pk)))


@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The progress fragment htmx polls; when the job ends, the whole page reloads once."""
    job = _own(request, pk)
    response = render(request, "core/_job_progress.html", state(job))
    if job.finished and request.GET.get("running"):
        response["HX-Refresh"] = "true"
    _do_not_extend_session(request)
    return response


def _do_not_extend_session(request: HttpRequest) -> None:
    """A poll is not user activity: it must not renew the idle timeout (an open progress page
    would keep a session alive for ever), nor write the session row every second (on SQLite
    that write would wait for the running import's transaction). Without ``request.session``
    Django's SessionMiddleware leaves the session as it was."""
    del request.session


@require_GET
def job_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    job = _own(request, pk)
    if job.status != Job.Status.SUCCEEDED or not job.result_file:
        raise Http404
    if not runner.file_available(job):  # expired (an export's personal data is not kept for ever)
        messages.error(request, gettext("The file has expired and was removed; start the export again."))
        return HttpResponseRedirect(reverse("core:job_detail", args=[job.pk]))
    if not default_storage.exists(job.result_file):
        return HttpResponseRedirect(job.result_url or "/")
    return FileResponse(default_storage.open(job.result_file, "rb"), as_attachment=True,
                        filename=job.result_file_name or "result")
