"""Screens of the second factor (AUTH-03) and of step-up re-authentication (SESS-02); the
rules are in :mod:`dangjian.accounts.mfa`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from dangjian.accounts import mfa
from dangjian.accounts.middleware import AUTH_AT
from dangjian.accounts.models import SecurityPolicy, User
from dangjian.accounts.roles import ADMIN_ROLES, Role
from dangjian.core import audit
from dangjian.core.pages import landing
from dangjian.core.scoping import scope_for

BACKEND = "dangjian.accounts.backends.LockoutModelBackend"
STEP_UP_TRIES = "dangjian_step_up_failures"


class CodeForm(forms.Form):
    code = forms.CharField(label=_("one-time code"), max_length=12, strip=True,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code",
                                                         "inputmode": "numeric", "autofocus": True}))


class StepUpForm(forms.Form):
    password = forms.CharField(label=_("password"), required=False, strip=False,
                               widget=forms.PasswordInput(attrs={"class": "form-control"}))
    code = forms.CharField(label=_("or a one-time code"), required=False, max_length=12,
                           widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "one-time-code",
                                                         "inputmode": "numeric"}))


def safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return landing(request.user)


def complete_login(request: HttpRequest, user: User, target: str, *, how: str = "") -> HttpResponseRedirect:
    """The login itself, once every factor the user needs has been given."""
    request.session.pop(mfa.PENDING, None)
    login(request, user, backend=BACKEND)  # rotates the session key (SESS-01)
    now = timezone.now().isoformat()
    request.session[AUTH_AT] = now
    request.session[mfa.STEP_UP_AT] = now
    request.session.set_expiry(SecurityPolicy.current().idle_timeout_minutes * 60)
    audit.record("login", obj=user, actor=user, org_path="", reason=how)
    if target == reverse("core:home"):  # the login wall's default: land where the user belongs
        target = ""
    return HttpResponseRedirect(safe_next(request, target))


def start_pending(request: HttpRequest, user: User, target: str) -> HttpResponseRedirect | None:
    """After the password: a user who needs or has a second factor is not logged in yet."""
    if not (mfa.is_enrolled(user) or mfa.is_required(user)):
        return None
    request.session.cycle_key()
    request.session[mfa.PENDING] = {"user": user.pk, "at": timezone.now().isoformat(), "next": target, "tries": 0}
    return HttpResponseRedirect(reverse("accounts:mfa_verify" if mfa.is_enrolled(user) else "accounts:mfa_enrol"))


def _pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(mfa.PENDING)
    if not isinstance(pending, dict):
        return None
    started = dt.datetime.fromisoformat(pending["at"])
    if timezone.now() - started > dt.timedelta(minutes=mfa.PENDING_MINUTES):
        request.session.pop(mfa.PENDING, None)
        return None
    return User.objects.filter(pk=pending["user"], is_active=True).first()


def _back_to_login(request: HttpRequest) -> HttpResponseRedirect:
    request.session.pop(mfa.PENDING, None)
    messages.info(request, gettext("Please log in again."))
    return HttpResponseRedirect(reverse("accounts:login"))


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a login: a code from the authenticator app or a backup code."""
    user = _pending_user(request)
    if user is None:
        return _back_to_login(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify(user, form.cleaned_data["code"])
        if device is not None:
            pending = request.session[mfa.PENDING]
            return complete_login(request, user, pending.get("next", ""), how=f"mfa:{device.name}")
        pending = request.session[mfa.PENDING]
        pending["tries"] = int(pending.get("tries", 0)) + 1
        request.session[mfa.PENDING] = pending
        audit.record("mfa_failed", obj=user, actor=user, org_path="", success=False)
        if pending["tries"] >= mfa.PENDING_ATTEMPTS:
            return _back_to_login(request)
        form.add_error("code", gettext("The code is wrong or has already been used."))
    status = 400 if form.errors else 200
    return render(request, "accounts/mfa_verify.html", {"form": form}, status=status)


@login_not_required
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def enrol(request: HttpRequest) -> HttpResponse:
    """Enrol an authenticator app: scan the QR code (made here), confirm with one code, note the
    backup codes. Reached by a logged-in user, or by a login that must enrol first."""
    pending_user = None if request.user.is_authenticated else _pending_user(request)
    user: User | None = request.user if request.user.is_authenticated else pending_user  # type: ignore[assignment]
    if user is None:
        return _back_to_login(request)
    device = mfa.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.confirm_enrolment(actor=user, device=device, token=form.cleaned_data["code"])
        if codes is not None:
            target = reverse("core:home")
            if pending_user is not None:
                target = request.session[mfa.PENDING].get("next", "")
                complete_login(request, pending_user, target, how="mfa:enrolled")
                target = safe_next(request, target)
            return render(request, "accounts/mfa_codes.html", {"codes": codes, "next": target})
        form.add_error("code", gettext("The code is wrong. Check the time on your phone and try the next code."))
    return render(request, "accounts/mfa_enrol.html", {
        "form": form, "qr": mfa.qr_svg_data_uri(device), "secret": mfa.secret_base32(device),
        "required": pending_user is not None,
    }, status=400 if form.errors else 200)


@require_http_methods(["GET"])
def status(request: HttpRequest) -> HttpResponse:
    """The user's own second factor: enrolled or not, needed or not."""
    user: User = request.user  # type: ignore[assignment]
    return render(request, "accounts/mfa_status.html", {
        "enrolled": mfa.is_enrolled(user), "required": mfa.is_required(user)})


@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    """Recovery by the security admin: the user's devices are removed (audited)."""
    if scope_for(request.user, "security", "change").is_empty:
        raise Http404
    user = User.objects.filter(username=request.POST.get("username", "")).first()  # scope-ok: security admin only
    if user is None:
        messages.error(request, gettext("No such account."))
    else:
        mfa.reset(actor=request.user, user=user)
        messages.success(request, gettext("The second factor of %(user)s was removed; they enrol again at their next "
                                          "login.") % {"user": user.username})
    return HttpResponseRedirect(reverse("accounts:locks"))


class PolicyForm(forms.Form):
    required = forms.MultipleChoiceField(
        label=_("roles that must use a second factor (besides the three administrators)"), required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(str(r.value), r.label) for r in Role if r not in ADMIN_ROLES])
    step_up_minutes = forms.IntegerField(label=_("re-authentication before sensitive actions is valid for (minutes)"),
                                         min_value=1, max_value=120,
                                         widget=forms.NumberInput(attrs={"class": "form-control w-auto"}))


@require_http_methods(["GET", "POST"])
def policy(request: HttpRequest) -> HttpResponse:
    """The security admin marks the roles that must use a second factor (AUTH-03)."""
    if scope_for(request.user, "security", "change").is_empty:
        raise Http404
    current = SecurityPolicy.current()
    form = PolicyForm(request.POST or None, initial={"required": current.mfa_required_roles,
                                                     "step_up_minutes": current.step_up_minutes})
    if request.method == "POST" and form.is_valid():
        mfa.set_policy(actor=request.user, required=form.cleaned_data["required"],
                       step_up_minutes=form.cleaned_data["step_up_minutes"])
        messages.success(request, gettext("Saved."))
        return HttpResponseRedirect(reverse("accounts:mfa_policy"))
    return render(request, "accounts/mfa_policy.html", {"form": form}, status=400 if form.errors else 200)


# --- step-up ------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def step_up(request: HttpRequest) -> HttpResponse:
    """Confirm it is still you (password or code) before a sensitive action."""
    user: User = request.user  # type: ignore[assignment]
    target = safe_next(request, request.POST.get("next") or request.GET.get("next") or "")
    form = StepUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if mfa.check_step_up(user, password=data["password"], code=data["code"]):
            request.session[mfa.STEP_UP_AT] = timezone.now().isoformat()
            request.session.pop(STEP_UP_TRIES, None)
            audit.record("step_up", obj=user, org_path="")
            return HttpResponseRedirect(target)
        audit.record("step_up_failed", obj=user, org_path="", success=False)
        tries = int(request.session.get(STEP_UP_TRIES, 0)) + 1
        request.session[STEP_UP_TRIES] = tries
        if tries >= mfa.PENDING_ATTEMPTS:
            logout(request)
            messages.info(request, gettext("Please log in again."))
            return HttpResponseRedirect(reverse("accounts:login"))
        form.add_error(None, gettext("The password or code is wrong."))
    return render(request, "accounts/step_up.html", {
        "form": form, "next": target, "minutes": SecurityPolicy.current().step_up_minutes,
        "enrolled": mfa.is_enrolled(user)}, status=400 if form.errors else 200)


def step_up_response(request: HttpRequest) -> HttpResponse:
    """Where a sensitive action sends a user whose last (re-)authentication is too old."""
    back = request.get_full_path() if request.method == "GET" else request.headers.get("Referer", "")
    url = f"{reverse('accounts:step_up')}?{_query(next=safe_next(request, back))}"
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "step_up_required", "detail": gettext(
            "Confirm your password or a one-time code first (POST auth/step-up/).")}, status=403)
    if request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def step_up_gate(request: HttpRequest) -> HttpResponse | None:
    """``DANGJIAN["STEP_UP_GATE"]``: core's sensitive screens ask here (core/stepup.py)."""
    return None if mfa.step_up_fresh(request) else step_up_response(request)


def _query(**values: str) -> str:
    from urllib.parse import urlencode

    return urlencode(values)


def step_up_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Decorate a view (or a class-based view's method) that needs a recent re-authentication."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> HttpResponse:
        request = args[0] if isinstance(args[0], HttpRequest) else args[1]
        if not mfa.step_up_fresh(request):
            return step_up_response(request)
        return view(*args, **kwargs)

    return wrapped
