"""Second factor (SECURITY.md AUTH-03) and step-up re-authentication (SESS-02).

A second factor is a TOTP device (django-otp, 30-second steps, a code is accepted once: a
device refuses a code at or below its last verified step) plus ten one-time backup codes
(django-otp's static device). It is mandatory for the three administrators (三员) and for the
roles the security admin lists in ``SecurityPolicy.mfa_required_roles``; anyone else may enrol.

A login whose user needs or has a second factor is only *pending* after the password: the
session holds the user's id (not a login) until the code is given on ``accounts:mfa_verify``
(or, for a user who must enrol and has no device yet, until the enrolment is confirmed on
``accounts:mfa_enrol``). The API token endpoint asks for the code in the same request.

Recovery: only the security admin removes a user's devices (audited, the user's sessions and
tokens end); the user enrols again at the next login.

Step-up: revealing an ID number, changing role grants, exporting personal data in bulk and
approving money need a re-authentication (password or code) within the policy's
``step_up_minutes``; a login counts as one.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dangjian.accounts.models import RoleGrant, SecurityPolicy, User
from dangjian.accounts.roles import ADMIN_ROLES
from dangjian.core import audit

BACKUP_CODES = 10
TOTP_NAME = "totp"
BACKUP_NAME = "backup"

#: session keys: a login waiting for its second factor, and the last (re-)authentication
PENDING = "dangjian_mfa_pending"
STEP_UP_AT = "dangjian_step_up_at"
PENDING_MINUTES = 5
PENDING_ATTEMPTS = 5


def required_roles(policy: SecurityPolicy | None = None) -> set[str]:
    policy = policy or SecurityPolicy.current()
    return {str(r) for r in ADMIN_ROLES} | {str(r) for r in (policy.mfa_required_roles or [])}


def is_required(user: Any) -> bool:
    """The user holds an active grant of a role that must use a second factor."""
    if not getattr(user, "pk", None):
        return False
    return RoleGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True, role__in=required_roles()).exists()


def totp_device(user: Any, *, confirmed: bool | None = True) -> TOTPDevice | None:
    qs = TOTPDevice.objects.filter(user_id=user.pk)
    if confirmed is not None:
        qs = qs.filter(confirmed=confirmed)
    return qs.order_by("-id").first()


def is_enrolled(user: Any) -> bool:
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


def start_enrolment(user: User) -> TOTPDevice:
    """A new unconfirmed TOTP device for ``user`` (replacing an unconfirmed one)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def pending_device(user: User) -> TOTPDevice:
    return totp_device(user, confirmed=False) or start_enrolment(user)


def qr_svg_data_uri(device: TOTPDevice) -> str:
    """The enrolment QR code rendered here (segno), as a data: URI (CSP allows data: images)."""
    import segno

    return str(segno.make(config_url(device), error="m").svg_data_uri(scale=4, border=2))


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// URI of the device, with the platform's name as the issuer the app shows."""
    from urllib.parse import quote, urlencode

    from django.utils.translation import gettext

    issuer = gettext("Smart Party Building").replace(":", "")
    label = f"{issuer}:{device.user.get_username()}"
    params = urlencode({"secret": secret_base32(device), "algorithm": "SHA1", "digits": device.digits,
                        "period": device.step})
    return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"


def secret_base32(device: TOTPDevice) -> str:
    import base64

    return base64.b32encode(device.bin_key).decode()


def _new_backup_codes(user: User) -> list[str]:
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(*, actor: User, device: TOTPDevice, token: str) -> list[str] | None:
    """Confirm ``device`` with a code from the user's app; returns the new backup codes (shown
    once), or ``None`` when the code is wrong."""
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if locked.confirmed or locked.user_id != actor.pk or not locked.verify_token(token.strip()):
            return None
        TOTPDevice.objects.filter(user_id=actor.pk, confirmed=True).delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        codes = _new_backup_codes(actor)
        audit.record("mfa_enrolled", obj=actor, actor=actor, org_path="")
    return codes


def verify(user: Any, token: str) -> Any:
    """The device that accepts ``token`` (6 digits: the app's TOTP; 8 digits: a backup code,
    used up), or ``None``. The device's row is locked while it checks (no double use of a code);
    a wrong code pauses the device (django-otp's throttling, doubling from 1 s)."""
    token = (token or "").strip().replace(" ", "")
    if not token or not token.isdigit() or len(token) > 8:
        return None
    model: Any = TOTPDevice if len(token) == 6 else StaticDevice  # app codes have 6 digits, backup codes 8
    with transaction.atomic():
        for device in model.objects.select_for_update().filter(user_id=user.pk, confirmed=True):
            if device.verify_token(token):
                return device
    return None


def reset(*, actor: Any, user: User) -> int:
    """Recovery by the security admin: remove every device of ``user`` (their sessions and API
    tokens end; a user who must use a second factor enrols again at the next login)."""
    from dangjian.accounts.api.authentication import revoke_tokens
    from dangjian.accounts.services import end_sessions

    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        removed = TOTPDevice.objects.filter(user_id=locked.pk).delete()[0]
        removed += StaticDevice.objects.filter(user_id=locked.pk).delete()[0]
        end_sessions(locked)
        revoke_tokens(locked, "mfa_reset")
        audit.record("mfa_reset", obj=locked, actor=actor, org_path="")
    return removed


def enrol_with_secret(user: User, key_hex: str) -> TOTPDevice:
    """A confirmed device with a known key (the demo database's printed secrets, test personas)."""
    TOTPDevice.objects.filter(user_id=user.pk).delete()
    device = TOTPDevice.objects.create(user=user, name=TOTP_NAME, key=key_hex, confirmed=True)
    _new_backup_codes(user)
    return device


def backup_code_for(user: User) -> str:
    """A fresh one-time backup code (tests and the demo's first look)."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME, defaults={"confirmed": True})
    code = f"{secrets.randbelow(10**8):08d}"
    StaticToken.objects.create(device=device, token=code)
    return code


def set_policy(*, actor: Any, required: list[str], step_up_minutes: int) -> SecurityPolicy:
    """The security admin's choice of the roles that must use a second factor (the 三员 always
    do) and of the step-up window; the policy row's save is audited with its diff."""
    with transaction.atomic():
        policy = SecurityPolicy.objects.select_for_update().order_by("id").first() or SecurityPolicy()
        policy.mfa_required_roles = sorted({str(r) for r in required} - {str(r) for r in ADMIN_ROLES})
        policy.step_up_minutes = step_up_minutes
        policy.save()
    return policy


# --- step-up ------------------------------------------------------------------------------------


def step_up_fresh(request: Any) -> bool:
    """A re-authentication (or the login) of this session or API token within the policy's minutes."""
    window = dt.timedelta(minutes=SecurityPolicy.current().step_up_minutes)
    now = timezone.now()
    token = getattr(request, "auth", None)
    from dangjian.accounts.models import ApiToken

    if isinstance(token, ApiToken):
        return token.step_up_at is not None and now - token.step_up_at <= window
    session = getattr(request, "session", None)
    at = session.get(STEP_UP_AT) if session is not None else None
    return at is not None and now - dt.datetime.fromisoformat(at) <= window


def check_step_up(user: Any, *, password: str = "", code: str = "") -> bool:
    """The user's password or one of their codes (audited either way by the caller)."""
    if code:
        return verify(user, code) is not None
    return bool(password) and user.check_password(password)
