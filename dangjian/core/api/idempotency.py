"""``Idempotency-Key`` on POST (SECURITY.md REL-02, draft-ietf-httpapi-idempotency-key-header).

Same key and same payload: the stored response is replayed and nothing happens twice. Same
key with another payload: 422. The same key while the first request is still running: 409.
Keys are per user.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
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
    """Run ``handler`` at most once per (user, Idempotency-Key)."""
    key = request.headers.get(HEADER, "").strip()
    if not key:
        return handler()
    if len(key) > 100:
        raise Unprocessable(gettext("The Idempotency-Key header is too long."))
    digest = _hash(request)
    user_id = int(request.user.pk or 0)
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(
                user_id=user_id, key=key, method=request.method or "", path=request.path, request_hash=digest
            )
    except IntegrityError:
        existing = IdempotencyRecord.objects.get(user_id=user_id, key=key)
        if existing.request_hash != digest:
            raise Unprocessable(gettext("This Idempotency-Key was already used with a different request.")) from None
        if not existing.completed:
            raise Conflict(gettext("A request with this Idempotency-Key is still being processed.")) from None
        replay = Response(existing.response_body, status=existing.response_status)
        replay["Idempotent-Replayed"] = "true"
        return replay
    try:
        response = handler()
    except Exception:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()  # the request may be retried
        raise
    if response.status_code >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return response
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        completed=True, response_status=response.status_code, response_body=_jsonable(response.data)
    )
    return response


def _jsonable(data: Any) -> Any:
    return json.loads(json.dumps(data, default=str))
