"""The scheduler: starts the due lines of the schedule (``ScheduledTask``) as jobs, once across
any number of scheduler processes and nodes.

A due line is claimed with one conditional UPDATE that moves ``next_run_at`` on only if it still
holds the value this process read (compare-and-set on the row: PostgreSQL's row lock makes a
concurrent claimer re-read the row and find it changed; SQLite admits one writer at a time).
The process that changed the row starts the job; every other one changed nothing and moves on.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable

from django.db.models import F
from django.utils import timezone

from dangjian.core.jobs import runner
from dangjian.core.jobs.models import Job, ScheduledTask

logger = logging.getLogger("dangjian.jobs")


def claim(task: ScheduledTask, now: dt.datetime) -> bool:
    """Take this run of ``task`` (True for exactly one claimer of a given ``next_run_at``)."""
    following = max(task.next_run_at, now - dt.timedelta(minutes=task.every_minutes))
    while following <= now:
        following += dt.timedelta(minutes=task.every_minutes)
    return bool(ScheduledTask.objects.filter(pk=task.pk, enabled=True, next_run_at=task.next_run_at).update(
        next_run_at=following, last_run_at=now, run_count=F("run_count") + 1))


def tick(now: dt.datetime | None = None) -> list[Job]:
    """Start every due, enabled line this process could claim; returns the jobs started."""
    now = now or timezone.now()
    started = []
    for task in ScheduledTask.objects.filter(enabled=True, next_run_at__lte=now).select_related("run_as"):
        if not claim(task, now):
            continue
        try:
            handler = runner.resolve(task.handler)
        except ImportError:
            logger.error("scheduled task %s names no job handler: %s", task.name, task.handler)
            continue
        started.append(runner.start(handler, actor=task.run_as, params=task.params, title=task.title,
                                    reason=f"scheduled: {task.name}", scheduled=task))
    return started


def run(*, seconds: float | None = None, interval: float = 30.0,
        log: Callable[[str], object] = logger.info) -> int:
    """Tick every ``interval`` seconds, for ``seconds`` (None: until stopped); returns the jobs started."""
    deadline = None if seconds is None else time.monotonic() + seconds
    count = 0
    while True:
        for job in tick():
            count += 1
            log(f"started {job.title} (job {job.pk})")
        if deadline is not None and time.monotonic() + interval > deadline:
            return count
        time.sleep(interval)
