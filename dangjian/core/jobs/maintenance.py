"""The core's scheduled housekeeping, as job handlers (the schedule is seeded by migration
core 0006 and changed with ``manage.py scheduler --set``)."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.core import audit, imports, throttle
from dangjian.core.jobs import runner
from dangjian.core.jobs.models import Job
from dangjian.core.models import IdempotencyRecord

IDEMPOTENCY_KEEP = dt.timedelta(hours=48)  # replayable for at least 24 hours (REL-02)
JOB_KEEP = dt.timedelta(days=90)
TASK_RESULT_KEEP_DAYS = 7


@runner.job(title=_("Remove expired sessions"))
def clear_sessions(ctx: runner.JobContext) -> runner.Outcome:
    call_command("clearsessions")
    return runner.Outcome(message=gettext("Expired sessions removed."))


@runner.job(title=_("Prune idempotency records"))
def prune_idempotency(ctx: runner.JobContext) -> runner.Outcome:
    deleted, _by_model = IdempotencyRecord.objects.filter(created_at__lt=timezone.now() - IDEMPOTENCY_KEEP).delete()
    return runner.Outcome(message=gettext("%(n)d idempotency records removed.") % {"n": deleted})


@runner.job(title=_("Discard stale import uploads"), atomic=False)
def purge_stale_imports(ctx: runner.JobContext) -> runner.Outcome:
    return runner.Outcome(message=gettext("%(n)d stale uploads discarded.") % {"n": imports.purge_stale()})


@runner.job(title=_("Fail interrupted jobs"), atomic=False)
def recover_stale_jobs(ctx: runner.JobContext) -> runner.Outcome:
    return runner.Outcome(message=gettext("%(n)d interrupted jobs marked failed.") % {"n": runner.recover_stale()})


@runner.job(title=_("Prune finished jobs"))
def prune_jobs(ctx: runner.JobContext) -> runner.Outcome:
    """Finished jobs older than 90 days go with their files; the tasks backend's own result
    rows after a week (``prune_db_task_results``)."""
    old = Job.objects.filter(status__in=(Job.Status.SUCCEEDED, Job.Status.FAILED),  # scope-ok: housekeeping
                             finished_at__lt=timezone.now() - JOB_KEEP)
    for name in old.exclude(result_file="").values_list("result_file", flat=True):
        default_storage.delete(name)
    deleted, _by_model = old.delete()
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    if isinstance(task_backends["default"], DatabaseBackend):
        call_command("prune_db_task_results", min_age_days=TASK_RESULT_KEEP_DAYS, verbosity=0)
    return runner.Outcome(message=gettext("%(n)d finished jobs removed.") % {"n": deleted})


@runner.job(title=_("Remove expired job files"), atomic=False)
def prune_job_files(ctx: runner.JobContext) -> runner.Outcome:
    """Result files past their download period (large exports: ``EXPORT_FILE_HOURS``) leave the
    storage; the job row stays (its page says the file expired)."""
    removed = 0
    rows = Job.objects.filter(status=Job.Status.SUCCEEDED).exclude(result_file="")  # scope-ok: housekeeping
    for row in rows.only("pk", "result", "result_file"):
        if runner.file_expires(row) is None or runner.file_available(row):
            continue
        default_storage.delete(row.result_file)
        Job.objects.filter(pk=row.pk, result_file=row.result_file).update(result_file="")
        removed += 1
    return runner.Outcome(message=gettext("%(n)d expired job files removed.") % {"n": removed})


@runner.job(title=_("Prune expired API tokens and login counters"), atomic=False)
def prune_security(ctx: runner.JobContext) -> runner.Outcome:
    """API tokens revoked or expired over 30 days ago, login counters of old windows."""
    from dangjian.accounts.services import prune_tokens  # the core schedules; accounts owns tokens

    tokens = prune_tokens()
    counters = throttle.prune()
    return runner.Outcome(message=gettext("%(t)d expired API tokens and %(c)d old counters removed.")
                          % {"t": tokens, "c": counters})


@runner.job(title=_("Anchor the audit chain head"), atomic=False)
def anchor_audit_chain(ctx: runner.JobContext) -> runner.Outcome:
    anchor = audit.anchor_head()
    return runner.Outcome(message=gettext("Audit chain head anchored at entry %(id)s.") % {"id": anchor["id"] if anchor else "-"})


@runner.job(title=_("Re-encrypt under the current field key"), atomic=False)
def rotate_keys(ctx: runner.JobContext, *, batch: int = 500) -> runner.Outcome:
    """``manage.py rotate_keys --enqueue``: batches of one transaction each, resumable."""
    from dangjian.core import rotation

    result = rotation.rotate_all(batch=batch, progress=ctx.progress)
    return runner.Outcome(message=gettext("%(n)d values re-encrypted or re-indexed.") % {"n": sum(result.values())},
                          figures=list(result.items()))
