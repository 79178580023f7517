"""The job system's own throughput: jobs per second through one ``manage.py worker`` (database
backend), for the smallest job (row, audit entries, claim, progress, result). Slow: runs only
with RUN_SLOW=1 (``RUN_SLOW=1 scripts/test tests/jobs/test_throughput.py -s``)."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import connection

from dangjian.core import jobs
from dangjian.core.models import Job
from tests.jobs import handlers
from tests.jobs.conftest import manage

JOBS = 300

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("RUN_SLOW"), reason="slow benchmark: set RUN_SLOW=1"),
]


def test_jobs_per_second_on_one_worker(shared: dict[str, str]) -> None:
    for n in range(JOBS):
        jobs.start(handlers.noop, actor=None, params={"n": n})
    run = manage(shared, "worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0")
    out, _ = run.communicate(timeout=600)
    assert run.returncode == 0, out
    done = list(Job.objects.order_by("started_at"))
    assert len(done) == JOBS and all(j.status == Job.Status.SUCCEEDED for j in done)
    first, last = done[0].started_at, max(j.finished_at for j in done if j.finished_at)
    assert first and last
    seconds = (last - first).total_seconds()
    rate: Any = JOBS / seconds
    print(f"\n{JOBS} jobs in {seconds:.1f} s on one worker: {rate:.1f} jobs/s ({connection.vendor})")
    assert rate > 1
