"""Exports of a ``ModelViews`` list: small ones are written within the request, large ones
(more rows than ``DANGJIAN["EXPORT_JOB_ROWS"]``) by a background job.

The job exports what the request would have: the same screen (its ``ModelViews``), the same
filters (the query string), as the same user, and only rows that were within the user's export
scope when they asked (the scope is recorded with the job and applied on top of the user's scope
when the job runs, so a grant revoked meanwhile narrows the file, a grant added does not widen
it). The file goes to Django's storage (``jobs/<id>/``), is downloadable by that user only
(``core.jobs.views.job_file``) for ``DANGJIAN["EXPORT_FILE_HOURS"]`` hours and is then removed
by the scheduler (``prune_job_files``).
"""

from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import File
from django.http import HttpRequest, QueryDict
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import jobs
from dangjian.core.excel import tuple_columns, write_xlsx
from dangjian.core.jobs.models import Job
from dangjian.core.scoping import Scope, scope_for, scope_q

if TYPE_CHECKING:
    from django.db import models

    from dangjian.core.views import ModelViews


def _setting(name: str, default: int) -> int:
    value: Any = getattr(settings, "DANGJIAN", {}).get(name, default)
    return int(value)


def job_rows() -> int:
    return _setting("EXPORT_JOB_ROWS", 10_000)


def file_hours() -> int:
    return _setting("EXPORT_FILE_HOURS", 24)


def file_name(spec: type[ModelViews]) -> str:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return f"{spec.model._meta.verbose_name_plural}-{stamp}.xlsx"


def rows_and_columns(spec: type[ModelViews], qs: models.QuerySet[Any]) -> tuple[Any, Any]:
    """The row iterator and the column readers of an export of ``qs``."""
    fast = tuple_columns(spec.model, spec.export_columns)
    if fast is not None:  # every column is a field path: read tuples, build no model instances
        paths, columns = fast
        return qs.values_list(*paths).iterator(chunk_size=2000), columns
    return qs.iterator(chunk_size=2000), spec.export_columns


def is_large(qs: models.QuerySet[Any]) -> bool:
    """More rows than the threshold (counted no further than one past it)."""
    limit = job_rows()
    return qs.order_by()[: limit + 1].count() > limit


def spec_path(spec: type[ModelViews]) -> str:
    return f"{spec.__module__}.{spec.__qualname__}"


def _spec(path: str) -> type[ModelViews]:
    from dangjian.core.views import ModelViews

    cls = import_string(path)
    if not (isinstance(cls, type) and issubclass(cls, ModelViews) and "export" in cls.actions):
        raise ImportError(path)
    return cls


def _scope_record(scope: Scope) -> dict[str, Any]:
    return {"org_paths": list(scope.org_paths), "member_ids": list(scope.member_ids), "everything": scope.everything}


def start(request: HttpRequest, spec: type[ModelViews]) -> Job:
    """Start the export job of the list ``request`` shows (its filters, its user, its scope)."""
    area = str(getattr(spec.model, "scope_area", ""))
    params = {"spec": spec_path(spec), "query": request.GET.urlencode(),
              "scope": _scope_record(scope_for(request.user, area, "export"))}
    running = Job.objects.of(request.user).filter(  # scope-ok: only the user's own jobs
        handler=jobs.runner.handler_path(export_rows), status__in=(Job.Status.QUEUED, Job.Status.RUNNING))
    for job in running:
        if job.params == params:  # the same export asked twice (a second click): follow the first
            return job
    title = gettext("Export %(what)s") % {"what": spec.model._meta.verbose_name_plural}
    return jobs.start(export_rows, actor=request.user, params=params, title=title)


def _request_as(user: Any, query: str) -> HttpRequest:
    """The list request the user made, for the screen's hooks (filters, querysets)."""
    request = HttpRequest()
    request.method = "GET"
    request.GET = QueryDict(query)
    request.user = user
    return request


@jobs.job(title=_("Export rows"), atomic=False)  # reads only; its audit entry has its own transaction
def export_rows(ctx: jobs.JobContext, *, spec: str, query: str, scope: dict[str, Any]) -> jobs.Outcome:
    from dangjian.core.views import can

    views = _spec(spec)
    user = ctx.user
    if user is None or not can(user, views.model, "export"):
        raise jobs.JobError(gettext("You may no longer export these records; nothing was exported."))
    request = _request_as(user, query)
    qs, _fs = views.filtered(request, "export")
    then = scope_q(views.model, Scope(org_paths=tuple(scope.get("org_paths", ())),
                                      member_ids=tuple(scope.get("member_ids", ())),
                                      everything=bool(scope.get("everything"))))
    if then is not None:  # within the scope the user had when they asked, too
        qs = qs.filter(then)
    ctx.stage(gettext("Counting the rows"))
    total = qs.count()
    ctx.stage(gettext("Writing the rows"))
    rows, columns = rows_and_columns(views, qs)
    fd, path = tempfile.mkstemp(suffix=".xlsx", prefix="export-job-")
    os.close(fd)
    try:
        count = write_xlsx(path, str(views.model._meta.verbose_name_plural), columns, rows,
                           progress=lambda done: ctx.progress(min(done, total), max(total, 1)))
        handle = open(path, "rb")  # noqa: SIM115  (closed by the runner once stored)
    finally:
        os.unlink(path)  # the open handle keeps the bytes until the runner has stored them
    views.audit_export(request, count)
    return jobs.Outcome(
        message=gettext("Exported %(n)d rows; download the file below.") % {"n": count},
        figures=[(gettext("Rows"), count)], file=(file_name(views), File(handle, name=file_name(views))),
        keep_hours=file_hours())
