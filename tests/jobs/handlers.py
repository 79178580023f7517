"""Job handlers used only by the job tests: one that writes and succeeds with a file, one that
writes and then fails (its write must be rolled back), one that crashes unexpectedly."""

from __future__ import annotations

from dangjian.core import jobs
from dangjian.orgs.models import Organization


@jobs.job(title="rename and report")
def rename(ctx: jobs.JobContext, *, org: int, name: str, steps: int = 4) -> jobs.Outcome:
    target = Organization.objects.get(pk=org)
    target.name = name
    target.save()
    for step in range(1, steps + 1):
        ctx.progress(step, steps)
    return jobs.Outcome(message=f"renamed to {name}", figures=[("steps", steps)], url="/orgs/",
                        file=("结果.txt", name.encode()))


@jobs.job(title="rename then refuse")
def rename_then_refuse(ctx: jobs.JobContext, *, org: int, name: str) -> jobs.Outcome:
    target = Organization.objects.get(pk=org)
    target.name = name
    target.save()  # written, audited ... and rolled back by the failure below
    raise jobs.JobError("该组织本月已生成账单，不能重复执行。")


@jobs.job(title="crash")
def crash(ctx: jobs.JobContext, *, org: int) -> jobs.Outcome:
    target = Organization.objects.get(pk=org)
    target.name = "崩溃前的改动"
    target.save()
    raise RuntimeError("disk on fire")


def not_a_job(ctx: jobs.JobContext) -> None:
    """Not declared with @jobs.job: a row naming it must not run it."""


@jobs.job(title="noop")
def noop(ctx: jobs.JobContext, *, n: int = 0) -> jobs.Outcome:
    """The smallest job: measures the facility's own cost per job."""
    ctx.progress(1, 1)
    return jobs.Outcome(message=str(n))
