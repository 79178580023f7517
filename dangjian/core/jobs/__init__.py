"""Background jobs with progress (SPEC non-functional requirements; issue 9 item 4).

Long work runs outside the request, through Django's tasks API (the ``django-tasks`` backport;
the ``django-tasks-db`` database backend and its worker by default, so one machine needs no
extra server). A module declares a handler and starts it::

    from dangjian.core import jobs

    @jobs.job(title=_l("Generate the dues bills"))
    def generate(ctx: jobs.JobContext, *, org: int, month: str) -> jobs.Outcome:
        ...  # ctx.progress(done, total); the runner wraps the handler in one transaction
        return jobs.Outcome(message=..., url=..., figures=[(label, value)], file=(name, bytes))

    row = jobs.start(generate, actor=request.user, params={"org": org.pk, "month": "2026-01"})
    return redirect(jobs.url(row))  # its progress page (or its result when it already ended)

The user follows a progress bar (htmx polling), may leave and come back (“my jobs”, /jobs/),
and gets the result page or file when it is done. A handler runs inside ``acting_as(user,
reason=...)`` so every change it makes is audited as that user; the job's start and end are
audited too. A failing handler leaves its transaction rolled back and the job failed with a
Chinese message (:class:`JobError`, ``ValidationError`` and ``ImportRefused`` show their own;
anything else a generic one, the traceback goes to the log). A worker killed mid-job leaves
nothing of the job's writes; the job is marked failed when a worker starts on that host or by
the scheduler's stale-job check (:func:`recover_stale`).

Names are loaded lazily: ``dangjian.core.models`` imports ``jobs.models`` while the app
registry is still filling, before the tasks backend may be touched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dangjian.core.jobs.runner import (
        JobContext,
        JobError,
        Outcome,
        execute,
        job,
        recover_stale,
        run_job,
        start,
        url,
    )

__all__ = ["JobContext", "JobError", "Outcome", "execute", "job", "recover_stale", "run_job", "start", "url"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from dangjian.core.jobs import runner

        return getattr(runner, name)
    raise AttributeError(name)
