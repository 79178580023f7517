"""Login, logout, password change; user, role-grant and lock screens for the 三员."""

from __future__ import annotations

from typing import Any

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts import mfa, mfa_views, services
from dangjian.accounts.forms import LoginForm, PasswordChangeForm, RoleGrantForm, UserForm
from dangjian.accounts.imports import RoleGrantImporter
from dangjian.accounts.middleware import AUTH_AT
from dangjian.accounts.models import LoginLock, RoleGrant, User
from dangjian.accounts.roles import Role
from dangjian.core import audit
from dangjian.core.filtersets import ScopedFilterSet
from dangjian.core.scoping import get_scoped_or_404, scope_for
from dangjian.core.tables import BaseTable
from dangjian.core.views import ModelViews


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def login_view(request: HttpRequest) -> HttpResponse:
    """The one login page. Failures and lockouts share one message (AUTH-02)."""
    form = LoginForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid() and form.user is not None:
        target = request.POST.get("next") or request.GET.get("next") or ""
        # A user who needs or has a second factor is not logged in before its code (AUTH-03).
        pending = mfa_views.start_pending(request, form.user, target)
        return pending or mfa_views.complete_login(request, form.user, target)
    status = 200 if request.method != "POST" else 429 if getattr(request, "login_throttled", False) else 400
    from dangjian.accounts.wecom import active_config

    return render(request, "accounts/login.html", {"form": form, "next": request.GET.get("next", ""),
                                                   "wecom": active_config() is not None}, status=status)


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Log out: the server-side session row is deleted (DP-04)."""
    if isinstance(request.user, User):
        audit.record("logout", obj=request.user, org_path="")
    logout(request)
    return HttpResponseRedirect(reverse("accounts:login"))


@require_http_methods(["GET", "POST"])
def password_change(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = PasswordChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        services.change_password(actor=user, user=user, new_password=form.cleaned_data["new_password1"])
        login(request, user, backend="dangjian.accounts.backends.LockoutModelBackend")  # new session key
        request.session[AUTH_AT] = request.session[mfa.STEP_UP_AT] = timezone.now().isoformat()
        messages.success(request, gettext("Your password has been changed."))
        return HttpResponseRedirect(reverse("core:home"))
    return render(request, "accounts/password_change.html", {"form": form}, status=400 if form.errors else 200)


# --- Users (system admin) and role grants (security admin) -----------------------------------


class UserTable(BaseTable):
    username = tables.Column(linkify=True, verbose_name=_("username"))

    class Meta(BaseTable.Meta):
        model = User
        fields = ("username", "display_name", "member", "is_active", "last_login", "must_change_password")


class UserFilterSet(ScopedFilterSet):
    q = django_filters.CharFilter(field_name="username", lookup_expr="icontains", label=_("username"))

    class Meta:
        model = User
        fields = ("q", "is_active")


class UserViews(ModelViews):
    model = User
    name = "user"
    namespace = "accounts"
    queryset = User.objects.select_related("member")
    table = UserTable
    filterset = UserFilterSet
    form = UserForm
    actions = ("list", "detail", "add", "edit")
    detail_fields = ("username", "display_name", "member", "is_active", "last_login", "must_change_password",
                     "password_changed_at")

    @classmethod
    def after_save(cls, request: HttpRequest, obj: Any, created: bool) -> None:
        password = getattr(obj, "one_time_password", None)
        if created and password:
            messages.warning(request, gettext("One-time password of %(user)s: %(pw)s — give it to the user in person; it "
                                        "must be changed at first login and expires in 72 hours.")
                             % {"user": obj.username, "pw": password})


class GrantTable(BaseTable):
    user = tables.Column(linkify=False, verbose_name=_("user"))

    class Meta(BaseTable.Meta):
        model = RoleGrant
        fields = ("user", "role", "org", "granted_by", "created_at", "revoked_at")


class GrantFilterSet(ScopedFilterSet):
    role = django_filters.ChoiceFilter(choices=Role.choices, label=_("role"))
    active = django_filters.BooleanFilter(field_name="revoked_at", lookup_expr="isnull", label=_("active"))

    class Meta:
        model = RoleGrant
        fields = ("role", "active")


class GrantViews(ModelViews):
    model = RoleGrant
    name = "grant"
    namespace = "accounts"
    queryset = RoleGrant.objects.select_related("user", "org", "granted_by")
    table = GrantTable
    filterset = GrantFilterSet
    form = RoleGrantForm
    importer = RoleGrantImporter
    actions = ("list", "detail", "add")
    detail_fields = ("user", "role", "org", "granted_by", "revoked_at")


@require_POST
@mfa_views.step_up_required
def revoke_grant(request: HttpRequest, pk: int) -> HttpResponse:
    grant = get_scoped_or_404(request.user, RoleGrant, "delete", pk=pk)
    services.revoke_role(actor=request.user, grant=grant)
    messages.success(request, gettext("Role revoked."))
    return HttpResponseRedirect(reverse("accounts:grant_list"))


def locks(request: HttpRequest) -> HttpResponse:
    """Locked usernames, for the security admin to unlock."""
    if scope_for(request.user, "security", "change").is_empty:
        raise Http404
    now = timezone.now()
    rows = LoginLock.objects.filter(locked_until__gt=now).order_by("-locked_until")  # scope-ok: security admin only
    return render(request, "accounts/locks.html", {"locks": rows})


@require_POST
def unlock(request: HttpRequest) -> HttpResponse:
    if scope_for(request.user, "security", "change").is_empty:
        raise Http404
    services.unlock(actor=request.user, username=request.POST.get("username", ""))
    messages.success(request, gettext("Account unlocked."))
    return HttpResponseRedirect(reverse("accounts:locks"))
