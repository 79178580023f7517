"""Load-balancer probes: liveness (``/health/``) and readiness (``/ready/``).

A load balancer probes each node by IP over plain http (``GET http://10.0.0.5:8000/health/``):
its Host header is not in ALLOWED_HOSTS and production redirects http to https. Both would
turn the probe into 400 or 301 and take every node out of rotation. ``ProbeMiddleware`` sits
first in MIDDLEWARE and answers the two probe paths itself, before host validation, the HTTPS
redirect, sessions and the login requirement. The probes reveal no data: a status word per check.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.crypto import get_random_string
from django.views.decorators.http import require_GET

HEALTH_PATH = "/health/"
READY_PATH = "/ready/"

#: Set once every migration was seen applied: code and schema cannot drift apart again
#: without a restart (a deploy restarts gunicorn), so later probes skip the migration graph.
_migrations_seen_applied = False


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return False
    return True


def cache_ok() -> bool:
    key, value = f"dangjian:ready:{get_random_string(12)}", get_random_string(12)
    try:
        cache.set(key, value, timeout=10)
        ok = cache.get(key) == value
        cache.delete(key)
    except Exception:  # noqa: BLE001  (any backend failure, e.g. redis.ConnectionError, is "not ready")
        return False
    return ok


def unapplied_migrations() -> int | None:
    """How many migrations the code has that the database lacks (None: cannot tell)."""
    global _migrations_seen_applied
    if _migrations_seen_applied:
        return 0
    try:
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return None
    if not plan:
        _migrations_seen_applied = True
    return len(plan)


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers and reaches its database."""
    if not database_ok():
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def ready(request: HttpRequest) -> JsonResponse:
    """Readiness: database, cache and schema are what this code needs; 503 otherwise."""
    pending = unapplied_migrations() if database_ok() else None
    checks = {
        "database": "ok" if pending is not None else "error",
        "cache": "ok" if cache_ok() else "error",
        "migrations": "ok" if pending == 0 else ("error" if pending is None else f"{pending} unapplied"),
    }
    ok = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", **checks}, status=200 if ok else 503)


PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {HEALTH_PATH: health, READY_PATH: ready}


class ProbeMiddleware:
    """Answer the probe paths before anything can refuse them (host, scheme, login)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None:
            response = probe(request)
            # The headers the skipped middleware would have added (IO-03, DP-02).
            response["Cache-Control"] = "no-store"
            response["X-Content-Type-Options"] = "nosniff"
            response["X-Frame-Options"] = "DENY"
            response["Content-Security-Policy"] = "default-src 'none'; frame-ancestors 'none'"
            return response
        return self.get_response(request)
