"""Starting, running and recovering jobs (see the package docstring for the contract)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext
from django_tasks import task

from dangjian.core import audit
from dangjian.core.context import acting_as
from dangjian.core.jobs import progress
from dangjian.core.jobs.models import Job, ScheduledTask

logger = logging.getLogger("dangjian.jobs")

FILE_FOLDER = "jobs"


class JobError(Exception):
    """A job cannot be done for a reason the user should read (a Chinese sentence)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Outcome:
    """What a finished job hands back: a sentence, figures for the result page, a link to the
    result in its module, and optionally a file (name, bytes) to download."""

    message: str = ""
    figures: Sequence[tuple[str, Any]] = ()
    url: str = ""
    #: (name shown to the user, content): bytes, or an open ``File`` (a large export streamed
    #: from its temporary file into the storage; closed once stored).
    file: tuple[str, bytes | File] | None = None
    #: The file may be downloaded for this many hours only (``None``: as long as the job is kept);
    #: the scheduler's ``prune_job_files`` removes it afterwards.
    keep_hours: int | None = None


@dataclass
class JobContext:
    """Handed to a handler: the job row, its user, and ``progress(done, total)``."""

    job: Job
    progress: progress.Reporter
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def user(self) -> Any:
        return self.job.user

    def stage(self, text: str) -> None:
        """Name the current step (shown under the progress bar)."""
        self.progress.set_stage(str(text))


Handler = Callable[..., Outcome | None]


def job(*, title: Any, atomic: bool = True) -> Callable[[Handler], Handler]:
    """Declare a job handler ``f(ctx, **params)``. ``atomic``: the runner wraps the handler in
    one transaction (nothing it wrote survives a failure); set it off only for work that manages
    its own all-or-nothing transactions (the import framework)."""

    def mark(function: Handler) -> Handler:
        function.job_title = title  # type: ignore[attr-defined]
        function.job_atomic = atomic  # type: ignore[attr-defined]
        return function

    return mark


def handler_path(handler: Handler) -> str:
    return f"{handler.__module__}.{handler.__qualname__}"


def resolve(path: str) -> Handler:
    """The handler a job row names (only functions declared with :func:`job`)."""
    function = import_string(path)
    if not hasattr(function, "job_title"):
        raise ImportError(f"{path} is not a job handler")
    return function  # type: ignore[no-any-return]


def start(handler: Handler, *, actor: Any, params: dict[str, Any] | None = None, title: str = "",
          reason: str = "", scheduled: ScheduledTask | None = None) -> Job:
    """Record a job (audited) and enqueue it on the tasks backend; returns the row as it is now
    (already finished when the backend runs tasks immediately, as in tests)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        row = Job.objects.create(handler=handler_path(handler), title=str(title or handler.job_title),  # type: ignore[attr-defined]
                                 params=params or {}, user=user, reason=reason[:200], scheduled=scheduled)
        audit.record("job_start", object_type="core.job", object_id=row.pk, object_repr=row.title, actor=user,
                     changes={"handler": row.handler, "params": row.params})
    progress.write(row.pk, done=0, total=1, stage=gettext("Waiting for a worker"))
    result = run_job.enqueue(row.pk)
    Job.objects.filter(pk=row.pk, task_id="").update(task_id=str(result.id)[:64])
    row.refresh_from_db()
    return row


def file_expires(row: Job) -> dt.datetime | None:
    """When the job's file stops being downloadable (``None``: kept with the job)."""
    value = (row.result or {}).get("file_expires")
    return dt.datetime.fromisoformat(value) if isinstance(value, str) else None


def file_available(row: Job) -> bool:
    expires = file_expires(row)
    return bool(row.result_file) and (expires is None or timezone.now() < expires)


def url(row: Job) -> str:
    """Where to send the user: the result when the job already ended well, else its page."""
    if row.status == Job.Status.SUCCEEDED and row.result_url:
        return row.result_url
    return reverse("core:job_detail", args=[row.pk])


def worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@task()
def run_job(job_id: int) -> str:
    """The one task the backend knows: run the job row ``job_id``."""
    return execute(job_id)


def execute(job_id: int) -> str:
    from dangjian.core.imports.files import ImportRefused  # (the import package starts jobs itself)

    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING, started_at=timezone.now(), worker=worker_id()[:120])
    if not claimed:
        return "skipped"
    row = Job.objects.select_related("user").get(pk=job_id)
    reporter = progress.Reporter(row.pk)
    reporter.set_stage(gettext("Running"))
    with acting_as(row.user, reason=row.reason or row.title, source="job"):
        try:
            handler = resolve(row.handler)
            ctx = JobContext(row, reporter)
            if handler.job_atomic:  # type: ignore[attr-defined]
                with transaction.atomic():
                    outcome = handler(ctx, **row.params)
            else:
                outcome = handler(ctx, **row.params)
        except JobError as exc:
            return _fail(row, exc.message)
        except ValidationError as exc:
            return _fail(row, " ".join(str(m) for m in exc.messages))
        except ImportRefused as exc:
            return _fail(row, exc.message)
        except Exception:  # noqa: BLE001  (every failure ends the job; the traceback goes to the log)
            logger.exception("job %s (%s) failed", row.pk, row.handler)
            return _fail(row, gettext("The job failed because of an internal error; nothing was changed. The error was "
                                "logged for the administrator."))
        return _succeed(row, outcome or Outcome())


def _succeed(row: Job, outcome: Outcome) -> str:
    file_name = stored = ""
    result: dict[str, Any] = {"message": str(outcome.message), "figures": [[str(k), v] for k, v in outcome.figures]}
    if outcome.file is not None:
        file_name, content = outcome.file
        suffix = PurePosixPath(file_name).suffix.lower()[:10]
        body = ContentFile(content) if isinstance(content, bytes) else content
        try:
            stored = default_storage.save(f"{FILE_FOLDER}/{row.pk}/{uuid.uuid4().hex}{suffix}", body)
        finally:
            body.close()
        if outcome.keep_hours is not None:
            result["file_expires"] = (timezone.now() + dt.timedelta(hours=outcome.keep_hours)).isoformat()
    with transaction.atomic():
        Job.objects.filter(pk=row.pk).update(
            status=Job.Status.SUCCEEDED, progress=100, finished_at=timezone.now(), result_url=outcome.url[:300],
            result=result, result_file=stored, result_file_name=file_name[:200])
        audit.record("job_done", object_type="core.job", object_id=row.pk, object_repr=row.title, actor=row.user,
                     changes={"status": "succeeded"})
    live = progress.read(row.pk) or {}
    progress.write(row.pk, done=live.get("total") or 1, total=live.get("total") or 1, stage="")
    return "succeeded"


def _fail(row: Job, message: str, *, reason: str = "") -> str:
    with transaction.atomic():
        changed = Job.objects.filter(pk=row.pk, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED, finished_at=timezone.now(), error=message)
        if changed:
            audit.record("job_done", object_type="core.job", object_id=row.pk, object_repr=row.title, actor=row.user,
                         success=False, reason=reason, changes={"status": "failed", "error": message[:300]})
    return "failed"


# --- killed workers ------------------------------------------------------------------------


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie is dead
    except (OSError, IndexError):
        return True


def stale_seconds() -> int:
    return int(getattr(settings, "DANGJIAN", {}).get("JOB_STALE_SECONDS", 15 * 60))


def recover_stale(*, this_host_only: bool = False) -> int:
    """Mark failed the running jobs whose worker is gone: on this host, a worker process that no
    longer exists; anywhere (unless ``this_host_only``), no progress heartbeat for
    ``DANGJIAN["JOB_STALE_SECONDS"]`` (15 minutes). Their writes were never committed (one
    transaction), so failing the row is all that is left to do. Returns how many were marked."""
    host = socket.gethostname()
    marked = 0
    for row in Job.objects.filter(status=Job.Status.RUNNING).select_related("user"):
        worker_host, _sep, pid = row.worker.rpartition(":")
        if worker_host == host and pid.isdigit():
            dead = not _alive(int(pid))
        elif this_host_only:
            continue
        else:
            live = progress.read(row.pk)
            beat = live["at"] if live else (row.started_at or row.created_at).timestamp()
            dead = time.time() - beat > stale_seconds()
        if not dead:
            continue
        with acting_as(row.user, reason="stale job", source="job"):
            _fail(row, gettext("The job was interrupted (its worker stopped) and nothing was changed; please start it "
                         "again."), reason="worker gone")
        _fail_task_result(row.task_id)
        marked += 1
    return marked


def _fail_task_result(task_id: str) -> None:
    if not task_id or "django_tasks_db" not in settings.INSTALLED_APPS:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(status="FAILED", finished_at=timezone.now())
    except ValidationError:  # not a UUID: another backend's id
        pass
