"""The read path on a PostgreSQL hot standby (docs/replica.md).

With ``DATABASE_REPLICA_URL`` set, settings add a ``replica`` database alias, this module's
router and its middleware; without it nothing here runs and every query goes to ``default``.

- A view reads from the replica only when it says so: ``@reads_from_replica`` (dashboards,
  reports, exports: each module decorates its own views). Every other view, every write, every
  ``transaction.atomic`` block and ``select_for_update`` use the primary.
- Read-your-writes: a request that writes (an unsafe method, or a write on a GET other than the
  session's and an audit entry's)
  sets a signed cookie; for ``DANGJIAN["REPLICA"]["PIN_SECONDS"]`` after it that browser's reads
  stay on the primary. Within the request, reads after its first write go to the primary.
- The replica is used only while its replay lag is under ``MAX_LAG_SECONDS`` (checked at most
  every ``CHECK_SECONDS`` per process); when it is down or lagging the reads go to the primary
  (rechecked after ``DOWN_SECONDS``), and a replica-routed view whose replica connection fails
  midway is answered again from the primary, if it has not written.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponseBase

log = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: writes that change nothing a page shows: the session row saved on every request, and an
#: audit entry alone (an export's); a real change writes its own rows beside its audit entry
UNPINNED_MODELS = frozenset({"sessions.session", "core.auditentry"})
_SALT = "dangjian.core.replica.pin"

#: what the standby has received but not replayed, in seconds (0 when it has replayed everything;
#: on a server that is not a standby both positions are NULL: 0)
LAG_SQL = (
    "SELECT CASE WHEN pg_last_wal_receive_lsn() IS NULL OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() "
    "THEN 0 ELSE extract(epoch FROM now() - coalesce(pg_last_xact_replay_timestamp(), pg_postmaster_start_time())) END"
)


def setting(name: str) -> float:
    defaults = {"PIN_SECONDS": 15, "MAX_LAG_SECONDS": 5, "CHECK_SECONDS": 1, "DOWN_SECONDS": 10}
    value: Any = getattr(settings, "DANGJIAN", {}).get("REPLICA", {}).get(name, defaults[name])
    return float(value)


def configured() -> bool:
    return REPLICA in settings.DATABASES


def cookie_name() -> str:
    return "__Host-dangjian-primary" if settings.SESSION_COOKIE_SECURE else "dangjian-primary"


@dataclass
class _Request:
    pinned: bool  # this browser wrote within the pin window
    route: str = PRIMARY  # REPLICA inside a @reads_from_replica view while the replica is usable
    wrote: bool = False


_current: ContextVar[_Request | None] = ContextVar("dangjian_replica_request", default=None)


def reading_replica() -> bool:
    """Whether a read issued now goes to the replica (callers caching what they read key on it)."""
    state = _current.get()
    return (state is not None and state.route == REPLICA and not state.wrote
            and not connections[PRIMARY].in_atomic_block)


class ReplicaRouter:
    """Reads of a replica-routed request go to the replica; everything else to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        return REPLICA if reading_replica() else PRIMARY

    def db_for_write(self, model: Any, **hints: Any) -> str:
        state = _current.get()
        if state is not None and model._meta.label_lower not in UNPINNED_MODELS:
            state.wrote = True
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        both = {obj1._state.db, obj2._state.db}
        return True if both <= {PRIMARY, REPLICA, None} else None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA else None  # a hot standby is read-only: it replays the primary


class _Health:
    """This process's last verdict on the replica: usable or not, and until when it holds."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.usable = False
        self.until = 0.0
        self.lag: float | None = None

    def mark_down(self) -> None:
        with self.lock:
            self.usable, self.lag, self.until = False, None, time.monotonic() + setting("DOWN_SECONDS")

    def reset(self) -> None:
        with self.lock:
            self.until = 0.0


health = _Health()


def replica_lag() -> float:
    """The replica's replay lag in seconds (raises the database error when it is unreachable)."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(LAG_SQL)
        return float(cursor.fetchone()[0])


def replica_usable() -> bool:
    now = time.monotonic()
    if now < health.until:
        return health.usable
    try:
        lag = replica_lag()
    except (OperationalError, InterfaceError) as exc:
        log.warning("replica unreachable, reading from the primary: %s", exc)
        connections[REPLICA].close()
        health.mark_down()
        return False
    usable = lag <= setting("MAX_LAG_SECONDS")
    if not usable:
        log.warning("replica lags %.1f s, reading from the primary", lag)
    with health.lock:
        health.usable, health.lag = usable, lag
        health.until = now + setting("CHECK_SECONDS" if usable else "DOWN_SECONDS")
    return usable


def reads_from_replica(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Mark a view (dashboard, report, export) whose reads may come from the replica."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        state = _current.get()
        if (state is None or state.pinned or state.wrote or state.route == REPLICA
                or request.method not in SAFE_METHODS or not replica_usable()):
            return view(request, *args, **kwargs)
        state.route = REPLICA
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError) as exc:
            if state.wrote:
                raise  # a view that wrote is never run twice
            log.warning("replica failed during a request, answering from the primary: %s", exc)
            connections[REPLICA].close()
            health.mark_down()
            state.route = PRIMARY
            return view(request, *args, **kwargs)
        finally:
            state.route = PRIMARY

    wrapper.reads_from_replica = True  # type: ignore[attr-defined]
    return wrapper


class ReplicaMiddleware:
    """Per request: whether this browser is pinned to the primary; after a write, pin it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        pin = setting("PIN_SECONDS")
        pinned = request.get_signed_cookie(cookie_name(), default=None, salt=_SALT,
                                         max_age=timedelta(seconds=pin)) is not None
        state = _Request(pinned=pinned)
        token = _current.set(state)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        if state.wrote or request.method not in SAFE_METHODS:
            response.set_signed_cookie(cookie_name(), "1", salt=_SALT, max_age=int(pin) or 1,
                                       secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response
