"""Authentication with lockout on every login path (SECURITY.md AUTH-02).

All logins — the page, and any later API token endpoint — go through Django's
``authenticate()``, which reaches this backend, so the lockout cannot be bypassed by choosing
another entry point. An unknown username and a wrong password get the same answer and both
count towards the lock, so the response does not reveal which accounts exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.models import LoginLock, SecurityPolicy, User
from dangjian.core import audit

#: One message for unknown user, wrong password and locked account (no enumeration): the login
#: page and the API token endpoint answer with it.
LOGIN_FAILED = _("The username or password is wrong, or the account is locked. After 5 failed attempts an "
                 "account is locked for 30 minutes.")


class LockoutModelBackend(ModelBackend):
    """ModelBackend that refuses locked usernames and counts failures."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        username = username.strip()
        policy = SecurityPolicy.current()
        now = timezone.now()
        lock = LoginLock.objects.filter(username=username).first()
        if lock and lock.is_locked(now):
            with transaction.atomic():
                audit.record("login_refused_locked", object_type="accounts.user", object_repr=username, success=False)
            if request is not None:
                request.login_locked = True  # type: ignore[attr-defined]
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        with transaction.atomic():
            if user is None:
                lock, _ = LoginLock.objects.get_or_create(username=username)
                lock.failures += 1
                lock.last_failure_at = now
                locked = lock.failures >= policy.lockout_threshold
                if locked:
                    lock.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
                    lock.failures = 0
                lock.save()
                audit.record("login_failed", object_type="accounts.user", object_repr=username, success=False)
                if locked:
                    audit.record("account_locked", object_type="accounts.user", object_repr=username, success=False)
                    if request is not None:
                        request.login_locked = True  # type: ignore[attr-defined]
            else:
                LoginLock.objects.filter(username=username).delete()
        return user

    def user_can_authenticate(self, user: Any) -> bool:
        """Inactive accounts and one-time passwords past their expiry (72 h, AUTH-04) cannot log in."""
        expires = getattr(user, "initial_password_expires_at", None)
        if getattr(user, "must_change_password", False) and expires is not None and expires <= timezone.now():
            return False
        return super().user_can_authenticate(user)
