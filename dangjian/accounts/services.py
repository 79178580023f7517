"""Account writes: creating users, passwords, role grants, unlocking, bootstrap of the 三员."""

from __future__ import annotations

import datetime as dt
import secrets
import string
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext

from dangjian.accounts.api.authentication import revoke_tokens
from dangjian.accounts.models import ApiToken, LoginLock, PasswordHistory, RoleGrant, SecurityPolicy, User
from dangjian.accounts.roles import ADMIN_ROLES, Role
from dangjian.core import audit

ONE_TIME_PASSWORD_HOURS = 72


def random_password(length: int = 16) -> str:
    """A random password meeting every class rule (CSPRNG)."""
    alphabet = string.ascii_letters + string.digits + "!@#%^*-_=+"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if (any(c.isupper() for c in candidate) and any(c.islower() for c in candidate)
                and any(c.isdigit() for c in candidate) and any(not c.isalnum() for c in candidate)):
            return candidate


def _user_snapshot(user: User) -> dict[str, Any]:
    return {"username": user.username, "display_name": user.display_name, "member": user.member_id,
            "is_active": user.is_active, "must_change_password": user.must_change_password}


def create_user(*, actor: Any, username: str, display_name: str = "", member: Any = None,
                password: str | None = None, one_time: bool = True) -> tuple[User, str]:
    """Create an account; returns it with its (one-time, unless given) password."""
    with transaction.atomic():
        pw = password or random_password()
        user = User(username=username, display_name=display_name, member=member)
        user.set_password(pw)
        user.password_changed_at = timezone.now()
        if one_time:
            user.must_change_password = True
            user.initial_password_expires_at = timezone.now() + dt.timedelta(hours=ONE_TIME_PASSWORD_HOURS)
        user.save()
        audit.record("create", obj=user, actor=actor, org_path="", changes={k: [None, v] for k, v in _user_snapshot(user).items()})
    return user, pw


def change_password(*, actor: Any, user: User, new_password: str) -> None:
    """Set a new password after validating the policy; old hash kept for the history rule."""
    validate_password(new_password, user)
    with transaction.atomic():
        if user.password:
            PasswordHistory.objects.create(user=user, password=user.password)
        user.set_password(new_password)
        user.must_change_password = False
        user.initial_password_expires_at = None
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "initial_password_expires_at", "password_changed_at"])
        revoked = revoke_tokens(user, "password_change")
        audit.record("password_change", obj=user, actor=actor, org_path="",
                     changes={"revoked_tokens": [None, revoked]} if revoked else None)


def update_user(*, actor: Any, user: User, data: dict[str, Any]) -> None:
    """Change an account's profile fields; disabling it ends its sessions at once (AUTH-05)."""
    with transaction.atomic():
        before = _user_snapshot(User.objects.get(pk=user.pk))
        for name in ("username", "display_name", "member", "is_active"):
            if name in data:
                setattr(user, name, data[name])
        user.save()
        if not user.is_active:
            end_sessions(user)
            revoke_tokens(user, "deactivated")
        audit.record("update", obj=user, actor=actor, org_path="", changes=audit.diff(before, _user_snapshot(user)))


@dataclass(frozen=True)
class DormantResult:
    disabled: list[str]
    admins_dormant: list[str]


def disable_dormant(*, actor: Any = None, now: dt.datetime | None = None) -> DormantResult:
    """AUTH-05: disable every account not used for the policy's ``dormant_days`` (last login,
    or creation when it never logged in), ending its sessions and revoking its tokens in the
    same transaction, one audit entry per account. Accounts holding an administrator role
    (三员) are listed instead: disabling them could leave nobody to re-enable the others."""
    days = SecurityPolicy.current().dormant_days
    if not days:
        return DormantResult([], [])
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    dormant = User.objects.filter(is_active=True).filter(  # scope-ok: nightly housekeeping over every account
        models.Q(last_login__lt=cutoff) | models.Q(last_login__isnull=True, date_joined__lt=cutoff)).order_by("username")
    admins = set(RoleGrant.objects.filter(revoked_at__isnull=True, role__in=ADMIN_ROLES)  # scope-ok: see above
                 .values_list("user_id", flat=True))
    disabled: list[str] = []
    kept: list[str] = []
    ended: list[int] = []
    with transaction.atomic():
        for user in dormant.select_for_update():
            if user.pk in admins or user.is_superuser:
                kept.append(user.username)
                continue
            user.is_active = False
            user.save(update_fields=["is_active"])
            revoked = revoke_tokens(user, "dormant")
            audit.record("disabled_dormant", obj=user, actor=actor, org_path="",
                         changes={"is_active": [True, False], **({"revoked_tokens": [None, revoked]} if revoked else {})},
                         reason=str(days))
            disabled.append(user.username)
            ended.append(user.pk)
        end_sessions_of(ended)  # one pass over the sessions for every disabled account
    return DormantResult(disabled, kept)


def end_sessions(user: User) -> int:
    """Delete every server-side session of ``user``."""
    return end_sessions_of([user.pk])


def end_sessions_of(user_ids: Any) -> int:
    """Delete every server-side session of these accounts, in one pass over the sessions."""
    wanted = {str(pk) for pk in user_ids}
    if not wanted:
        return 0
    doomed = [s.pk for s in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
              if str(s.get_decoded().get("_auth_user_id")) in wanted]
    Session.objects.filter(pk__in=doomed).delete()
    return len(doomed)


def grant_role(*, actor: Any, user: User, role: str, org: Any) -> RoleGrant:
    """Grant ``role`` on ``org``; refuses self-grants and a second administrator role."""
    with transaction.atomic():
        grant = RoleGrant(user=user, role=role, org=org, granted_by=actor if getattr(actor, "pk", None) else None)
        grant.full_clean()
        grant.save()
    return grant


def revoke_role(*, actor: Any, grant: RoleGrant) -> None:
    with transaction.atomic():
        grant.revoked_at = timezone.now()
        grant.save()


def revoke_token(*, actor: Any, token: ApiToken) -> None:
    """Revoke one API token (its owner, or the security admin)."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_reason="revoked" if actor == token.user else "security_admin")
        audit.record("token_revoked", obj=token.user, actor=actor, org_path="", reason=token.name)


def prune_tokens(*, older_than: dt.timedelta = dt.timedelta(days=30)) -> int:
    """Delete tokens revoked or expired longer than ``older_than`` ago (the scheduler's line)."""
    from dangjian.accounts.models import SecurityPolicy

    now = timezone.now()
    policy = SecurityPolicy.current()
    cutoff = now - older_than
    dead = ApiToken.objects.filter(models.Q(revoked_at__lt=cutoff) | models.Q(expires_at__lt=cutoff))
    if policy.token_idle_days:
        idle_cutoff = cutoff - dt.timedelta(days=policy.token_idle_days)
        dead = dead | ApiToken.objects.filter(
            models.Q(last_used_at__lt=idle_cutoff) | models.Q(last_used_at__isnull=True, created_at__lt=idle_cutoff))
    deleted, _by_model = ApiToken.objects.filter(pk__in=dead.values("pk")).delete()
    return deleted


def unlock(*, actor: Any, username: str) -> None:
    with transaction.atomic():
        LoginLock.objects.filter(username=username).delete()
        audit.record("account_unlocked", object_type="accounts.user", object_repr=username, actor=actor)


ADMIN_ACCOUNTS = (
    ("sysadmin", "系统管理员", Role.SYSTEM_ADMIN),
    ("secadmin", "安全管理员", Role.SECURITY_ADMIN),
    ("auditadmin", "审计管理员", Role.AUDIT_ADMIN),
)


def bootstrap_admins(*, root: Any) -> dict[str, str]:
    """Create the three administrator accounts with random one-time passwords (AUTH-04).

    Refuses to run twice; returns {username: one-time password} to print once.
    """
    if RoleGrant.objects.filter(role__in=ADMIN_ROLES, revoked_at__isnull=True).exists():
        raise ValidationError(gettext("The administrator accounts already exist."))
    passwords: dict[str, str] = {}
    with transaction.atomic():
        for username, display, role in ADMIN_ACCOUNTS:
            user, pw = create_user(actor=None, username=username, display_name=display)
            RoleGrant.objects.create(user=user, role=role, org=root)
            passwords[username] = pw
    return passwords
