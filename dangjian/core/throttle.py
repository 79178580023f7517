"""Fixed-window counters in a store every process shares (SECURITY.md AUTH-02, IO-05).

A throttle counted in one worker's memory lets N workers admit N times the limit. These
counters live in Redis when ``REDIS_URL`` is set (``INCR`` is atomic) and otherwise in the
database (a row locked and incremented in one transaction), so the limit holds across
workers and machines on every deployment.

``hit`` always counts the attempt and answers whether it is within the limit; the first
attempt over the limit is ``count == limit + 1`` (callers audit that one, not every refusal).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import IntegrityError, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Hit:
    count: int
    limit: int
    retry_after: int  # seconds until the window ends

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit

    @property
    def first_refusal(self) -> bool:
        return self.count == self.limit + 1


def _key(name: str) -> str:
    # Keys hold addresses and usernames: keep them short and free of characters the cache refuses.
    return "thr:" + hashlib.sha256(name.encode()).hexdigest()[:40]


def _redis() -> bool:
    return bool(getattr(settings, "REDIS_URL", ""))


def hit(name: str, *, limit: int, window: int) -> Hit:
    """Count one attempt on ``name`` in a window of ``window`` seconds."""
    key = _key(name)
    if _redis():
        cache = caches["default"]
        cache.add(key, 0, timeout=window)
        count = int(cache.incr(key))
        return Hit(count, limit, window)
    from dangjian.core.models import ThrottleCounter

    now = timezone.now()
    with transaction.atomic():
        row = _locked_row(ThrottleCounter, key, now)
        if row.window_started_at + dt.timedelta(seconds=window) <= now:
            row.window_started_at = now
            row.count = 0
        row.count += 1
        row.save(update_fields=["count", "window_started_at"])
    remaining = row.window_started_at + dt.timedelta(seconds=window) - now
    return Hit(row.count, limit, max(1, int(remaining.total_seconds())))


def refund(name: str) -> None:
    """Give one attempt back (a login that turned out to be right)."""
    key = _key(name)
    if _redis():
        cache = caches["default"]
        try:
            cache.decr(key)
        except ValueError:
            pass
        return
    from dangjian.core.models import ThrottleCounter

    with transaction.atomic():
        row = ThrottleCounter.objects.select_for_update().filter(key=key).first()
        if row is not None and row.count > 0:
            row.count -= 1
            row.save(update_fields=["count"])


def clear(name: str) -> None:
    key = _key(name)
    if _redis():
        caches["default"].delete(key)
        return
    from dangjian.core.models import ThrottleCounter

    ThrottleCounter.objects.filter(key=key).delete()


def _locked_row(model: Any, key: str, now: dt.datetime) -> Any:
    """The counter row, created if missing, locked for this transaction (no lost increments)."""
    row = model.objects.select_for_update().filter(key=key).first()
    if row is not None:
        return row
    try:
        with transaction.atomic():
            model.objects.create(key=key, count=0, window_started_at=now)
    except IntegrityError:
        pass  # created by a concurrent request: lock theirs
    return model.objects.select_for_update().get(key=key)


def prune(older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete database counters whose window ended long ago (the scheduler's housekeeping)."""
    from dangjian.core.models import ThrottleCounter

    deleted, _ = ThrottleCounter.objects.filter(window_started_at__lt=timezone.now() - older_than).delete()
    return deleted

