"""Who is acting, from where, and why — for the audit log.

A request sets the context in ``RequestContextMiddleware``; management commands and jobs use
``acting_as(user, reason=...)``. The audit writer reads it, so no view or service has to pass
the actor around just for logging.
"""

from __future__ import annotations

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True)
class ActorContext:
    """The actor of the current unit of work."""

    user: Any = None
    ip: str | None = None
    request_id: str = ""
    reason: str = ""
    source: str = "system"  # "web", "api", "command", "system", "anonymous"
    #: Record the day instead of the time (anonymous writes: a precise time could be
    #: correlated with the sender's other activity).
    coarse_time: bool = False


_current: contextvars.ContextVar[ActorContext] = contextvars.ContextVar(
    "dangjian_actor", default=ActorContext()  # noqa: B039  (frozen dataclass: immutable)
)


def current() -> ActorContext:
    """The actor context in force (an empty 'system' context when none was set)."""
    return _current.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


@contextmanager
def acting_as(user: Any, *, reason: str = "", source: str = "command", ip: str | None = None) -> Iterator[ActorContext]:
    """Run a block as ``user``: every change inside is audited with this actor and reason."""
    ctx = ActorContext(user=user, ip=ip, request_id=new_request_id(), reason=reason, source=source)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def set_context(ctx: ActorContext) -> contextvars.Token[ActorContext]:
    return _current.set(ctx)


def reset_context(token: contextvars.Token[ActorContext]) -> None:
    _current.reset(token)


@contextmanager
def anonymous_write() -> Iterator[ActorContext]:
    """Run a block as nobody: no user, no IP, no request id, the day instead of the time.

    For writes whose author must stay unknown (anonymous opinions): the audit entries written
    inside carry nothing that leads back to the request that caused them.
    """
    ctx = ActorContext(user=None, ip=None, request_id="", reason="", source="anonymous", coarse_time=True)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)


def with_user(user: Any) -> None:
    """Attach the authenticated user to the request's context once authentication has run."""
    _current.set(replace(_current.get(), user=user))
