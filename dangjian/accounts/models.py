"""Accounts: users linked to members, role grants on organizations, security policy, lockout."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dangjian.accounts.roles import ADMIN_ROLES, Role
from dangjian.core.models import DetailUrlMixin, ScopedModel
from dangjian.core.scoping import ScopedQuerySet


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """User manager with ``visible_to``."""


class User(DetailUrlMixin, AbstractUser):
    """A login account. A member's account links to their profile; admin accounts do not."""

    scope_area: ClassVar[str] = "users"
    scope_path: ClassVar[str | None] = None
    owner_path: ClassVar[str | None] = None

    member = models.OneToOneField(
        "members.Member", on_delete=models.SET_NULL, null=True, blank=True, related_name="user",
        verbose_name=_("member"),
    )
    display_name = models.CharField(_("display name"), max_length=50, blank=True)
    must_change_password = models.BooleanField(_("must change password at next login"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    initial_password_expires_at = models.DateTimeField(_("one-time password expires at"), null=True, blank=True)

    objects = ScopedUserManager()  # type: ignore[misc]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.username


class RoleGrant(ScopedModel):
    """A role held by a user on an organization, covering its subtree."""

    scope_area = "grants"
    scope_path = "org"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="grants", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    org = models.ForeignKey(
        "orgs.Organization", on_delete=models.PROTECT, related_name="grants", verbose_name=_("organization")
    )
    granted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("granted by")
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ("user", "role")
        verbose_name = _("role grant")
        verbose_name_plural = _("role grants")
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(
                fields=["user", "role", "org"], condition=models.Q(revoked_at__isnull=True), name="one_active_grant",
                violation_error_message=_("This user already holds this role on this organization.")
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.get_role_display()} @ {self.org}"

    def clean(self) -> None:
        if not self.user_id or not self.role:
            return
        others = RoleGrant.objects.filter(user_id=self.user_id, revoked_at__isnull=True).exclude(pk=self.pk)
        other_roles = set(others.values_list("role", flat=True))
        if self.role in ADMIN_ROLES and (other_roles - {self.role}):
            raise ValidationError({"role": gettext("An administrator role cannot be combined with any other role.")})
        if self.role not in ADMIN_ROLES and other_roles & ADMIN_ROLES:
            raise ValidationError({"role": gettext("This user holds an administrator role and cannot take other roles.")})
        if self.granted_by_id and self.granted_by_id == self.user_id:
            raise ValidationError({"user": gettext("Nobody may grant a role to themself.")})
        if self.org_id and self.revoked_at is None and others.filter(role=self.role, org_id=self.org_id).exists():
            raise ValidationError({"role": gettext("This user already holds this role on this organization.")})


class SecurityPolicy(ScopedModel):
    """Security parameters set by the security admin (AUTH-01, AUTH-02, SESS-01): one row."""

    scope_area = "security"
    scope_path = None

    password_min_length = models.PositiveSmallIntegerField(_("minimum password length"), default=10)
    password_min_classes = models.PositiveSmallIntegerField(
        _("character classes required (of upper, lower, digit, symbol)"), default=3
    )
    password_history = models.PositiveSmallIntegerField(_("previous passwords that may not be reused"), default=5)
    password_max_age_days = models.PositiveSmallIntegerField(_("password expiry (days, 0 = never)"), default=90)
    lockout_threshold = models.PositiveSmallIntegerField(_("failed logins before lockout"), default=5)
    lockout_minutes = models.PositiveSmallIntegerField(_("lockout duration (minutes)"), default=30)
    account_lockout_threshold = models.PositiveSmallIntegerField(
        _("failed logins from all addresses before the account itself is locked"), default=20
    )
    address_failure_limit = models.PositiveSmallIntegerField(
        _("failed logins per source address before the address is throttled"), default=20
    )
    address_window_minutes = models.PositiveSmallIntegerField(_("address throttle window (minutes)"), default=15)
    token_idle_days = models.PositiveSmallIntegerField(_("API token idle expiry (days)"), default=7)
    token_max_days = models.PositiveSmallIntegerField(_("API token absolute lifetime (days)"), default=30)
    idle_timeout_minutes = models.PositiveSmallIntegerField(_("idle session timeout (minutes)"), default=30)
    absolute_timeout_hours = models.PositiveSmallIntegerField(_("absolute session lifetime (hours)"), default=12)
    mfa_required_roles = models.JSONField(
        _("roles that must use a second factor (besides the three administrators)"), default=list, blank=True,
        help_text=_("Role codes, e.g. committee_staff. The system, security and audit administrators always need it."))
    step_up_minutes = models.PositiveSmallIntegerField(
        _("re-authentication before sensitive actions is valid for (minutes)"), default=10)
    dormant_days = models.PositiveSmallIntegerField(
        _("disable accounts not used for (days, 0 = never)"), default=90,
        help_text=_("Checked every night; the three administrator accounts are reported, not disabled."))

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")

    def __str__(self) -> str:
        return str(gettext("security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        return cls.objects.order_by("id").first() or cls()


class LoginLock(models.Model):
    """Consecutive failed logins of a username, known or not (AUTH-02): one row per (username,
    source address) and one account-wide row (``address`` empty). Attempts are counted here
    *before* the password is checked, under a row lock, so a burst cannot exceed the threshold.
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45, blank=True, default="")
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[models.BaseConstraint]] = [
            models.UniqueConstraint(fields=["username", "address"], name="one_login_lock_per_address")
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.address}".strip()

    def is_locked(self, now: dt.datetime | None = None) -> bool:
        return bool(self.locked_until and self.locked_until > (now or timezone.now()))


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, so the last N are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"


class ApiToken(models.Model):
    """A revocable API token. Only its SHA-256 is stored; the key is shown once at creation.

    It expires when unused for the policy's idle days and at its absolute expiry; it is revoked
    when its user changes the password or is deactivated (SESS-01, AUTH-05).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    name = models.CharField(_("device"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("revoked because"), max_length=32, blank=True)
    #: the last re-authentication (password or second factor) made with this token (SESS-02)
    step_up_at = models.DateTimeField(_("re-authenticated at"), null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user_id} {self.name}"


class WorkIdentityField(models.TextChoices):
    USERNAME = "username", _("the account's user name")
    POLICE_NUMBER = "police_number", _("the member's police number")


class WorkWeChatLogin(ScopedModel):
    """Log in with 企业微信 (WeChat Work) OAuth, configured by the security admin: the work
    identity's ``userid`` is matched against ``match_field`` of an active account. The
    application's secret never lives here: ``secret_ref`` names it in the deployment's settings
    (``DANGJIAN["LOGIN_SECRETS"][ref]``) or environment (``DANGJIAN_LOGIN_<REF>_SECRET``)."""

    scope_area = "security"
    scope_path = None

    name = models.CharField(_("name"), max_length=60)
    is_active = models.BooleanField(_("offered on the login page"), default=False)
    corp_id = models.CharField(_("corporation id (corpid)"), max_length=64)
    agent_id = models.CharField(_("application id (agentid)"), max_length=32)
    secret_ref = models.SlugField(_("secret name"), max_length=30,
                                  help_text=_("The name under which the deployment keeps the application's secret."))
    match_field = models.CharField(_("work identity matched against"), max_length=20,
                                   choices=WorkIdentityField.choices, default=WorkIdentityField.POLICE_NUMBER)
    authorize_url = models.URLField(_("authorization address"),
                                    default="https://open.weixin.qq.com/connect/oauth2/authorize")
    api_base = models.URLField(_("API address"), default="https://qyapi.weixin.qq.com")

    class Meta:
        ordering = ("-is_active", "name")
        verbose_name = _("WeChat Work login")
        verbose_name_plural = _("WeChat Work logins")

    def __str__(self) -> str:
        return self.name
