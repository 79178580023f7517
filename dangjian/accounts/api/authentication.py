"""API token authentication (``Authorization: Token <key>``), revocable, hashed at rest."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions, permissions

from dangjian.accounts.middleware import SessionPolicyMiddleware
from dangjian.accounts.models import ApiToken, SecurityPolicy, User


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(user: User, name: str = "", *, expires_at: dt.datetime | None = None) -> str:
    """Create a token for ``user``; the returned key is never stored and shown once. It expires
    at the policy's absolute lifetime (or at ``expires_at``, for a refresh)."""
    key = secrets.token_urlsafe(32)
    if expires_at is None:
        expires_at = timezone.now() + dt.timedelta(days=SecurityPolicy.current().token_max_days)
    ApiToken.objects.create(user=user, key_hash=hash_key(key), name=name[:100], expires_at=expires_at)
    return key


def token_expired(token: ApiToken, policy: SecurityPolicy, now: dt.datetime) -> bool:
    """Past its absolute expiry, or unused for longer than the idle days (SESS-01)."""
    if token.expires_at is not None and token.expires_at <= now:
        return True
    last = token.last_used_at or token.created_at
    return bool(policy.token_idle_days and last and now - last > dt.timedelta(days=policy.token_idle_days))


def revoke_tokens(user: User, reason: str) -> int:
    """Revoke every live token of ``user`` (password change, deactivation, an admin's decision)."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason[:32])


class TokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request: Any) -> tuple[User, ApiToken] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(gettext("Invalid token header."))
        try:
            key = header[1].decode()
        except UnicodeError as exc:
            raise exceptions.AuthenticationFailed(gettext("Invalid token header.")) from exc
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key), revoked_at__isnull=True).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(gettext("The token is invalid or has been revoked."))
        now = timezone.now()
        if token_expired(token, SecurityPolicy.current(), now):
            raise exceptions.AuthenticationFailed(gettext("The token has expired. Please log in again."))
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return self.keyword


class PasswordFresh(permissions.BasePermission):
    """API callers with an expired or one-time password must change it first (AUTH-01)."""

    message = _("Please change your password first.")
    code = "password_expired"

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return True  # IsAuthenticated answers for anonymous callers
        return not SessionPolicyMiddleware._password_stale(user, SecurityPolicy.current(), timezone.now())
