"""Request-level middleware of the core: actor context for the audit log, no-store caching."""

from __future__ import annotations

import ipaddress
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequiredMiddleware
from django.http import HttpRequest, HttpResponse

from dangjian.core import context
from dangjian.core.logs import log_request


def client_ip(request: HttpRequest) -> str | None:
    """The client's IP: the peer address, or X-Forwarded-For only when the peer is a trusted proxy.

    A client cannot choose the IP written to the audit log by sending the header itself
    (ASVS 4.1.3, 15.3.4).
    """
    peer = request.META.get("REMOTE_ADDR") or None
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if peer and forwarded and peer in settings.TRUSTED_PROXIES:
        candidate = forwarded.split(",")[-1].strip()
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            return peer
        return candidate
    return peer


class BodyLimitMiddleware:
    """Refuse a request whose declared body is larger than ``DANGJIAN["MAX_REQUEST_BODY_MB"]``
    with 413 before reading a byte of it (nginx has the same limit, the app keeps it without
    nginx). Uploads have their own smaller caps (imports, attachments)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = int(str(settings.DANGJIAN.get("MAX_REQUEST_BODY_MB", 32))) * 1024 * 1024
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limit:
            from django.http import JsonResponse
            from django.utils.translation import gettext

            detail = gettext("The request is too large (at most %(mb)d MB).") % {"mb": limit // (1024 * 1024)}
            if request.path.startswith("/api/"):
                return JsonResponse({"code": "too_large", "detail": detail}, status=413)
            return HttpResponse(detail, status=413, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


class RequestContextMiddleware:
    """Give every request an id, put (user, IP, request id) into the actor context, and write
    the request's one JSON log line (request id, user id, status, duration) when it ends."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.monotonic()
        request_id = context.new_request_id()
        request.request_id = request_id  # type: ignore[attr-defined]
        source = "api" if request.path.startswith("/api/") else "web"
        ctx = context.ActorContext(
            user=getattr(request, "user", None), ip=client_ip(request), request_id=request_id, source=source
        )
        token = context.set_context(ctx)
        try:
            response = self.get_response(request)
            log_request(request, response, started=started)
        finally:
            context.reset_context(token)
        response["X-Request-ID"] = request_id
        return response


class NoStoreMiddleware:
    """Pages for signed-in users carry personal data: never cache them (DP-02, ASVS 14.3.2)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store"
        return response


class LoginRequiredMiddleware(DjangoLoginRequiredMiddleware):
    """Django's deny-by-default login requirement, except under /api/ where DRF answers
    401/403 itself (a redirect to a login page means nothing to an app client)."""

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        if request.path.startswith("/api/"):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
