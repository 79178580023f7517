"""Session policy (SESS-01) and forced password change (AUTH-01)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.accounts.models import SecurityPolicy

AUTH_AT = "dangjian_auth_at"
ALLOWED_WHILE_PASSWORD_STALE = ("accounts:password_change", "accounts:logout")


class SessionPolicyMiddleware:
    """Idle and absolute session timeouts from the security policy; stale passwords must change.

    The idle timeout is the session's server-side expiry, renewed on every request; the
    absolute timeout counts from the login time kept in the session.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            policy = SecurityPolicy.current()
            now = timezone.now()
            auth_at = request.session.get(AUTH_AT)
            if auth_at is None or now - dt.datetime.fromisoformat(auth_at) > dt.timedelta(hours=policy.absolute_timeout_hours):
                logout(request)
                messages.info(request, gettext("Your session has ended; please log in again."))
                return HttpResponseRedirect(reverse("accounts:login"))
            request.session.set_expiry(policy.idle_timeout_minutes * 60)
            if self._password_stale(user, policy, now):
                allowed = {reverse(name) for name in ALLOWED_WHILE_PASSWORD_STALE}
                if request.path not in allowed and not request.path.startswith("/static/"):
                    if request.path.startswith("/api/"):
                        from django.http import JsonResponse

                        return JsonResponse({"code": "password_expired", "detail": gettext("Please change your password first.")}, status=403)
                    return HttpResponseRedirect(reverse("accounts:password_change"))
        return self.get_response(request)

    @staticmethod
    def _password_stale(user: object, policy: SecurityPolicy, now: dt.datetime) -> bool:
        if getattr(user, "must_change_password", False):
            return True
        changed = getattr(user, "password_changed_at", None)
        if policy.password_max_age_days and changed is not None:
            return now - changed > dt.timedelta(days=policy.password_max_age_days)
        return False
