"""Authentication with lockout on every login path (SECURITY.md AUTH-02).

All logins — the page and the API token endpoint — go through Django's ``authenticate()``,
which reaches this backend, so the lockout cannot be bypassed by choosing another entry point.
An unknown username and a wrong password get the same answer and both count towards the lock,
so the response does not reveal which accounts exist.

No race: an attempt is *reserved* — its counters locked and incremented in the database —
before the password is checked, and refused without a check once the threshold is reached. 50
parallel wrong passwords therefore reach at most ``lockout_threshold`` password checks, and the
row lock lets exactly one of them write the lock and its audit entry.

No lock-out attack: the lock counts per (username, source address). Someone guessing from one
address locks the account for that address only, and the per-address throttle stops one address
from trying many accounts. The account itself is locked for every address only after
``account_lockout_threshold`` failures (20 by default), which needs several addresses.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.models import LoginLock, SecurityPolicy, User
from dangjian.core import audit, context, throttle

#: One message for unknown user, wrong password and locked account (no enumeration): the login
#: page and the API token endpoint answer with it.
LOGIN_FAILED = _("The username or password is wrong, or the account is locked. After 5 failed attempts an "
                 "account is locked for 30 minutes.")
#: Too many failed logins from this address (any usernames): says nothing about an account.
LOGIN_THROTTLED = _("Too many failed logins from your address. Please try again later.")
UNKNOWN_ADDRESS = "-"


def login_address(request: HttpRequest | None) -> str:
    """The source address the counters use: the audited client IP (trusted proxies only)."""
    from dangjian.core.middleware import client_ip

    ip = client_ip(request) if request is not None else context.current().ip
    return (ip or UNKNOWN_ADDRESS)[:45]


def _address_key(address: str) -> str:
    return f"login-address:{address}"


def _locked(username: str, address: str) -> LoginLock:
    """The (username, address) row, created if needed, locked. A concurrent attempt may create
    it first, or create and remove it (a success clears it): look again, a few times."""
    for _attempt in range(5):
        row = LoginLock.objects.select_for_update().filter(username=username, address=address).first()
        if row is not None:
            return row
        try:
            with transaction.atomic():
                LoginLock.objects.create(username=username, address=address)
        except IntegrityError:
            continue  # a concurrent attempt created it: lock that one
    return LoginLock.objects.select_for_update().get(username=username, address=address)


def _expire(row: LoginLock, now: dt.datetime) -> None:
    if row.locked_until is not None and row.locked_until <= now:
        row.locked_until = None
        row.failures = 0


def _refuse_locked(request: HttpRequest | None, username: str) -> None:
    audit.record("login_refused_locked", object_type="accounts.user", object_repr=username, success=False)
    if request is not None:
        request.login_locked = True  # type: ignore[attr-defined]


class LockoutModelBackend(ModelBackend):
    """ModelBackend that reserves each attempt before the password check and locks at the threshold."""

    def authenticate(  # type: ignore[override]
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None or password is None:
            return None
        username = username.strip()[:150]
        policy = SecurityPolicy.current()
        address = login_address(request)
        window = policy.address_window_minutes * 60
        address_hit = throttle.hit(_address_key(address), limit=policy.address_failure_limit, window=window)
        if not address_hit.allowed:
            if address_hit.first_refusal:
                with transaction.atomic():
                    audit.record("login_throttled", object_type="accounts.user", object_repr=username, success=False,
                                 reason=address)
            if request is not None:
                request.login_throttled = True  # type: ignore[attr-defined]
            return None
        if not self._reserve(request, username, address, policy):
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        self._settle(request, username, address, policy, ok=user is not None)
        if user is not None:
            throttle.refund(_address_key(address))
        return user

    @staticmethod
    def _reserve(request: HttpRequest | None, username: str, address: str, policy: SecurityPolicy) -> bool:
        """Count this attempt before the check; ``False`` when it must be refused unchecked."""
        now = timezone.now()
        with transaction.atomic():
            pair = _locked(username, address)  # lock order: the address row, then the account row
            account = _locked(username, "")
            for row in (pair, account):
                _expire(row, now)
            full = (pair.is_locked(now) or account.is_locked(now) or pair.failures >= policy.lockout_threshold
                    or account.failures >= policy.account_lockout_threshold)
            if full:
                pair.save(update_fields=["failures", "locked_until"])
                account.save(update_fields=["failures", "locked_until"])
                _refuse_locked(request, username)
                return False
            pair.failures += 1
            account.failures += 1
            pair.save(update_fields=["failures", "locked_until"])
            account.save(update_fields=["failures", "locked_until"])
        return True

    @staticmethod
    def _settle(request: HttpRequest | None, username: str, address: str, policy: SecurityPolicy, *, ok: bool) -> None:
        now = timezone.now()
        with transaction.atomic():
            pair = _locked(username, address)
            account = _locked(username, "")
            if ok:
                pair.delete()
                account.delete()
                return
            audit.record("login_failed", object_type="accounts.user", object_repr=username, success=False)
            for row, threshold, where in ((pair, policy.lockout_threshold, address),
                                          (account, policy.account_lockout_threshold, "")):
                row.last_failure_at = now
                if row.failures >= threshold and not row.is_locked(now):
                    row.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
                    audit.record("account_locked", object_type="accounts.user", object_repr=username, success=False,
                                 reason=where or "all addresses")
                    if request is not None:
                        request.login_locked = True  # type: ignore[attr-defined]
                row.save(update_fields=["last_failure_at", "locked_until"])

    def user_can_authenticate(self, user: Any) -> bool:
        """Inactive accounts and one-time passwords past their expiry (72 h, AUTH-04) cannot log in."""
        expires = getattr(user, "initial_password_expires_at", None)
        if getattr(user, "must_change_password", False) and expires is not None and expires <= timezone.now():
            return False
        return super().user_can_authenticate(user)
