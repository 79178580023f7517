"""Operator logs: one JSON line per request and per job (issue 9, SECURITY.md AUD-02).

Every record leaving the process goes through :class:`JsonFormatter`: one line of JSON with the
time (explicit offset), level, logger, message, the request id and user id of the current unit
of work (:mod:`dangjian.core.context`), the fields a caller passed as ``extra`` and, for errors,
the traceback as one escaped string. Tracebacks go to the log only; the pages show the Chinese
error pages.

What never reaches a log line (AUD-02): request bodies, query strings and headers are not
logged at all; 18-digit ID numbers that slip into a message or an exception are masked the way
the interface masks them, and values of password/token fields are never passed as ``extra``.

- ``RequestContextMiddleware`` writes the request line (:func:`log_request`);
- jobs (tasks, scheduled work, management commands) wrap their body in :func:`job_log`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from dangjian.core import context

REQUEST_LOGGER = "dangjian.request"
JOB_LOGGER = "dangjian.job"

#: Attributes of every LogRecord: not copied as "extra" fields.
_RECORD_ATTRS = frozenset(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}
#: Extra keys that never go out, whatever a caller passes (defence in depth, AUD-02).
_SECRET_KEYS = frozenset({"password", "passwd", "token", "secret", "otp", "key", "authorization", "cookie"})
_ID_NUMBER = re.compile(r"(?<!\d)(\d{4})\d{10}(\d{3}[\dXx])(?!\d)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def redact(text: str) -> str:
    """Mask resident ID numbers (``1101**********1234``) in free text."""
    return _ID_NUMBER.sub(lambda m: f"{m.group(1)}{'*' * 10}{m.group(2)}", text)


def _value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, str):
        return redact(_CONTROL.sub("", value))
    if isinstance(value, dict):
        return {str(k): ("[redacted]" if str(k).lower() in _SECRET_KEYS else _value(v)) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return redact(str(value))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: the record, the actor context and its extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        ctx = context.current()
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).astimezone().isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": ctx.request_id or None,
            "user_id": getattr(ctx.user, "pk", None) if getattr(ctx.user, "is_authenticated", False) else None,
        }
        for key, value in vars(record).items():
            if key in _RECORD_ATTRS or key.startswith("_"):
                continue
            line[key] = "[redacted]" if key.lower() in _SECRET_KEYS else value
        if record.exc_info:
            line["traceback"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["traceback"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        # Django's own loggers attach the request object: never serialize it.
        line.pop("request", None)
        line.pop("server_time", None)
        return json.dumps({k: _value(v) for k, v in line.items()}, ensure_ascii=False, default=str)


def log_request(request: Any, response: Any, *, started: float) -> None:
    """Write the one line of a finished request (called by RequestContextMiddleware)."""
    user = getattr(request, "user", None)
    status = int(getattr(response, "status_code", 0))
    level = logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
    logging.getLogger(REQUEST_LOGGER).log(
        level,
        "%s %s %s",
        request.method,
        request.path,
        status,
        extra={
            "request_id": getattr(request, "request_id", None),
            "user_id": getattr(user, "pk", None) if getattr(user, "is_authenticated", False) else None,
            "method": request.method,
            # The path only: query strings may carry search terms (names, ID numbers).
            "path": request.path,
            "status": status,
            "duration_ms": round((time.monotonic() - started) * 1000, 1),
        },
    )


@contextmanager
def job_log(name: str, *, job_id: Any = None, user: Any = None, **fields: Any) -> Iterator[dict[str, Any]]:
    """Time a job and write its one line when it ends: ``status`` "succeeded" or "failed".

    A failure is logged with its traceback and re-raised. The yielded dict takes more fields
    for the line (``info["rows"] = 10000``). The request id is the one of the context in force
    (``acting_as`` gives every job its own)::

        with acting_as(user, reason="arrears scan"), job_log("dues.scan_arrears", job_id=task.id):
            scan()
    """
    info: dict[str, Any] = dict(fields)
    started = time.monotonic()
    ctx = context.current()
    actor = user if user is not None else ctx.user
    base = {
        "job": name,
        "job_id": None if job_id is None else str(job_id),
        "request_id": ctx.request_id or None,
        "user_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
    }
    logger = logging.getLogger(JOB_LOGGER)
    try:
        yield info
    except BaseException:
        duration = round((time.monotonic() - started) * 1000, 1)
        logger.exception(
            "job %s failed", name, extra={**info, **base, "status": "failed", "duration_ms": duration}
        )
        raise
    duration = round((time.monotonic() - started) * 1000, 1)
    logger.info("job %s succeeded", name, extra={**info, **base, "status": "succeeded", "duration_ms": duration})


def logging_config(*, level: str = "INFO", log_file: str = "") -> dict[str, Any]:
    """The ``LOGGING`` setting: JSON lines to stderr (journald) and optionally to a file that
    logrotate may move (``WatchedFileHandler`` reopens it)."""
    handlers: dict[str, Any] = {"console": {"class": "logging.StreamHandler", "formatter": "json"}}
    if log_file:
        handlers["file"] = {"class": "logging.handlers.WatchedFileHandler", "filename": log_file, "formatter": "json"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "dangjian.core.logs.JsonFormatter"}},
        "handlers": handlers,
        "root": {"handlers": list(handlers), "level": "WARNING"},
        "loggers": {
            # Our own request and job lines (they propagate to the root's handlers).
            "dangjian": {"level": level},
            # Django's handlers (a plain-text console in DEBUG, mail to ADMINS) are replaced
            # by the root's JSON ones; the request line replaces Django's per-request
            # warnings, so django.request only reports errors, with their tracebacks.
            "django": {"handlers": [], "level": "INFO", "propagate": True},
            "django.request": {"level": "ERROR"},
            "django.server": {"handlers": [], "level": "ERROR", "propagate": True},
        },
    }
