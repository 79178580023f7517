"""``Idempotency-Key`` on POST (SECURITY.md REL-02, draft-ietf-httpapi-idempotency-key-header).

Same key and same payload: the stored response is replayed and nothing happens twice. Same
key with another payload: 422. The same key while the first request is still running: 409.
Keys are per user. A request whose worker died holds its key only until its lease ends
(``DANGJIAN["IDEMPOTENCY_LEASE_SECONDS"]``, longer than gunicorn's timeout); the scheduler's
``prune_idempotency`` line removes records after 48 hours.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from rest_framework.request import Request
from rest_framework.response import Response

from dangjian.core.api.exceptions import Conflict, Unprocessable
from dangjian.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"


def _hash(request: Request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def idempotent(request: Request, handler: Callable[[], Response]) -> Response:
    """Run ``handler`` at most once per (user, Idempotency-Key), crash-safe.

    The record is first claimed with a lease (committed at once, so a concurrent duplicate sees
    it and gets 409). The handler's write and the record's completion then commit in one
    transaction: if the worker dies, neither is there, and once the lease has expired a retry
    takes the record over and runs the write. A handler still running past its lease cannot
    complete any more (its attempt number no longer matches), so it rolls back: exactly once.
    """
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return handler()
    if len(key) > 100:
        raise Unprocessable(gettext("The Idempotency-Key header is too long."))
    digest = _hash(request)
    user_id = int(request.user.pk or 0)
    lease = dt.timedelta(seconds=int(str(settings.DANGJIAN.get("IDEMPOTENCY_LEASE_SECONDS", 120))))
    now = timezone.now()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user_id=user_id, key=key, method=request.method or "", path=request.path, request_hash=digest,
                lease_until=now + lease,
            )
    except IntegrityError:
        record = _take_over(user_id, key, digest, now, lease)
        if isinstance(record, Response):
            return record
    attempt = record.attempt
    try:
        with transaction.atomic():
            response = handler()
            if response.status_code >= 500:
                raise _Abandon(response)
            done = IdempotencyRecord.objects.filter(pk=record.pk, attempt=attempt, completed=False).update(
                completed=True, lease_until=None, response_status=response.status_code,
                response_body=_jsonable(response.data))
            if not done:  # our lease ran out and a retry took over: this write must not happen
                raise _Abandon(None)
    except _Abandon as abandoned:
        IdempotencyRecord.objects.filter(pk=record.pk, attempt=attempt, completed=False).delete()
        if abandoned.response is not None:
            return abandoned.response
        raise Conflict(gettext("A request with this Idempotency-Key is still being processed.")) from None
    except Exception:
        IdempotencyRecord.objects.filter(pk=record.pk, attempt=attempt, completed=False).delete()  # retry allowed
        raise
    return response


class _Abandon(Exception):
    def __init__(self, response: Response | None) -> None:
        self.response = response


def _take_over(user_id: int, key: str, digest: str, now: dt.datetime, lease: dt.timedelta) -> Any:
    """The key exists: replay it, refuse it, or — its worker died — claim it for this attempt."""
    existing = IdempotencyRecord.objects.filter(user_id=user_id, key=key).first()
    if existing is None:  # deleted by a failed first attempt meanwhile: the client may retry
        raise Conflict(gettext("A request with this Idempotency-Key is still being processed."))
    if existing.request_hash != digest:
        raise Unprocessable(gettext("This Idempotency-Key was already used with a different request."))
    if existing.completed:
        replay = Response(existing.response_body, status=existing.response_status)
        replay["Idempotent-Replayed"] = "true"
        return replay
    if existing.lease_until is not None and existing.lease_until > now:
        raise Conflict(gettext("A request with this Idempotency-Key is still being processed."))
    with transaction.atomic():
        claimed = IdempotencyRecord.objects.filter(
            pk=existing.pk, attempt=existing.attempt, completed=False).update(
            attempt=existing.attempt + 1, lease_until=now + lease)
    if not claimed:  # it completed or another retry claimed it just now
        return _take_over(user_id, key, digest, timezone.now(), lease)
    existing.attempt += 1
    return existing


def _jsonable(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))
