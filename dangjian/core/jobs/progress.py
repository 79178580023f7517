"""Live progress of running jobs, written outside the job's own transaction.

The worker writes ``{done, total, percent, stage, at}`` to the ``jobs`` cache (Redis when
``REDIS_URL`` is set, else a file cache under ``var/`` shared by the processes of one
machine). A database row would not do on SQLite: the job's business transaction holds the only
write lock until it commits, so no other connection could update a progress row meanwhile; and
an update inside that transaction would stay invisible until the end. ``at`` doubles as the
heartbeat the stale-job check reads.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import caches

KEEP_SECONDS = 2 * 24 * 3600


def _key(job_id: int) -> str:
    return f"dangjian:job:{job_id}:progress"


def write(job_id: int, *, done: int, total: int, stage: str = "") -> dict[str, Any]:
    percent = 100 if total <= 0 else max(0, min(100, int(done * 100 / total)))
    value = {"done": done, "total": total, "percent": percent, "stage": stage, "at": time.time()}
    caches["jobs"].set(_key(job_id), value, KEEP_SECONDS)
    return value


def read(job_id: int) -> dict[str, Any] | None:
    value = caches["jobs"].get(_key(job_id))
    return value if isinstance(value, dict) else None


def forget(job_id: int) -> None:
    caches["jobs"].delete(_key(job_id))


class Reporter:
    """The ``progress(done, total)`` callable handed to long work: writes at most every
    ``interval`` seconds (and always the first and the last step), so a 10,000-row import costs
    a few dozen cache writes, not 20,000."""

    def __init__(self, job_id: int, *, interval: float = 0.25) -> None:
        self.job_id = job_id
        self.interval = interval
        self.stage = ""
        self._last = 0.0
        self._percent = -1

    def __call__(self, done: int, total: int) -> None:
        percent = 100 if total <= 0 else int(done * 100 / total)
        now = time.monotonic()
        if percent == self._percent or (now - self._last < self.interval and done < total):
            return
        self._last, self._percent = now, percent
        write(self.job_id, done=done, total=total, stage=self.stage)

    def set_stage(self, stage: str) -> None:
        self.stage = stage
        self._percent = -1  # the next step is written at once
        current = read(self.job_id) or {"done": 0, "total": 0}
        write(self.job_id, done=current["done"], total=current["total"], stage=stage)
